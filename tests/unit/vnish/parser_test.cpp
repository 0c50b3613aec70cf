// VNish web API: golden values derived by hand from shared/fixtures/asic/vnish/*.json (an
// Antminer S19 on VNish 1.2.0-beta10), preset choice, and broken variants.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "drivers/asic/vnish/identify.h"
#include "drivers/asic/vnish/parser.h"
#include "drivers/asic/vnish/presets.h"
#include "tests/support/fixtures.h"

namespace rigkeeper::drivers::vnish {
namespace {

using nlohmann::json;

json load(const std::string& name) {
  return json::parse(test::read_fixture("asic/vnish/" + name + ".json"));
}

WebReplies captured() {
  WebReplies r;
  r.summary = load("api_v1_summary_vnish_1.2.1");
  r.settings = load("api_v1_settings");
  return r;
}

TEST(VnishParser, CapturedSummaryMapsEveryField) {
  auto snap = parse_web(captured());
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->firmware, "vnish");
  EXPECT_EQ(snap->firmware_version, "1.2.0-beta10");  // from miner_type, no /info
  EXPECT_EQ(snap->make, "Bitmain");
  EXPECT_EQ(snap->model, "Antminer S19");
  EXPECT_EQ(snap->state, DeviceState::kMining);
  EXPECT_DOUBLE_EQ(*snap->hashrate_ths, 66.62962);           // instant_hashrate, TH/s
  EXPECT_NEAR(*snap->hashrate_nominal_ths, 96.58992, 1e-9);  // 3 x hashrate_ideal 32196.64 GH/s
  EXPECT_DOUBLE_EQ(*snap->power_w, 3733);                    // power_usage, watts in 1.2.x
  EXPECT_DOUBLE_EQ(*snap->efficiency_jth, 55.369904);
  EXPECT_DOUBLE_EQ(*snap->power_limit_w, 3486);  // settings miner.overclock.preset
  EXPECT_DOUBLE_EQ(*snap->temp_max_c, 51);
  EXPECT_EQ(snap->fans_rpm, (std::vector<double>{6360, 5040, 6120, 5040}));
  EXPECT_EQ(snap->uptime_s, 9 * 86400 + 3 * 3600 + 58 * 60);  // "9 days,  3:58"
  ASSERT_EQ(snap->boards.size(), 3u);
  const auto& b0 = snap->boards[0];
  EXPECT_EQ(b0.index, 0);  // chain id 1
  EXPECT_NEAR(*b0.hashrate_ths, 31.563244, 1e-9);
  EXPECT_EQ(b0.chips, 76);  // red 0 + orange 0 + grey 76
  EXPECT_EQ(b0.chips_expected, 76);
  EXPECT_DOUBLE_EQ(*b0.temp_board_c, 37);  // 19, (13 in error), 36, 37
  EXPECT_DOUBLE_EQ(*b0.temp_chip_c, 47);
  EXPECT_EQ(b0.hw_errors, 0);
  EXPECT_EQ(b0.status, "ok");
  EXPECT_DOUBLE_EQ(*snap->boards[1].temp_board_c, 40);
  EXPECT_DOUBLE_EQ(*snap->boards[2].temp_chip_c, 51);
  EXPECT_NEAR(*snap->boards[2].hashrate_ths, 32.103768, 1e-9);
  ASSERT_TRUE(snap->pool);
  EXPECT_EQ(snap->pool->url, "btc.foundryusapool.com:3333");
  EXPECT_EQ(snap->pool->user, "s19s.11x63");
  EXPECT_EQ(snap->pool->status, "alive");
  EXPECT_EQ(snap->errors, (std::vector<std::string>{"board 0: pcb sensor 1 error"}));
}

TEST(VnishParser, InfoOverridesModelAndVersion) {
  auto r = captured();
  r.info = json{{"miner", "Antminer S19j Pro"}, {"fw_name", "Vnish"}, {"fw_version", "1.2.6"}};
  auto snap = parse_web(r);
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->model, "Antminer S19j Pro");
  EXPECT_EQ(snap->firmware_version, "1.2.6");
}

TEST(VnishParser, MinerStatesBecomeDeviceStates) {
  EXPECT_EQ(state_of("paused", false), DeviceState::kSleeping);
  EXPECT_EQ(state_of("stopped", false), DeviceState::kSleeping);
  EXPECT_EQ(state_of("failure", false), DeviceState::kFault);
  EXPECT_EQ(state_of("mining", false), DeviceState::kStarting);
  EXPECT_EQ(state_of("auto-tuning", true), DeviceState::kMining);
  EXPECT_EQ(state_of("starting", false), DeviceState::kStarting);
  auto r = captured();
  (*r.summary)["miner"]["miner_status"]["miner_state"] = "stopped";
  EXPECT_EQ(parse_web(r)->state, DeviceState::kSleeping);
}

TEST(VnishParser, PowerUsageThatIsAnEfficiencyIsNotWatts) {
  auto r = captured();
  (*r.summary)["miner"]["power_usage"] = 29.5;
  EXPECT_FALSE(parse_web(r)->power_w);
  (*r.summary)["miner"]["power_consumption"] = 3100;
  EXPECT_DOUBLE_EQ(*parse_web(r)->power_w, 3100);
}

TEST(VnishParser, UptimeAndVersionText) {
  EXPECT_EQ(parse_uptime("9 days,  3:58"), 791880);
  EXPECT_EQ(parse_uptime("3:58"), 14280);
  EXPECT_EQ(parse_uptime("1 day, 0:01"), 86460);
  EXPECT_FALSE(parse_uptime("soon"));
  EXPECT_FALSE(parse_uptime("3:99"));
  EXPECT_EQ(version_in_type("Antminer S19j Pro (Vnish 1.2.0-rc3)"), "1.2.0-rc3");
  EXPECT_FALSE(version_in_type("Antminer S19j Pro"));
}

