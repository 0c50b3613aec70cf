// Braiins OS+ public REST API (25.07): golden values derived by hand from the captures
// shared/fixtures/asic/braiins/rest_v25_07_*.json (an Antminer S19 XP), and broken variants.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "drivers/asic/braiins/rest_parser.h"
#include "tests/support/fixtures.h"

namespace rigkeeper::drivers::braiins {
namespace {

using nlohmann::json;

json load(const std::string& name) {
  return json::parse(test::read_fixture("asic/braiins/rest_v25_07_" + name + ".json"));
}

RestReplies captured() {
  RestReplies r;
  r.details = load("miner_details");
  r.stats = load("miner_stats");
  r.hashboards = load("miner_hw_hashboards");
  r.cooling = load("cooling_state");
  r.errors = load("miner_errors");
  r.pools = load("pools");
  r.tuner = load("performance_tuner_state");
  return r;
}

TEST(BraiinsRestParser, CapturedS19XpMapsEveryField) {
  auto snap = parse_rest(captured());
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->firmware, "braiins");
  EXPECT_EQ(snap->firmware_version, "2025-08-06-0-3881c51d-25.07-plus");
  EXPECT_EQ(snap->make, "Bitmain");
  EXPECT_EQ(snap->model, "Antminer S19 XP");
  EXPECT_EQ(snap->state, DeviceState::kMining);  // status 2, hashing
  // miner_stats.real_hashrate.last_5s = 141463.56540072063 GH/s
  EXPECT_NEAR(*snap->hashrate_ths, 141.46356540072063, 1e-9);
  // miner_stats.nominal_hashrate (tuned) beats sticker_hashrate (141000 GH/s)
  EXPECT_NEAR(*snap->hashrate_nominal_ths, 142.876598290866, 1e-9);
  EXPECT_DOUBLE_EQ(*snap->power_w, 3137);
  EXPECT_DOUBLE_EQ(*snap->power_limit_w, 3031);  // powertargetmodestate.current_target
  EXPECT_NEAR(*snap->efficiency_jth, 21.785613792493763, 1e-9);
  EXPECT_DOUBLE_EQ(*snap->temp_max_c, 70.5);
  EXPECT_EQ(snap->fans_rpm, (std::vector<double>{5904, 5874, 5874, 5904}));
  EXPECT_EQ(snap->uptime_s, 69685);  // bosminer_uptime_s
  ASSERT_EQ(snap->boards.size(), 3u);
  const auto& b0 = snap->boards[0];
  EXPECT_EQ(b0.index, 0);  // id "1"
  EXPECT_NEAR(*b0.hashrate_ths, 50.13772942148807, 1e-9);
  EXPECT_EQ(b0.chips, 110);
  EXPECT_EQ(b0.chips_expected, 110);  // S19 XP in the model table
  EXPECT_DOUBLE_EQ(*b0.temp_board_c, 55.5);
  EXPECT_DOUBLE_EQ(*b0.temp_chip_c, 70.5);
  EXPECT_FALSE(b0.hw_errors);  // REST reports an error rate, not a count
  EXPECT_EQ(b0.status, "ok");
  EXPECT_NEAR(*snap->boards[1].hashrate_ths, 47.859278339866236, 1e-9);
  EXPECT_DOUBLE_EQ(*snap->boards[1].temp_chip_c, 67.0);
  EXPECT_DOUBLE_EQ(*snap->boards[2].temp_board_c, 54.0);
  ASSERT_TRUE(snap->pool);
  EXPECT_EQ(snap->pool->url, "stratum+tcp://example.pool.com:3333");
  EXPECT_EQ(snap->pool->user, "asic_rs.test");
  EXPECT_EQ(snap->pool->status, "alive");
  // miner/errors: eight entries, two distinct messages.
  EXPECT_EQ(snap->errors, (std::vector<std::string>{
                              "firmware: Failed to resolve (\"a830bcc3.bos.braiins.com\", 3336)",
                              "firmware: Failed to resolve (\"mine.ocean.xyz\", 3334)"}));
}

TEST(BraiinsRestParser, StatusWordsBecomeStates) {
  auto r = captured();
  (*r.details)["status"] = 3;  // paused
  r.stats =
      json::parse(R"({"miner_stats":{"real_hashrate":{"last_5s":{"gigahash_per_second":0}}}})");
  EXPECT_EQ(parse_rest(r)->state, DeviceState::kSleeping);
  (*r.details)["status"] = 4;  // suspended by DPS
  EXPECT_EQ(parse_rest(r)->state, DeviceState::kSleeping);
  (*r.details)["status"] = 1;  // not started
  EXPECT_EQ(parse_rest(r)->state, DeviceState::kStarting);
  EXPECT_EQ(miner_status(&*r.details), MinerStatus::kNotStarted);
  (*r.details)["status"] = 9;
  EXPECT_EQ(miner_status(&*r.details), MinerStatus::kUnknown);
}

TEST(BraiinsRestParser, DetailsAndStatsMissingIsAProtocolError) {
  RestReplies r;
  r.cooling = load("cooling_state");
  auto snap = parse_rest(r);
  ASSERT_FALSE(snap);
  EXPECT_EQ(snap.error().code, Errc::kProtocol);
}

TEST(BraiinsRestParser, MissingPartsLeaveNullsNotZeros) {
  RestReplies r;
  r.details = load("miner_details");
  auto snap = parse_rest(r);
  ASSERT_TRUE(snap);
  EXPECT_FALSE(snap->hashrate_ths);
  EXPECT_FALSE(snap->power_w);
  EXPECT_FALSE(snap->power_limit_w);
  EXPECT_NEAR(*snap->hashrate_nominal_ths, 141.0, 1e-9);  // sticker_hashrate
  EXPECT_TRUE(snap->fans_rpm.empty());
  EXPECT_FALSE(snap->pool);
  EXPECT_NE(std::find(snap->errors.begin(), snap->errors.end(), "miner stats unreadable"),
            snap->errors.end());
}

TEST(BraiinsRestParser, WrongTypesAreIgnored) {
  auto r = captured();
  (*r.stats)["power_stats"]["approximated_consumption"]["watt"] = "lots";
  (*r.hashboards)["hashboards"][0]["chips_count"] = json::array();
  (*r.hashboards)["hashboards"][1]["board_temp"] = 7;
  (*r.cooling)["fans"] = "none";
  (*r.pools)[0]["pools"] = json::object();
  r.tuner = json::array({1, 2});
  auto snap = parse_rest(r);
  ASSERT_TRUE(snap);
  EXPECT_FALSE(snap->power_w);
  EXPECT_FALSE(snap->boards[0].chips);
  EXPECT_FALSE(snap->boards[1].temp_board_c);
  EXPECT_TRUE(snap->fans_rpm.empty());
  EXPECT_FALSE(snap->pool);
  EXPECT_FALSE(snap->power_limit_w);
}

TEST(BraiinsRestParser, DisabledBoardAndDeadPool) {
  auto r = captured();
  (*r.hashboards)["hashboards"][2]["enabled"] = false;
  for (auto& p : (*r.pools)[0]["pools"]) {
    p["active"] = false;
    p["alive"] = false;
  }
  auto snap = parse_rest(r);
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->boards[2].status, "disabled");
  ASSERT_TRUE(snap->pool);
  EXPECT_EQ(snap->pool->status, "dead");
  EXPECT_NE(std::find(snap->errors.begin(), snap->errors.end(),
                      "pool stratum+tcp://example.pool.com:3333 dead"),
            snap->errors.end());
}

