// The simulator's Avalon replies against the captures: the same sections and keys, and module
// strings carrying the same bracket keys (the parser's inputs) as the real ones.
#include <gtest/gtest.h>

#include "drivers/asic/avalon/bracket.h"
#include "tests/unit/sim/sim_test_util.h"

namespace rigkeeper::drivers::sim::test {
namespace {

using Json = nlohmann::ordered_json;

std::set<std::string> bracket_keys(const std::string& s) {
  std::set<std::string> out;
  for (const auto& [k, v] : drivers::avalon::parse_brackets(s)) out.insert(k);
  return out;
}

Json reply(std::string_view model, std::string_view command) {
  AsicDevice device(identity_of(Family::kAvalon, model), t0());
  const auto r = reading_of(device, std::chrono::seconds(600));
  return reply_of(Family::kAvalon, command, r);
}

void same_keys(const Json& mine, const Json& capture, const char* section) {
  ASSERT_TRUE(mine.contains(section)) << section;
  ASSERT_TRUE(capture.contains(section)) << section;
  EXPECT_EQ(key_set(mine[section][0]), key_set(capture[section][0])) << section;
  EXPECT_EQ(key_set(mine["STATUS"][0]), key_set(capture["STATUS"][0]));
  EXPECT_EQ(mine["STATUS"][0]["Description"], capture["STATUS"][0]["Description"]);
}

TEST(AvalonSimShape, ReportCommandsMatchCaptures) {
  same_keys(reply("Avalon Q", "version"), fixture_json("asic/avalon/version.json"), "VERSION");
  same_keys(reply("AvalonMiner 1246", "version"), fixture_json("asic/avalon/version_libminer.json"),
            "VERSION");
  for (const char* model : {"Avalon Q", "AvalonMiner 1246"}) {
    same_keys(reply(model, "summary"), fixture_json("asic/avalon/summary.json"), "SUMMARY");
    same_keys(reply(model, "devs"), fixture_json("asic/avalon/devs.json"), "DEVS");
    same_keys(reply(model, "pools"), fixture_json("asic/avalon/pools.json"), "POOLS");
    same_keys(reply(model, "devdetails"), fixture_json("asic/avalon/devdetails.json"),
              "DEVDETAILS");
    same_keys(reply(model, "config"), fixture_json("asic/avalon/config.json"), "CONFIG");
  }
}

TEST(AvalonSimShape, Avalon1246StatsMatchesCapture) {
  const Json mine = reply("AvalonMiner 1246", "stats");
  const Json cap = fixture_json("asic/avalon/stats_avalon_1246.json");
  EXPECT_EQ(key_set(mine["STATS"][0]), key_set(cap["STATS"][0]));
  EXPECT_EQ(key_set(mine["STATS"][1]), key_set(cap["STATS"][1])) << "POOL0 entry";
  EXPECT_EQ(bracket_keys(mine["STATS"][0]["MM ID0"].get<std::string>()),
            bracket_keys(cap["STATS"][0]["MM ID0"].get<std::string>()));
}

TEST(AvalonSimShape, AvalonQStatsMatchesCapture) {
  const Json mine = reply("Avalon Q", "stats");
  const Json cap = fixture_json("asic/avalon/stats_avalon_q_softoff.json");
  EXPECT_EQ(key_set(mine["STATS"][0]), key_set(cap["STATS"][0]));
  EXPECT_EQ(key_set(mine["STATS"][1]), key_set(cap["STATS"][1]));
  const auto s = mine["STATS"][0]["MM ID0:Summary"].get<std::string>();
  EXPECT_EQ(s.rfind("'STATS':{", 0), 0u);
  EXPECT_EQ(bracket_keys(s), bracket_keys(cap["STATS"][0]["MM ID0:Summary"].get<std::string>()));
  EXPECT_EQ(bracket_keys(mine["STATS"][0]["HBinfo"].get<std::string>()),
            bracket_keys(cap["STATS"][0]["HBinfo"].get<std::string>()));
  const Json lite = reply("Avalon Q", "litestats");
  EXPECT_EQ(key_set(lite["STATS"][0]),
            key_set(fixture_json("asic/avalon/litestats.json")["STATS"][0]));
}

}  // namespace
}  // namespace rigkeeper::drivers::sim::test
