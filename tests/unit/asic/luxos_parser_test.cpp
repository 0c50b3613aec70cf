// LuxOS captures (LUXminer 2025.4.8 on an Antminer S19k Pro) through luxos::parse_replies.
#include <gtest/gtest.h>

#include "drivers/asic/luxos/parser.h"
#include "tests/unit/asic/asic_test_util.h"

namespace rigkeeper::drivers::luxos {
namespace {

using nlohmann::json;

asic::Replies captured() {
  return test::load_dir("asic/luxos",
                        {"version", "summary", "devs", "stats", "pools", "power", "config"});
}

json* dev_with_id(asic::Replies& r, int id) {
  for (auto& d : r["devs"]["DEVS"])
    if (d["ID"] == id) return &d;
  return nullptr;
}

TEST(LuxosParser, GoldenS19kPro) {
  auto snap = parse_replies(captured());
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->make, "Bitmain");
  EXPECT_EQ(snap->model, "Antminer S19k Pro");
  EXPECT_EQ(snap->firmware, "luxos");
  EXPECT_EQ(snap->firmware_version, "2025.4.8.220305-57b389c7");
  EXPECT_EQ(snap->state, DeviceState::kMining);
  EXPECT_DOUBLE_EQ(*snap->hashrate_ths, 59.75606);  // SUMMARY GHS 5s
  // Expected at the active 290MHz profile: 3 x devs Nominal MHS 20651400 (= total_rateideal
  // 61954.2 GH). NameplateTHS (121.8) is the stock rating, not what this profile should reach.
  EXPECT_NEAR(*snap->hashrate_nominal_ths, 61.9542, 1e-9);
  EXPECT_DOUBLE_EQ(*snap->power_w, 1051);
  EXPECT_FALSE(snap->power_limit_w);
  EXPECT_NEAR(*snap->efficiency_jth, 1051 / 59.75606, 1e-9);
  EXPECT_EQ(snap->uptime_s, 3453);
  EXPECT_EQ(snap->fans_rpm, (std::vector<double>{1920, 1920, 2340, 2340}));
  EXPECT_DOUBLE_EQ(*snap->temp_max_c, 47.0);

  // devs lists boards out of order (IDs 2, 0, 1); boards come out by index, hashrate = MHS 5s.
  ASSERT_EQ(snap->boards.size(), 3u);
  const double rates[] = {19.77382571692016, 19.2305887466751, 20.751652263361264};
  for (int i = 0; i < 3; ++i) {
    const auto& b = snap->boards[i];
    SCOPED_TRACE(i);
    EXPECT_EQ(b.index, i);
    EXPECT_DOUBLE_EQ(*b.hashrate_ths, rates[i]);
    EXPECT_EQ(b.chips, 77);  // stats chain_acnN; total_acn (4) is wrong and unused
    EXPECT_EQ(b.chips_expected, 77);
    EXPECT_DOUBLE_EQ(*b.temp_board_c, 47.0);
    EXPECT_DOUBLE_EQ(*b.temp_chip_c, 47.0);
    EXPECT_EQ(b.hw_errors, 0);
    EXPECT_EQ(b.status, "ok");
  }
  ASSERT_TRUE(snap->pool);
  EXPECT_EQ(snap->pool->url, "stratum+tcp://ca.stratum.braiins.com:3333");
  EXPECT_EQ(snap->pool->user, "asic-rs.user1");
  EXPECT_EQ(snap->pool->status, "alive");
  EXPECT_EQ(snap->errors,
            (std::vector<std::string>{"pool 1 dead: stratum+tcp://stratum.braiins.com:3333",
                                      "pool 3 dead: stratum+tcp://stratum.braiins.com:3333"}));
}

TEST(LuxosParser, CurtailedMinerIsSleeping) {
  auto r = captured();
  r["config"]["CONFIG"][0]["CurtailMode"] = "Sleep";
  r["summary"]["SUMMARY"][0]["GHS 5s"] = 0;
  r["power"]["POWER"][0]["Watts"] = 25;
  auto snap = parse_replies(r);
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->state, DeviceState::kSleeping);
  EXPECT_DOUBLE_EQ(*snap->power_w, 25);
  EXPECT_FALSE(snap->efficiency_jth);  // no J/TH at zero hashrate
}

