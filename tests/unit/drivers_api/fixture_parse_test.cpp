// Every real capture in ../shared/fixtures/asic parses, cgminer-API ones pass (or fail as
// captured) the STATUS check, and broken variants of all of them never crash.
#include <filesystem>
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "drivers/api/cgminer_client.h"
#include "drivers/api/json_repair.h"
#include "tests/support/fixtures.h"

namespace rigkeeper::drivers {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

/// Relative names ("luxos/stats.json") of every JSON capture under asic/.
std::vector<std::string> asic_fixtures() {
  const fs::path root = test::fixture_path("asic");
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().extension() == ".json")
      out.push_back(fs::relative(e.path(), root).generic_string());
  std::sort(out.begin(), out.end());
  return out;
}

/// Captures of other APIs than cgminer's TCP 4028 (REST, GraphQL, web CGI, Whatsminer v3).
bool is_cgminer_api(const std::string& name) {
  for (const char* other : {"braiins/rest_", "braiins/v21_09_gql_", "braiins/v21_09_web_", "vnish/",
                            "proto_sim/", "antminer_stock/web_", "whatsminer/v3_"})
    if (name.rfind(other, 0) == 0) return false;
  return true;
}

TEST(Fixtures, ThereAreEnoughToMeanSomething) {
  const auto all = asic_fixtures();
  EXPECT_GE(all.size(), 60u);
  EXPECT_GE(std::count_if(all.begin(), all.end(), is_cgminer_api), 40);
}

TEST(Fixtures, EveryCaptureParsesUnchanged) {
  for (const auto& name : asic_fixtures()) {
    const std::string bytes = test::read_fixture("asic/" + name);
    auto parsed = parse_cgminer_json(bytes);
    ASSERT_TRUE(parsed) << name << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, json::parse(bytes)) << name;
    // As it comes off the wire: NUL-terminated.
    auto wire = parse_cgminer_json(bytes + std::string(1, '\0'));
    ASSERT_TRUE(wire) << name;
    EXPECT_EQ(*wire, *parsed) << name;
    EXPECT_EQ(repair_cgminer_json(bytes + std::string(1, '\0')),
              bytes.substr(0, bytes.find_last_not_of(" \n\r\t") + 1))
        << name << ": valid JSON must come back as it was";
  }
}

TEST(Fixtures, CgminerCapturesPassTheStatusCheck) {
  int checked = 0;
  for (const auto& name : asic_fixtures()) {
    if (!is_cgminer_api(name)) continue;
    const auto reply = parse_cgminer_json(test::read_fixture("asic/" + name)).value();
    auto status = check_cgminer_status(reply);
    if (name == "errors/devdetails_access_denied_hiveon.json") {
      ASSERT_FALSE(status);
      EXPECT_EQ(status.error().code, Errc::kAuth);
      EXPECT_NE(status.error().message.find("Access denied to 'devdetails'"), std::string::npos);
    } else if (name == "errors/invalid_command_s19pro_stock.json") {
      ASSERT_FALSE(status);
      EXPECT_EQ(status.error().code, Errc::kUnsupported);
    } else {
      EXPECT_TRUE(status) << name << ": " << status.error().message;
    }
    ++checked;
  }
  EXPECT_GE(checked, 40);
}

TEST(Fixtures, BrokenVariantsParseOrGiveProtocolErrors) {
  int repaired = 0, refused = 0;
  for (const auto& name : asic_fixtures()) {
    const std::string good = test::read_fixture("asic/" + name);
    const json original = json::parse(good);
    for (const auto& v : test::broken_variants(good)) {
      auto parsed = parse_cgminer_json(v.bytes);
      if (!parsed) {
        ++refused;
        EXPECT_EQ(parsed.error().code, Errc::kProtocol) << name << "/" << v.name;
        EXPECT_FALSE(parsed.error().message.empty());
        continue;
      }
      ++repaired;
      if (v.name == "trailing_nul") {
        EXPECT_EQ(*parsed, original) << name;
      }
      // A truncated reply is cut back to complete members: a subset of the original's keys.
      if (v.name.rfind("truncated_at_", 0) == 0 && original.is_object()) {
        ASSERT_TRUE(parsed->is_object()) << name << "/" << v.name;
        for (const auto& [key, value] : parsed->items())
          EXPECT_TRUE(original.contains(key)) << name << "/" << v.name << ": " << key;
      }
    }
  }
  EXPECT_GT(repaired, 0);
  EXPECT_GT(refused, 0);
}

TEST(Fixtures, LateTruncationKeepsCompleteSections) {
  // Cut at 99 %: the reply loses its tail; a section that was complete before the cut (STATUS
  // comes first in what firmware sends, last in key-sorted captures) survives intact.
  int kept_status = 0;
  for (const auto& name : asic_fixtures()) {
    if (!is_cgminer_api(name) || name.rfind("errors/", 0) == 0) continue;
    const std::string good = test::read_fixture("asic/" + name);
    const json original = json::parse(good);
    const std::string cut = good.substr(0, good.size() * 99 / 100);
    auto parsed = parse_cgminer_json(cut);
    ASSERT_TRUE(parsed) << name << ": " << parsed.error().message;
    std::smatch m;
    if (!std::regex_search(good, m, std::regex(R"("STATUS"\s*:\s*\[)"))) continue;
    const auto status_end = good.find(']', static_cast<std::size_t>(m.position(0)));
    if (status_end < cut.size()) {
      ASSERT_TRUE(parsed->contains("STATUS")) << name;
      EXPECT_EQ((*parsed)["STATUS"], original["STATUS"]) << name;
      EXPECT_TRUE(check_cgminer_status(*parsed)) << name;
      ++kept_status;
    }
  }
  EXPECT_GE(kept_status, 25);
}

}  // namespace
}  // namespace rigkeeper::drivers
