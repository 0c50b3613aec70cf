// Braiins OS+ through its cgminer-compatible API. Captured: version and fans (bosminer 0.1.0
// README). The other replies are built here with the field names pyasic's bosminer backend
// reads (pyasic/miners/backends/braiins_os.py); their values are ours, not a capture.
#include <gtest/gtest.h>

#include "drivers/asic/braiins/parser.h"
#include "tests/unit/asic/asic_test_util.h"

namespace rigkeeper::drivers::braiins {
namespace {

using nlohmann::json;
using test::reply_with;

asic::Replies captured_only() {
  return test::load_replies({{"version", "asic/braiins/cgminer_api_version_boser.json"},
                             {"fans", "asic/braiins/cgminer_api_fans_boser.json"}});
}

asic::Replies full_set() { return test::braiins_replies(); }

TEST(BraiinsParser, CapturedFansAndVersionAloneAreNotASnapshot) {
  auto snap = parse_replies(captured_only());
  ASSERT_FALSE(snap);
  EXPECT_EQ(snap.error().code, Errc::kProtocol);
}

TEST(BraiinsParser, FullSetMapsEveryField) {
  auto snap = parse_replies(full_set());
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->firmware, "braiins");
  EXPECT_EQ(snap->firmware_version, "boser-buildroot 0.1.0-0ce150e9");  // captured
  EXPECT_EQ(snap->model, "Antminer S19 Pro");
  EXPECT_EQ(snap->make, "Bitmain");
  EXPECT_EQ(snap->fans_rpm, (std::vector<double>{3226, 3315, 3226, 3255}));  // captured
  EXPECT_DOUBLE_EQ(*snap->hashrate_ths, 105.0);
  EXPECT_NEAR(*snap->hashrate_nominal_ths, 3 * 36.666666, 1e-9);
  EXPECT_DOUBLE_EQ(*snap->power_w, 3180);
  EXPECT_DOUBLE_EQ(*snap->power_limit_w, 3250);
  EXPECT_NEAR(*snap->efficiency_jth, 3180 / 105.0, 1e-9);
  EXPECT_EQ(snap->uptime_s, 7200);
  EXPECT_EQ(snap->state, DeviceState::kMining);
  EXPECT_DOUBLE_EQ(*snap->temp_max_c, 72.0);
  ASSERT_EQ(snap->boards.size(), 3u);
  EXPECT_DOUBLE_EQ(*snap->boards[0].hashrate_ths, 35.0);
  EXPECT_EQ(snap->boards[0].chips, 114);
  EXPECT_EQ(snap->boards[0].chips_expected, 114);
  EXPECT_DOUBLE_EQ(*snap->boards[1].temp_board_c, 56.0);
  EXPECT_DOUBLE_EQ(*snap->boards[1].temp_chip_c, 71.0);
  EXPECT_EQ(snap->boards[1].hw_errors, 1);
  EXPECT_EQ(snap->boards[0].status, "ok");
  EXPECT_EQ(snap->boards[2].status, "fault");
  ASSERT_TRUE(snap->pool);
  EXPECT_EQ(snap->pool->user, "farm.w1");
  EXPECT_EQ(snap->errors, (std::vector<std::string>{"board 2: Chip count mismatch",
                                                    "board 2: 110 of 114 chips"}));
}

TEST(BraiinsParser, S9ChainsNumberedFromSix) {
  auto r = full_set();
  for (auto* sec : {&r["devs"]["DEVS"], &r["devdetails"]["DEVDETAILS"], &r["temps"]["TEMPS"]})
    for (auto& e : *sec) e["ID"] = e["ID"].get<int>() + 5;
  for (auto& c : r["tunerstatus"]["TUNERSTATUS"][0]["TunerChainStatus"])
    c["HashchainIndex"] = c["HashchainIndex"].get<int>() + 6;
  for (auto& d : r["devdetails"]["DEVDETAILS"]) d["Model"] = "Bitmain Antminer S9";
  for (auto& d : r["devdetails"]["DEVDETAILS"]) d["Chips"] = 63;
  auto snap = parse_replies(r);
  ASSERT_TRUE(snap);
  ASSERT_EQ(snap->boards.size(), 3u);
  EXPECT_EQ(snap->boards[0].index, 0);
  EXPECT_EQ(snap->boards[2].chips, 63);
  EXPECT_EQ(snap->boards[2].chips_expected, 63);
  EXPECT_EQ(snap->errors, std::vector<std::string>{"board 2: Chip count mismatch"});
}

TEST(BraiinsParser, MissingBoardAndPausedMiner) {
  auto r = full_set();
  r["devs"]["DEVS"].erase(1);
  r["devdetails"]["DEVDETAILS"].erase(1);
  r["temps"]["TEMPS"].erase(1);
  auto snap = parse_replies(r);
  ASSERT_TRUE(snap);
  ASSERT_EQ(snap->boards.size(), 3u);  // the model has three: the one not listed is missing
  EXPECT_EQ(snap->boards[1].status, "missing");

  auto p = full_set();
  p["devdetails"] = json{{"STATUS", {{{"STATUS", "S"}, {"Msg", "Unavailable"}}}}, {"id", 1}};
  p["summary"]["SUMMARY"][0]["MHS 5s"] = 0;
  for (auto& d : p["devs"]["DEVS"]) d["MHS 5s"] = 0;
  auto paused = parse_replies(p);
  ASSERT_TRUE(paused);
  EXPECT_EQ(paused->state, DeviceState::kSleeping);
  EXPECT_EQ(paused->model, "");  // devdetails gave no model while paused
}

TEST(BraiinsParser, TunerChainIndexNumberedLikeDevs) {
  auto r = full_set();
  for (auto& c : r["tunerstatus"]["TUNERSTATUS"][0]["TunerChainStatus"])
    c["HashchainIndex"] = c["HashchainIndex"].get<int>() + 1;  // 1, 2, 3 as devs IDs
  auto snap = parse_replies(r);
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->errors.front(), "board 2: Chip count mismatch");
}

TEST(BraiinsParser, WithoutTunerstatusPowerIsNull) {
  auto r = full_set();
  r.erase("tunerstatus");
  r.erase("temps");
  auto snap = parse_replies(r);
  ASSERT_TRUE(snap);
  EXPECT_FALSE(snap->power_w);
  EXPECT_FALSE(snap->power_limit_w);
  EXPECT_FALSE(snap->efficiency_jth);
  EXPECT_FALSE(snap->boards[0].temp_chip_c);
  EXPECT_FALSE(snap->temp_max_c);
}

}  // namespace
}  // namespace rigkeeper::drivers::braiins
