// The generic cgminer-API fallback on captures from firmware it has no family for (Avalon) and
// on the stock Antminer captures (which it must read without Antminer knowledge).
#include <gtest/gtest.h>

#include "drivers/asic/cgminer/parser.h"
#include "tests/unit/asic/asic_test_util.h"

namespace rigkeeper::drivers::cgminer {
namespace {

TEST(CgminerParser, AvalonQSoftOff) {
  auto r = test::load_dir("asic/avalon", {"version", "summary", "devs", "pools"});
  r["stats"] =
      test::load_json("asic/avalon/stats_avalon_q_softoff.json");  // bracket strings: no chain keys
  auto snap = parse_replies(r);
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->firmware, "cgminer");
  EXPECT_EQ(snap->model, "Avalon Q");
  EXPECT_EQ(snap->make, "Canaan");
  EXPECT_EQ(snap->firmware_version, "4.11.1");
  EXPECT_DOUBLE_EQ(*snap->hashrate_ths, 0.0);  // MHS 5s 0.00: a reported zero
  EXPECT_EQ(snap->uptime_s, 37714);
  EXPECT_EQ(snap->state, DeviceState::kIdle);  // soft-off is invisible to the generic reader
  ASSERT_EQ(snap->boards.size(), 1u);          // one ASC device
  EXPECT_DOUBLE_EQ(*snap->boards[0].hashrate_ths, 0.0);
  EXPECT_FALSE(snap->boards[0].temp_board_c);  // Temperature 0.00: no sensor reading
  EXPECT_FALSE(snap->boards[0].chips);
  EXPECT_EQ(snap->boards[0].status, "ok");
  EXPECT_FALSE(snap->hashrate_nominal_ths);
  EXPECT_FALSE(snap->power_w);
  EXPECT_TRUE(snap->fans_rpm.empty());
  ASSERT_TRUE(snap->pool);
  EXPECT_EQ(snap->pool->url, "stratum+tcp://pool.example.com:4444");
  EXPECT_EQ(snap->errors, std::vector<std::string>{kUnrecognisedNote});
}

TEST(CgminerParser, StockAntminerWithoutFamilyKnowledge) {
  auto r = test::load_dir("asic/antminer_stock", {"version", "summary", "devs", "pools", "stats"});
  auto snap = parse_replies(r);
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->model, "Antminer S19 Pro");
  EXPECT_EQ(snap->firmware_version, "1.0.0");  // BMMiner
  EXPECT_DOUBLE_EQ(*snap->hashrate_ths, 110.56689);
  EXPECT_DOUBLE_EQ(*snap->hashrate_nominal_ths, 110.0);
  // chain keys beat the single BTM_SOC device; without a model table the window ends at the
  // last populated chain and chips_expected stays null.
  ASSERT_EQ(snap->boards.size(), 3u);
  EXPECT_DOUBLE_EQ(*snap->boards[1].hashrate_ths, 35.53622);
  EXPECT_FALSE(snap->boards[1].chips_expected);
  EXPECT_EQ(snap->fans_rpm.size(), 4u);
  EXPECT_EQ(snap->state, DeviceState::kMining);
}

TEST(CgminerParser, DevsOnlyAndTypos) {
  asic::Replies r;
  r["devs"] = test::load_json("asic/antminer_stock/devs.json");  // Tenperature 0.0, MHS 0
  auto snap = parse_replies(r);
  ASSERT_TRUE(snap);
  ASSERT_EQ(snap->boards.size(), 1u);
  EXPECT_DOUBLE_EQ(*snap->hashrate_ths, 0.0);
  EXPECT_FALSE(snap->boards[0].temp_board_c);
  EXPECT_FALSE(snap->uptime_s);
  EXPECT_FALSE(snap->pool);
  EXPECT_EQ(snap->model, "");
  EXPECT_EQ(snap->state, DeviceState::kIdle);

  r["devs"]["DEVS"][0]["Tenperature"] = 64.5;
  r["devs"]["DEVS"][0]["Status"] = "Sick";
  snap = parse_replies(r);
  ASSERT_TRUE(snap);
  EXPECT_DOUBLE_EQ(*snap->boards[0].temp_board_c, 64.5);
  EXPECT_EQ(snap->boards[0].status, "fault");
  EXPECT_EQ(snap->errors.back(), "board 0: firmware reports sick");
}

TEST(CgminerParser, ErrorRepliesAreNotASnapshot) {
  asic::Replies r;
  r["summary"] = test::load_json("asic/errors/invalid_command_s19pro_stock.json");
  r["devs"] = test::load_json("asic/errors/devdetails_access_denied_hiveon.json");
  auto snap = parse_replies(r);
  ASSERT_FALSE(snap);
  EXPECT_EQ(snap.error().code, Errc::kProtocol);
}

}  // namespace
}  // namespace rigkeeper::drivers::cgminer