TEST(VnishParser, SummaryWithoutMinerIsAProtocolError) {
  WebReplies r;
  r.summary = json{{"system", json::object()}};
  auto snap = parse_web(r);
  ASSERT_FALSE(snap);
  EXPECT_EQ(snap.error().code, Errc::kProtocol);
  r.summary.reset();
  EXPECT_FALSE(parse_web(r));
}

TEST(VnishParser, WrongTypesLeaveNulls) {
  auto r = captured();
  auto& m = (*r.summary)["miner"];
  m["instant_hashrate"] = "fast";
  m["average_hashrate"] = json::array();
  m["chains"][0]["chip_statuses"] = "all good";
  m["cooling"]["fans"] = 4;
  m["pools"] = json::object();
  (*r.settings)["miner"]["overclock"]["preset"] = json::array();
  auto snap = parse_web(r);
  ASSERT_TRUE(snap);
  EXPECT_FALSE(snap->hashrate_ths);
  EXPECT_FALSE(snap->boards[0].chips);
  EXPECT_TRUE(snap->fans_rpm.empty());
  EXPECT_FALSE(snap->pool);
  EXPECT_FALSE(snap->power_limit_w);
}

TEST(VnishParser, BrokenCapturesNeverCrash) {
  const std::string good = test::read_fixture("asic/vnish/api_v1_summary_vnish_1.2.1.json");
  for (const auto& v : test::broken_variants(good)) {
    WebReplies r;
    auto parsed = json::parse(v.bytes, nullptr, false);
    if (!parsed.is_discarded()) r.summary = parsed;
    auto snap = parse_web(r);
    if (!snap) {
      EXPECT_EQ(snap.error().code, Errc::kProtocol) << v.name;
    }
  }
  for (const auto& v :
       test::broken_variants(test::read_fixture("asic/vnish/api_v1_autotune_presets.json"))) {
    auto parsed = json::parse(v.bytes, nullptr, false);
    if (!parsed.is_discarded()) (void)parse_presets(parsed);
  }
}

TEST(VnishPresets, CapturedListOnlyOneTuned) {
  auto presets = parse_presets(load("api_v1_autotune_presets"));
  ASSERT_EQ(presets.size(), 8u);
  EXPECT_EQ(presets[0].name, "disabled");
  EXPECT_FALSE(presets[0].watts);
  EXPECT_EQ(presets[3].name, "3000");
  EXPECT_TRUE(presets[3].tuned);
  EXPECT_DOUBLE_EQ(*presets[3].watts, 3000);
  EXPECT_EQ(presets[3].pretty, "3000 watt ~ 96 Th");
  EXPECT_EQ(std::count_if(presets.begin(), presets.end(), [](auto& p) { return p.tuned; }), 1);
}

TEST(VnishPresets, PowerTargetTakesHighestTunedNotAbove) {
  auto presets = parse_presets(load("api_v1_autotune_presets"));
  EXPECT_EQ(choose_for_power(presets, 3300)->name, "3000");  // 3150 and 3320 are untuned
  EXPECT_EQ(choose_for_power(presets, 3000)->name, "3000");
  EXPECT_EQ(choose_for_power(presets, 9000)->name, "3000");
  auto none = choose_for_power(presets, 2900);  // 2710 and 2850 fit but are untuned
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::kDeviceError);
  EXPECT_NE(none.error().message.find("tuned presets: 3000"), std::string::npos);
  presets[4].tuned = true;  // 3150
  EXPECT_EQ(choose_for_power(presets, 3300)->name, "3150");
  presets[4].modded_psu_required = true;
  EXPECT_EQ(choose_for_power(presets, 3300)->name, "3000");
  EXPECT_EQ(choose_for_power(presets, 3300, true)->name, "3150");
}

TEST(VnishPresets, ProfileByNameRefusesUntuned) {
  auto presets = parse_presets(load("api_v1_autotune_presets"));
  EXPECT_EQ(choose_by_name(presets, "3000")->name, "3000");
  EXPECT_EQ(choose_by_name(presets, "3000 watt ~ 96 Th")->name, "3000");
  auto untuned = choose_by_name(presets, "2710");
  ASSERT_FALSE(untuned);
  EXPECT_EQ(untuned.error().code, Errc::kDeviceError);
  EXPECT_NE(untuned.error().message.find("not tuned"), std::string::npos);
  EXPECT_EQ(choose_by_name(presets, "4200").error().code, Errc::kInvalidArgument);
}

TEST(VnishIdentify, WebInfoAndCgminerTokens) {
  Probe p;
  EXPECT_EQ(match(p), 0);
  p.web.push_back({"http://h/api/v1/info", 200, "", "",
                   R"({"miner":"Antminer S19j Pro","fw_name":"Vnish","fw_version":"1.2.6"})"});
  EXPECT_EQ(match(p), 40);
  auto id = identify(p);
  EXPECT_EQ(id.driver, "vnish");
  EXPECT_EQ(id.model, "Antminer S19j Pro");
  EXPECT_EQ(id.make, "Bitmain");
  EXPECT_EQ(id.firmware_version, "1.2.6");
  Probe root;
  root.web.push_back({"http://h/", 200, "", "", "<title>AnthillOS</title>"});
  EXPECT_EQ(match(root), 35);
  Probe stock;
  stock.web.push_back({"http://h/api/v1/info", 404, "", "", "not found"});
  EXPECT_EQ(match(stock), 0);
}

}  // namespace
}  // namespace rigkeeper::drivers::vnish
