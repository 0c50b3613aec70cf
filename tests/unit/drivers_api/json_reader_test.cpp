// read_json() must give nlohmann's own answer for every input (only deeper nesting than 64 is
// refused): checked against nlohmann::json::parse on every JSON capture in ../shared/fixtures,
// on broken variants of each (cut at every length for a few), and on the corners where
// RapidJSON and nlohmann differ.
#include "drivers/api/json_reader.h"

#include <gtest/gtest.h>

#include "drivers/api/json_repair.h"
#include "tests/support/fixtures.h"

namespace rigkeeper::drivers {
namespace {

using nlohmann::json;
using namespace std::string_literals;

json nlohmann_parse(std::string_view text) {
  return json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

/// Same validity, same tree, same number kinds (nlohmann's == calls 1 and 1u equal; a dump
/// tells integer from unsigned from float).
void expect_same_as_nlohmann(std::string_view text, const std::string& what) {
  const json expected = nlohmann_parse(text);
  const json got = read_json(text);
  ASSERT_EQ(got.is_discarded(), expected.is_discarded()) << what;
  if (expected.is_discarded()) return;
  EXPECT_EQ(got, expected) << what;
  EXPECT_EQ(got.dump(), expected.dump()) << what;
  auto kinds = [](const json& j) {
    std::string out;
    std::vector<const json*> todo{&j};
    while (!todo.empty()) {
      const json* v = todo.back();
      todo.pop_back();
      out += std::to_string(static_cast<int>(v->type()));
      if (v->is_structured())
        for (const auto& c : *v) todo.push_back(&c);
    }
    return out;
  };
  EXPECT_EQ(kinds(got), kinds(expected)) << what;
}

std::vector<std::filesystem::path> json_captures() {
  std::vector<std::filesystem::path> out;
  for (const auto& dir : {"asic", "gpu"}) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(test::fixture_path(dir))) {
      if (e.is_regular_file() && e.path().extension() == ".json") out.push_back(e.path());
    }
  }
  return out;
}

TEST(JsonReader, EveryCaptureReadsAsNlohmannReadsIt) {
  const auto files = json_captures();
  ASSERT_GT(files.size(), 50u) << "the captures were not found";
  std::size_t valid = 0;
  for (const auto& f : files) {
    const std::string text = test::read_file(f);
    expect_same_as_nlohmann(text, f.string());
    if (!nlohmann_parse(text).is_discarded()) ++valid;
    // The fast path itself takes the valid ones (not a silent fallback to nlohmann).
    EXPECT_EQ(detail::read_json_fast(text, false).has_value(), !nlohmann_parse(text).is_discarded())
        << f;
  }
  EXPECT_GT(valid, files.size() / 2);
}

TEST(JsonReader, BrokenVariantsOfEveryCaptureReadAsNlohmannReadsThem) {
  for (const auto& f : json_captures()) {
    for (const auto& v : test::broken_variants(test::read_file(f)))
      expect_same_as_nlohmann(v.bytes, f.string() + " " + v.name);
  }
}

TEST(JsonReader, EveryTruncationOfSomeCapturesReadsAsNlohmannReadsIt) {
  for (const char* rel : {"asic/antminer_stock/stats.json", "asic/luxos/stats.json",
                          "asic/braiins/rest_v25_07_miner_details.json"}) {
    const auto path = test::fixture_path(rel);
    ASSERT_TRUE(std::filesystem::exists(path)) << path;
    const std::string text = test::read_file(path);
    for (std::size_t n = 0; n <= text.size(); ++n)
      expect_same_as_nlohmann(std::string_view(text).substr(0, n),
                              std::string(rel) + " cut at " + std::to_string(n));
  }
}

// A poll gives its trees back (recycle_json) and the next trees are built on their map nodes.
// Every capture is read on the nodes of the ones before it (other keys, other lengths, other
// nesting), so reuse must never show: each tree equals nlohmann's.
TEST(JsonReader, TreesBuiltOnRecycledMembersAreTheSame) {
  json none;
  const std::size_t at_start = detail::recycled_members();
  recycle_json(none);  // a null tree gives nothing back
  ASSERT_EQ(detail::recycled_members(), at_start);
  std::size_t reused = 0;
  for (const auto& f : json_captures()) {
    const std::string text = test::read_file(f);
    const std::size_t before = detail::recycled_members();
    json got = read_json(text);
    if (detail::recycled_members() < before) ++reused;
    const json expected = nlohmann_parse(text);
    ASSERT_EQ(got.is_discarded(), expected.is_discarded()) << f;
    EXPECT_EQ(got.dump(), expected.dump()) << f;
    recycle_json(got);
    EXPECT_TRUE(got.is_null()) << f;
  }
  // Not a silent no-op: most captures were built on recycled members.
  EXPECT_GT(reused, json_captures().size() / 2);
}

TEST(JsonReader, RecycledMembersKeepRepeatedKeysAndNestingRight) {
  json seed = read_json(R"({"a":{"b":1,"c":"a string longer than sixteen"},"d":[{"e":2}]})");
  recycle_json(seed);
  ASSERT_GE(detail::recycled_members(), 5u);
  for (const char* text : {R"({"a":1,"a":2,"b":{"a":3,"a":{"x":[1,{"y":null}]}}})",
                           R"({"":{"":{"":""}},"k":{}})", R"([{"a":1},{"a":1,"b":2},{}])"}) {
    json got = read_json(text);
    EXPECT_EQ(got.dump(), nlohmann_parse(text).dump()) << text;
    recycle_json(got);
  }
  // The cgminer path (RapidJSON, then the repairer) too.
  const std::string broken = R"({"STATUS":[{"STATUS":"S"}],"STATS":[{"a":1,"b":"inf",}],"id":1})";
  auto parsed = parse_cgminer_json(broken);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->dump(), R"({"STATS":[{"a":1,"b":null}],"STATUS":[{"STATUS":"S"}],"id":1})");
  recycle_json(*parsed);
}

