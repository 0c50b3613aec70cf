// Canaan's Key[value] format, on the capture's module string and on broken strings.
#include <gtest/gtest.h>

#include "drivers/asic/avalon/bracket.h"

namespace rigkeeper::drivers::avalon {
namespace {

TEST(AvalonBracket, KeysValuesAndLists) {
  const auto f = parse_brackets(
      "Ver[1246-83-21072802_4ec6bb0_211fc46] SYSTEMSTATU[Work: In Work, Hash Board: 3 ] "
      "MGHS[26907.01 26025.06 26724.56] DH[2.732%] FACOPTS0[] Nonce Mask[25]");
  EXPECT_EQ(bracket_text(f, "Ver"), "1246-83-21072802_4ec6bb0_211fc46");
  EXPECT_EQ(bracket_text(f, "SYSTEMSTATU"), "Work: In Work, Hash Board: 3 ");
  const auto mghs = bracket_numbers(f, "MGHS");
  ASSERT_EQ(mghs.size(), 3u);
  EXPECT_DOUBLE_EQ(*mghs[1], 26025.06);
  EXPECT_DOUBLE_EQ(*bracket_number(f, "DH"), 2.732);
  EXPECT_EQ(bracket_text(f, "FACOPTS0"), "");
  EXPECT_EQ(bracket_number(f, "FACOPTS0"), std::nullopt);
  EXPECT_EQ(bracket_number(f, "Mask"), 25) << "as pyasic's regex reads 'Nonce Mask[25]'";
  EXPECT_EQ(bracket_number(f, "Absent"), std::nullopt);
}

TEST(AvalonBracket, QWrapperAndPaddedLists) {
  const auto f =
      parse_brackets("'STATS':{Ver[Q-25052801_14a19a2] PVT_T0[ 58  59   0  61] SoftOFF[4]}");
  EXPECT_EQ(bracket_text(f, "Ver"), "Q-25052801_14a19a2");
  const auto t = bracket_numbers(f, "PVT_T0");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(*t[2], 0);
  EXPECT_EQ(bracket_number(f, "SoftOFF"), 4);
}

TEST(AvalonBracket, BrokenStringsNeverThrow) {
  // Truncated inside a bracket: what came before stands.
  auto f = parse_brackets("GHSspd[80521.10] GHSmm[865");
  EXPECT_DOUBLE_EQ(*bracket_number(f, "GHSspd"), 80521.10);
  EXPECT_FALSE(bracket_text(f, "GHSmm"));
  // Garbage numbers are null, not 0.
  f = parse_brackets("GHSspd[abc] PS[0 1197 x 261 nan 1240] Fan1[1e999]");
  EXPECT_EQ(bracket_number(f, "GHSspd"), std::nullopt);
  const auto ps = bracket_numbers(f, "PS");
  ASSERT_EQ(ps.size(), 6u);
  EXPECT_EQ(ps[2], std::nullopt);
  EXPECT_EQ(ps[4], std::nullopt);
  EXPECT_EQ(bracket_number(f, "Fan1"), std::nullopt);
  // No key before a bracket, stray closers, empty input.
  f = parse_brackets("[1 2] ]]] [ Temp[30]");
  EXPECT_EQ(bracket_number(f, "Temp"), std::nullopt) << "the stray '[' swallowed it";
  EXPECT_TRUE(parse_brackets("").empty());
  // A huge string is capped, not read whole.
  std::string huge;
  for (int i = 0; i < 100000; ++i) huge += "K" + std::to_string(i) + "[1] ";
  EXPECT_LE(parse_brackets(huge).size(), kMaxBracketFields);
}

TEST(AvalonBracket, FirstOccurrenceWins) {
  const auto f = parse_brackets("Temp[30] Temp[99]");
  EXPECT_EQ(bracket_number(f, "Temp"), 30);
}

}  // namespace
}  // namespace rigkeeper::drivers::avalon
