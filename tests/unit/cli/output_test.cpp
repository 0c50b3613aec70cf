// The CLI's table printer and number formatting.
#include <sstream>

#include <gtest/gtest.h>

#include "agent/cli/output.h"

namespace rigkeeper::cli {
namespace {

std::string print(const Table& t) {
  std::ostringstream out;
  t.print(out);
  return out.str();
}

TEST(Table, AlignsColumnsOnTheWidestCell) {
  Table t({"ID", "TH/S", "STATE"});
  t.align_right(1);
  t.add_row({"s19-01", "110.57", "mining"});
  t.add_row({"a", "9.00", ""});
  EXPECT_EQ(print(t),
            "ID        TH/S  STATE\n"
            "s19-01  110.57  mining\n"
            "a         9.00  -\n");
}

TEST(Table, MissingCellsShowAsNone) {
  Table t({"A", "B", "C"});
  t.add_row({"x"});
  EXPECT_EQ(print(t), "A  B  C\nx  -  -\n");
}

TEST(Table, WithoutHeadersIsAKeyValueBlock) {
  Table t;
  t.add_row({"state", "mining"});
  t.add_row({"hashrate", "110.57 TH/s"});
  EXPECT_EQ(print(t), "state     mining\nhashrate  110.57 TH/s\n");
}

TEST(Table, CountsUtf8CharactersNotBytes) {
  Table t({"NAME", "X"});
  t.add_row({"Zürich", "1"});
  t.add_row({"Bern", "2"});
  EXPECT_EQ(print(t), "NAME    X\nZürich  1\nBern    2\n");
}

TEST(Sanitize, ReplacesControlCharactersAndCapsLength) {
  EXPECT_EQ(sanitize("ok\x1b[31mred\n\x7f"), "ok?[31mred??");
  EXPECT_EQ(sanitize("a\xc2\x9b"
                     "31m"),
            "a?31m");  // C1 CSI in UTF-8
  EXPECT_EQ(sanitize("Zürich"), "Zürich");
  EXPECT_EQ(sanitize("abcdef", 3), "abc...");
  EXPECT_EQ(sanitize(std::string("a\0b", 3)), "a?b");
}

TEST(Format, NumbersWithUnitsAndNulls) {
  EXPECT_EQ(fmt_ths(110.56689), "110.57");
  EXPECT_EQ(fmt_ths(std::nullopt), "-");
  EXPECT_EQ(fmt_watts(3249.6), "3250");
  EXPECT_EQ(fmt_temp(78), "78.0");
  EXPECT_EQ(fmt_num(std::numeric_limits<double>::quiet_NaN(), 2), "-");
  EXPECT_EQ(fmt_int(std::nullopt), "-");
  EXPECT_EQ(fmt_int(183), "183");
  EXPECT_EQ(or_none(std::nullopt), "-");
  EXPECT_EQ(or_none(std::string("")), "-");
}

TEST(Format, DurationsAndBytes) {
  EXPECT_EQ(fmt_duration(50474), "14h 01m");
  EXPECT_EQ(fmt_duration(3 * 86400 + 4 * 3600 + 5), "3d 04h");
  EXPECT_EQ(fmt_duration(303), "5m 03s");
  EXPECT_EQ(fmt_duration(42), "42s");
  EXPECT_EQ(fmt_duration(-1), "-");
  EXPECT_EQ(fmt_bytes(512), "512 B");
  EXPECT_EQ(fmt_bytes(3500), "3.4 KiB");
  EXPECT_EQ(fmt_bytes(int64_t{12} * 1024 * 1024), "12.0 MiB");
}

TEST(Format, AgeIsRelativeToNow) {
  const Timestamp now = from_unix_ms(1'000'000'000);
  EXPECT_EQ(fmt_age(now - std::chrono::seconds(12), now), "12s ago");
  EXPECT_EQ(fmt_age(now + std::chrono::seconds(5), now),
            format_rfc3339(now + std::chrono::seconds(5)));
}

}  // namespace
}  // namespace rigkeeper::cli