TEST(BraiinsRestParser, MissingChipsAreReported) {
  auto r = captured();
  (*r.hashboards)["hashboards"][1]["chips_count"] = 104;
  auto snap = parse_rest(r);
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->boards[1].status, "fault");
  EXPECT_NE(std::find(snap->errors.begin(), snap->errors.end(), "board 1: 104 of 110 chips"),
            snap->errors.end());
}

TEST(BraiinsRestParser, LocateAndPowerTargetReaders) {
  json t = true, n = 5;
  EXPECT_EQ(locate_on(&t), true);
  EXPECT_FALSE(locate_on(&n));
  EXPECT_FALSE(locate_on(nullptr));
  auto tuner = load("performance_tuner_state");
  EXPECT_EQ(power_target_w(&tuner), 3031);
  tuner["mode_state"]["powertargetmodestate"].erase("current_target");
  EXPECT_EQ(power_target_w(&tuner), 3031);  // profile.target
}

TEST(BraiinsRestParser, BrokenCapturesNeverCrash) {
  const std::pair<const char*, const char*> files[] = {
      {"miner_details", "miner/details"},
      {"miner_stats", "miner/stats"},
      {"miner_hw_hashboards", "miner/hw/hashboards"},
      {"cooling_state", "cooling/state"},
      {"miner_errors", "miner/errors"},
      {"pools", "pools"},
      {"performance_tuner_state", "performance/tuner-state"}};
  for (const auto& [file, api_path] : files) {
    const std::string good =
        test::read_fixture(std::string("asic/braiins/rest_v25_07_") + file + ".json");
    for (const auto& v : test::broken_variants(good)) {
      auto r = captured();
      auto* slot = r.slot(api_path);
      ASSERT_NE(slot, nullptr) << api_path;
      auto parsed = json::parse(v.bytes, nullptr, false);
      if (parsed.is_discarded()) {
        slot->reset();
      } else {
        *slot = parsed;
      }
      auto snap = parse_rest(r);  // must not throw: a snapshot, or kProtocol
      if (!snap) {
        EXPECT_EQ(snap.error().code, Errc::kProtocol) << file << " " << v.name;
      }
    }
  }
}

}  // namespace
}  // namespace rigkeeper::drivers::braiins
