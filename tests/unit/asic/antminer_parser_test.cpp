// Stock Antminer S19 Pro captures (BMMiner 1.0.0 / Miner 49.0.1.3) through antminer::parse_replies.
#include <gtest/gtest.h>

#include "drivers/asic/antminer/parser.h"
#include "tests/unit/asic/asic_test_util.h"

namespace rigkeeper::drivers::antminer {
namespace {

using nlohmann::json;
using test::load_dir;

const char* kDir = "asic/antminer_stock";

asic::Replies captured() { return load_dir(kDir, {"version", "summary", "stats", "pools"}); }

json& stats_block(asic::Replies& r) { return r["stats"]["STATS"][1]; }

TEST(AntminerParser, GoldenS19Pro) {
  auto snap = parse_replies(captured());
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->kind, DeviceKind::kAsic);
  EXPECT_EQ(snap->make, "Bitmain");
  EXPECT_EQ(snap->model, "Antminer S19 Pro");
  EXPECT_EQ(snap->firmware, "stock");
  EXPECT_EQ(snap->firmware_version, "49.0.1.3");
  EXPECT_EQ(snap->state, DeviceState::kMining);
  EXPECT_DOUBLE_EQ(*snap->hashrate_ths, 110.56689);      // SUMMARY GHS 5s 110566.89
  EXPECT_DOUBLE_EQ(*snap->hashrate_nominal_ths, 110.0);  // total_rateideal 110000 GH
  EXPECT_FALSE(snap->power_w);                           // stock cgminer API reports no power
  EXPECT_FALSE(snap->power_limit_w);
  EXPECT_FALSE(snap->efficiency_jth);
  EXPECT_EQ(snap->uptime_s, 50474);
  EXPECT_EQ(snap->fans_rpm, (std::vector<double>{6000, 5880, 5040, 5040}));
  EXPECT_DOUBLE_EQ(*snap->temp_max_c, 78.0);  // temp_chip1 "78-50-69-70"

  // Three boards of 114 chips; chain 4 is an empty slot of the 4-chain control board: dropped.
  ASSERT_EQ(snap->boards.size(), 3u);
  const double rates[] = {37.6033, 35.53622, 37.42738};
  const double pcb[] = {73, 66, 64};
  const double chip[] = {78, 71, 69};
  const int64_t hw[] = {183, 195, 184};
  for (int i = 0; i < 3; ++i) {
    const auto& b = snap->boards[i];
    SCOPED_TRACE(i);
    EXPECT_EQ(b.index, i);
    EXPECT_DOUBLE_EQ(*b.hashrate_ths, rates[i]);
    EXPECT_EQ(b.chips, 114);
    EXPECT_EQ(b.chips_expected, 114);
    EXPECT_DOUBLE_EQ(*b.temp_board_c, pcb[i]);
    EXPECT_DOUBLE_EQ(*b.temp_chip_c, chip[i]);
    EXPECT_EQ(b.hw_errors, hw[i]);
    EXPECT_EQ(b.status, "ok");
  }
  ASSERT_TRUE(snap->pool);
  EXPECT_EQ(snap->pool->url, "stratum+tcp://btc.global.luxor.tech:700");
  EXPECT_EQ(snap->pool->user, "satokierepair.H04YK");
  EXPECT_EQ(snap->pool->status, "alive");
  EXPECT_TRUE(snap->errors.empty()) << snap->errors.front();
}

TEST(AntminerParser, DevsCaptureIsNotNeeded) {
  auto r = captured();
  r["devs"] = test::load_json(std::string(kDir) + "/devs.json");  // the single BTM_SOC
  auto snap = parse_replies(r);
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->boards.size(), 3u);
}

TEST(AntminerParser, WithoutVersionTheModelComesFromStats) {
  auto r = captured();
  r.erase("version");
  auto snap = parse_replies(r);
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->model, "Antminer S19 Pro");
  EXPECT_FALSE(snap->firmware_version);
  EXPECT_EQ(snap->boards[0].chips_expected, 114);
}

