// Replays the fuzzing entry point in every build: every ASIC capture, its broken variants,
// hand-made firmware defects and 2000 deterministic mutations. No crash, a Result each time,
// and the invariants of cgminer_json_check.h.
#include <algorithm>
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "drivers/api/cgminer_json_repairer.h"
#include "tests/fuzz/cgminer_json_check.h"
#include "tests/support/fixtures.h"

namespace rigkeeper::test {
namespace {

namespace fs = std::filesystem;
using namespace std::string_literals;

constexpr int kMutations = 2000;
constexpr std::size_t kMaxInput = 64 * 1024;

std::vector<std::string> seeds() {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(fixture_path("asic")))
    if (e.is_regular_file() && e.path().extension() == ".json") out.push_back(read_file(e.path()));
  // The firmware defects themselves, so mutations start next to them.
  for (const char* s :
       {R"(,"id":1})", R"({"STATS":[{"a":1}{"b":2}],})", R"({"DEVS":[,{"ASC":0}]})",
        R"({"Power Mode":"Normal""temp0":71.5})", R"({"GHSmm":"inf","T":nan,"U":-inf})",
        R"({"Msg":{"error_code":["110":"2023-01-01","111":"x"]}})",
        R"({"STATUS":"E","Code":45,"Msg":"Access denied"})"})
    out.emplace_back(s);
  return out;
}

class Mutator {
 public:
  explicit Mutator(uint32_t seed) : rng_(seed) {}

  std::string mutate(std::string s) {
    const int ops = 1 + static_cast<int>(below(4));
    for (int i = 0; i < ops; ++i) apply(s);
    if (s.size() > kMaxInput) s.resize(kMaxInput);
    return s;
  }

 private:
  std::size_t below(std::size_t n) { return n == 0 ? 0 : rng_() % n; }

  void apply(std::string& s) {
    static const std::string kTokens[] = {",",     "}",
                                          "{",     "[",
                                          "]",     "\"",
                                          "\\",    ":",
                                          "inf",   "nan",
                                          "-nan",  "\0"s,
                                          "\n",    "\xff",
                                          "\xc3",  "\xed\xa0\x80",
                                          "\\u",   "\\ud800",
                                          "}{",    "[,{",
                                          ",}",    "\"\"",
                                          "1e999", "-",
                                          "null",  "\"error_code\":["};
    const std::size_t at = below(s.size() + 1);
    switch (below(6)) {
      case 0:  // overwrite a byte
        if (!s.empty()) s[below(s.size())] = static_cast<char>(rng_());
        break;
      case 1:  // insert a token the repairs care about
        s.insert(at, kTokens[below(std::size(kTokens))]);
        break;
      case 2:  // delete a range
        s.erase(at, below(16) + 1);
        break;
      case 3:  // duplicate a range
        s.insert(at, s.substr(below(s.size() + 1), below(64)));
        break;
      case 4:  // truncate
        s.resize(at);
        break;
      default:  // swap two bytes
        if (s.size() > 1) std::swap(s[below(s.size())], s[below(s.size())]);
        break;
    }
  }

  std::mt19937 rng_;
};

void expect_ok(const std::string& input, const std::string& what) {
  const std::string problem = check_cgminer_json_input(input);
  EXPECT_TRUE(problem.empty()) << what << ": " << problem << "\n  input: '"
                               << drivers::detail::printable_prefix(input, 200) << "'";
}

TEST(FuzzReplay, FixturesAndTheirBrokenVariants) {
  const auto all = seeds();
  ASSERT_GE(all.size(), 60u);
  for (std::size_t i = 0; i < all.size(); ++i) {
    expect_ok(all[i], "seed " + std::to_string(i));
    for (const auto& v : broken_variants(all[i]))
      expect_ok(v.bytes, "seed " + std::to_string(i) + "/" + v.name);
  }
}

TEST(FuzzReplay, DeterministicMutations) {
  const auto all = seeds();
  Mutator m(20251122);
  for (int i = 0; i < kMutations; ++i) {
    const std::string input = m.mutate(all[static_cast<std::size_t>(i) % all.size()]);
    expect_ok(input, "mutation " + std::to_string(i));
    if (HasFailure() && i > 0) break;  // one reproducer is enough
  }
}

TEST(FuzzReplay, PathologicalShapes) {
  expect_ok(std::string(100000, '['), "deep brackets");
  expect_ok(std::string(100000, '{'), "deep braces");
  expect_ok("[" + std::string(100000, ',') + "]", "commas");
  expect_ok(std::string(100000, '"'), "quotes");
  expect_ok("\"" + std::string(100000, '\\'), "backslashes");
  expect_ok(std::string(100000, '\0'), "NULs");
  expect_ok("[" + std::string(50000, '1') + "]", "long number");
  std::string many = "[";
  for (int i = 0; i < 20000; ++i) many += "{}";
  expect_ok(many, "missing commas");
}

}  // namespace
}  // namespace rigkeeper::test