TEST(JsonReader, RecyclingIsBounded) {
  json big = json::object();
  for (int i = 0; i < 3000; ++i) big["member " + std::to_string(i)] = json::object({{"v", i}});
  recycle_json(big);  // 6000 members: the rest are freed
  EXPECT_TRUE(big.is_null());
  EXPECT_EQ(detail::recycled_members(), detail::kMaxRecycledMembers);
  json small = read_json(R"({"a":1,"b":2,"c":{"d":3}})");
  EXPECT_EQ(detail::recycled_members(), detail::kMaxRecycledMembers - 4);
  EXPECT_EQ(small, nlohmann_parse(R"({"a":1,"b":2,"c":{"d":3}})"));
  // A tree deeper than the reader would build is given back as far as 64 levels, no deeper.
  json deep = 1;
  for (int i = 0; i < 200; ++i) deep = json::object({{"k", std::move(deep)}});
  recycle_json(deep);
  EXPECT_TRUE(deep.is_null());
}

TEST(JsonReader, CornersWhereTheLibrariesDiffer) {
  const std::string cases[] = {
      // Numbers: integer kinds, -0, beyond int64/uint64, overflowing a double, exactness.
      "[0,-0,1,-1,4294967295,4294967296,-2147483648,-2147483649]",
      "[9223372036854775807,9223372036854775808,18446744073709551615,18446744073709551616]",
      "[-9223372036854775808,-9223372036854775809,1e308,1e309,-1e999,1e-400]",
      "[0.1,2.5e-3,1.7976931348623157e308,4.9406564584124654e-324,110.00000000000001]",
      "[1E5,1e+5,-1.5E-3,-0.0,0e0,123456789012345678901234567890,-123456789012345678901234]",
      "[20751652.263361264,0.30000000000000004,2.2250738585072011e-308,9007199254740993]", "[01]",
      "[1.]", "[.5]", "[+1]", "[1e]", "[-]", "[NaN]", "[Infinity]",
      // Strings: escapes, surrogate pairs, lone surrogates, raw and escaped NULs.
      R"(["\u00e9\ud83d\ude00\n\t\"\\\/"])", R"(["\ud800"])", R"(["\udc00"])",
      R"(["\ud800\u0041"])", R"({"\udfff":1})", R"(["\u0000x"])", "[\"a\0b\"]"s,
      "[\"\xed\xa0\x80\"]", "[\"\xc0\xaf\"]", "[\"\xf4\x90\x80\x80\"]", "[\"\xe2\x82\"]",
      "[\"\x7f\"]", "[\"\x1f\"]",
      // Structure: duplicates keep the last, trailing input, NULs between tokens, BOM.
      R"({"a":1,"a":2,"b":{"c":[]}})", "{} {}", "{}\0{}"s, "{}\0"s, "\xEF\xBB\xBF{}",
      " \t\r\n[1] \n", "[1,]", "{,}", "", " ", "true", "null", "\"s\"", "-5"};
  for (const auto& c : cases) expect_same_as_nlohmann(c, "'" + c + "'");
}

TEST(JsonReader, RefusesNestingDeeperThan64) {
  const std::string at_limit = std::string(64, '[') + std::string(64, ']');
  const std::string beyond = std::string(65, '[') + std::string(65, ']');
  EXPECT_EQ(read_json(at_limit), nlohmann_parse(at_limit));
  EXPECT_TRUE(read_json(beyond).is_discarded());
  const std::string hostile = std::string(200000, '[');  // never recursed into
  EXPECT_TRUE(read_json(hostile).is_discarded());
  std::string objects;
  for (int i = 0; i < 65; ++i) objects += "{\"k\":";
  objects += "1" + std::string(65, '}');
  EXPECT_TRUE(read_json(objects).is_discarded());
}

// parse_cgminer_json's order (RapidJSON, then the repairer, then nlohmann) must keep what
// nlohmann reads from valid JSON that RapidJSON refuses.
TEST(JsonReader, CgminerPathKeepsWhatOnlyNlohmannReads) {
  const std::string bom = "\xEF\xBB\xBF{\"STATUS\":[{\"STATUS\":\"S\"}],\"id\":1}";
  ASSERT_FALSE(detail::read_json_fast(bom, true).has_value());
  auto parsed = parse_cgminer_json(bom);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, nlohmann_parse(bom));
}

TEST(JsonReader, CgminerModeTurnsNonFiniteWordsIntoNull) {
  auto j = detail::read_json_fast(R"({"GHSmm":"inf","T":"-NaN","V":"nano","K":{"inf":1}})", true);
  ASSERT_TRUE(j);
  EXPECT_EQ(*j, json::parse(R"({"GHSmm":null,"T":null,"V":"nano","K":{"inf":1}})"));
  auto plain = detail::read_json_fast(R"({"GHSmm":"inf"})", false);
  ASSERT_TRUE(plain);
  EXPECT_EQ((*plain)["GHSmm"], "inf");
}

}  // namespace
}  // namespace rigkeeper::drivers