TEST(AntminerParser, DeadBoardIsMissingAndNamed) {
  auto r = captured();
  auto& s = stats_block(r);
  s["chain_acn2"] = 0;
  s["chain_acs2"] = "";
  s["chain_rate2"] = "";
  s["temp_pcb2"] = "0-0-0-0";
  s["temp_chip2"] = "0-0-0-0";
  auto snap = parse_replies(r);
  ASSERT_TRUE(snap);
  ASSERT_EQ(snap->boards.size(), 3u);
  EXPECT_EQ(snap->boards[1].status, "missing");
  EXPECT_EQ(snap->boards[1].chips, 0);
  EXPECT_FALSE(snap->boards[1].hashrate_ths);  // "" is not a measured 0
  EXPECT_EQ(snap->errors, std::vector<std::string>{"board 1: 0 of 114 chips"});
  EXPECT_EQ(snap->state, DeviceState::kMining);
}

TEST(AntminerParser, ChipLossAndBadChips) {
  auto r = captured();
  auto& s = stats_block(r);
  s["chain_acn1"] = "110";  // a string where a number is expected still reads
  std::string acs = s["chain_acs3"];
  acs[5] = 'x';
  s["chain_acs3"] = acs;
  auto snap = parse_replies(r);
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->boards[0].status, "fault");
  EXPECT_EQ(snap->boards[2].status, "fault");
  EXPECT_EQ(snap->errors,
            (std::vector<std::string>{"board 2: 1 chips marked x", "board 0: 110 of 114 chips"}));
}

TEST(AntminerParser, StateRules) {
  auto r = captured();
  r["summary"]["SUMMARY"][0]["GHS 5s"] = 0;
  auto idle = parse_replies(r);
  ASSERT_TRUE(idle);
  EXPECT_DOUBLE_EQ(*idle->hashrate_ths, 0.0);
  // Boards still carry their chain rates from stats, but the device-level 5 s rate rules.
  EXPECT_EQ(idle->state, DeviceState::kIdle);

  r["summary"]["SUMMARY"][0]["Elapsed"] = 120;
  EXPECT_EQ(parse_replies(r)->state, DeviceState::kStarting);

  r["summary"]["SUMMARY"][0]["Elapsed"] = 5000;
  auto& s = stats_block(r);
  for (int n = 1; n <= 4; ++n) {
    s["chain_acn" + std::to_string(n)] = 0;
    s["chain_rate" + std::to_string(n)] = "";
    s["temp_pcb" + std::to_string(n)] = "0-0-0-0";
    s["temp_chip" + std::to_string(n)] = "0-0-0-0";
  }
  auto dead = parse_replies(r);
  ASSERT_TRUE(dead);
  EXPECT_EQ(dead->state, DeviceState::kFault);
  EXPECT_EQ(dead->boards.size(), 3u);
  EXPECT_EQ(dead->errors.size(), 3u);
}

TEST(AntminerParser, MissingSectionsGiveNullsAndErrors) {
  auto r = captured();
  r.erase("summary");
  auto no_summary = parse_replies(r);
  ASSERT_TRUE(no_summary);
  EXPECT_DOUBLE_EQ(*no_summary->hashrate_ths, 110.56689);  // stats' own GHS 5s
  EXPECT_EQ(no_summary->uptime_s, 50474);
  EXPECT_EQ(no_summary->errors, std::vector<std::string>{"summary missing or unreadable"});

  r = captured();
  r.erase("stats");
  auto no_stats = parse_replies(r);
  ASSERT_TRUE(no_stats);
  EXPECT_TRUE(no_stats->boards.empty());
  EXPECT_TRUE(no_stats->fans_rpm.empty());
  EXPECT_FALSE(no_stats->hashrate_nominal_ths);
  EXPECT_EQ(no_stats->state, DeviceState::kMining);
  EXPECT_EQ(no_stats->errors.size(), 1u);

  r.erase("summary");
  auto none = parse_replies(r);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::kProtocol);
}

TEST(AntminerParser, RateUnitIsHonoured) {
  auto r = captured();
  auto& s = stats_block(r);
  s["rate_unit"] = "MH";
  s["total_rateideal"] = 110000000.0;
  s["chain_rate1"] = "37603300";
  auto snap = parse_replies(r);
  ASSERT_TRUE(snap);
  EXPECT_DOUBLE_EQ(*snap->hashrate_nominal_ths, 110.0);
  EXPECT_DOUBLE_EQ(*snap->boards[0].hashrate_ths, 37.6033);
}

}  // namespace
}  // namespace rigkeeper::drivers::antminer