TEST(LuxosParser, UserShutdownBoardIsDisabledNotFaulty) {
  auto r = captured();
  json* d = dev_with_id(r, 1);
  ASSERT_NE(d, nullptr);
  (*d)["IsUserShutdown"] = true;
  (*d)["MHS 5s"] = 0;
  auto snap = parse_replies(r);
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->boards[1].status, "disabled");
  EXPECT_EQ(snap->errors.size(), 2u);  // only the two dead pools
}

TEST(LuxosParser, DeadBoardReportedByFirmware) {
  auto r = captured();
  (*dev_with_id(r, 2))["Status"] = "Dead";
  auto snap = parse_replies(r);
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->boards[2].status, "fault");
  EXPECT_EQ(snap->errors.front(), "board 2: firmware reports dead");
}

TEST(LuxosParser, RampingAfterWakeupIsStarting) {
  auto r = captured();
  r["summary"]["SUMMARY"][0]["GHS 5s"] = 0;
  for (auto& d : r["devs"]["DEVS"]) {
    d["MHS 5s"] = 0;
    d["IsRamping"] = true;
  }
  auto snap = parse_replies(r);
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->state, DeviceState::kStarting);
}

TEST(LuxosParser, ConfigWarnings) {
  auto r = captured();
  r["config"]["CONFIG"][0]["IsPowerSupplyOn"] = false;
  r["config"]["CONFIG"][0]["SystemStatus"] = "Overheat";
  auto snap = parse_replies(r);
  ASSERT_TRUE(snap);
  ASSERT_EQ(snap->errors.size(), 4u);  // the two dead pools, then these
  EXPECT_EQ(snap->errors[2], "power supply reported off");
  EXPECT_EQ(snap->errors[3], "system status: Overheat");
}

TEST(LuxosParser, FallbacksWhenPartsAreMissing) {
  auto r = captured();
  r.erase("devs");
  auto no_devs = parse_replies(r);
  ASSERT_TRUE(no_devs);
  // Boards from stats alone: chain_rateN (GH, 'MHS av'-like) and the pcb sensors.
  EXPECT_DOUBLE_EQ(*no_devs->boards[0].hashrate_ths, 18.91028);
  EXPECT_NEAR(*no_devs->hashrate_nominal_ths, 61.9542, 1e-9);  // total_rateideal
  EXPECT_EQ(no_devs->errors.front(), "devs missing or unreadable: no per-board hashrate");

  r.erase("stats");
  r.erase("power");
  auto nominal = parse_replies(r);
  ASSERT_TRUE(nominal);
  EXPECT_DOUBLE_EQ(*nominal->hashrate_nominal_ths, 121.8);  // last resort: NameplateTHS
  EXPECT_FALSE(nominal->power_w);
  EXPECT_TRUE(nominal->boards.empty());

  r = captured();
  r.erase("summary");
  auto no_summary = parse_replies(r);
  ASSERT_TRUE(no_summary);
  EXPECT_NEAR(*no_summary->hashrate_ths, 19.77382571692016 + 19.2305887466751 + 20.751652263361264,
              1e-9);
  EXPECT_EQ(no_summary->uptime_s, 3453);  // stats Elapsed

  asic::Replies only_pools{{"pools", r["pools"]}, {"version", r["version"]}};
  auto nothing = parse_replies(only_pools);
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().code, Errc::kProtocol);
}

TEST(LuxosParser, OtherCapturesAreReadable) {
  // Replies this driver does not poll still parse as cgminer replies (fans, temps, profiles,
  // events, healthchipget, voltageget, the curtail docs example).
  for (const auto& f : {"fans", "temps", "profiles", "events", "healthchipget_board0",
                        "voltageget_board0", "curtail_sleep_docs_example"}) {
    auto j = test::load_json(std::string("asic/luxos/") + f + ".json");
    EXPECT_TRUE(asic::status_ok(&j)) << f;
  }
}

}  // namespace
}  // namespace rigkeeper::drivers::luxos
