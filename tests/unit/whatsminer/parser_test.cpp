// Golden tests of the Whatsminer parsers on the real captures (shared/fixtures/asic/whatsminer,
// btminer 20210322 API v1.4.0 and an M60S on API v3.0.2), with every expected value derived
// by hand from the capture; then the inverted btmineroff flag, broken variants and the
// helpers (model names, firmware dates).
#include <gtest/gtest.h>

#include "drivers/asic/whatsminer/identify.h"
#include "drivers/asic/whatsminer/parser.h"
#include "tests/support/fixtures.h"

namespace rigkeeper::drivers::whatsminer {
namespace {

using nlohmann::json;

json fixture(const std::string& name) {
  return json::parse(test::read_fixture("asic/whatsminer/" + name + ".json"));
}

asic::Replies v2_replies() {
  asic::Replies r;
  for (auto name : {"summary", "devs", "pools", "status", "get_version", "get_psu"})
    r[name] = fixture(name);
  return r;
}

TEST(WhatsminerParser, V2GoldenFromCaptures) {
  auto s = parse_v2(v2_replies());
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->firmware, "btminer");
  EXPECT_EQ(s->make, "MicroBT");
  EXPECT_EQ(s->model, "");  // no devdetails in the capture set: the model is not invented
  EXPECT_EQ(s->firmware_version, "20210322.22.REL");
  EXPECT_DOUBLE_EQ(*s->hashrate_ths, 67.43935249);     // summary "MHS 1m" 67439352.49 MH/s
  EXPECT_DOUBLE_EQ(*s->hashrate_nominal_ths, 68.796);  // "Factory GHS" 68796
  EXPECT_DOUBLE_EQ(*s->power_w, 3417);
  EXPECT_DOUBLE_EQ(*s->power_limit_w, 3500);
  EXPECT_EQ(*s->uptime_s, 10154);  // btminer's Elapsed, not the system Uptime 10792
  EXPECT_EQ(s->fans_rpm, (std::vector<double>{6450, 6480}));
  EXPECT_DOUBLE_EQ(*s->temp_max_c, 92.5);  // board 2 "Chip Temp Max"
  EXPECT_NEAR(*s->efficiency_jth, 3417 / 67.43935249, 1e-9);
  ASSERT_EQ(s->boards.size(), 3u);
  const double rates[] = {22.10378984, 22.71979979, 22.55473792};
  const double temps[] = {70.0, 69.5, 71.5};
  const double chip_max[] = {90.0, 90.11, 92.5};
  const int64_t hw[] = {15, 47, 7};
  for (int i = 0; i < 3; ++i) {
    const auto& b = s->boards[static_cast<size_t>(i)];
    EXPECT_EQ(b.index, i);
    EXPECT_DOUBLE_EQ(*b.hashrate_ths, rates[i]);
    EXPECT_EQ(b.chips, 105);
    EXPECT_FALSE(b.chips_expected);  // model unknown
    EXPECT_DOUBLE_EQ(*b.temp_board_c, temps[i]);
    EXPECT_DOUBLE_EQ(*b.temp_chip_c, chip_max[i]);
    EXPECT_EQ(b.hw_errors, hw[i]);
    EXPECT_EQ(b.status, "ok");
  }
  ASSERT_TRUE(s->pool);
  EXPECT_EQ(s->pool->url, "stratum+tcp://btc.example.pool:3333");
  EXPECT_EQ(s->pool->user, "asic-rs.test");
  EXPECT_EQ(s->pool->status, "alive");
  // btmineroff is "true" in the capture while the miner hashes 67 TH/s: it is inverted.
  EXPECT_EQ(s->state, DeviceState::kMining);
  EXPECT_TRUE(s->errors.empty()) << s->errors.front();
}

TEST(WhatsminerParser, V2ModelFromDevdetailsGivesExpectedChips) {
  auto r = v2_replies();
  r["devdetails"] = json::parse(
      R"({"STATUS":[{"STATUS":"S","Code":69,"Msg":"Device Details"}],"DEVDETAILS":[)"
      R"({"DEVDETAILS":0,"Name":"SM","ID":0,"Driver":"bitmicro","Model":"M50S_VH53"}]})");
  auto s = parse_v2(r);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->model, "Whatsminer M50S VH50");
  EXPECT_EQ(s->boards[0].chips_expected, 135);
  EXPECT_EQ(s->boards[0].status, "fault");  // 105 of 135 chips
}

asic::Replies stopped(const char* status_msg) {
  auto r = v2_replies();
  for (auto& e : r["summary"]["SUMMARY"])
    for (auto k : {"MHS av", "MHS 5s", "MHS 1m", "MHS 5m", "MHS 15m", "HS RT"}) e[k] = 0.0;
  for (auto& e : r["devs"]["DEVS"])
    for (auto k : {"MHS av", "MHS 5s", "MHS 1m", "MHS 5m", "MHS 15m"}) e[k] = 0.0;
  r["status"]["Msg"] = json::parse(status_msg);
  return r;
}

TEST(WhatsminerParser, InvertedBtmineroff) {
  // Old firmware: btmineroff "false" = btminer not running -> sleeping.
  auto off = parse_v2(stopped(R"({"btmineroff":"false"})"));
  ASSERT_TRUE(off);
  EXPECT_EQ(off->state, DeviceState::kSleeping);
  EXPECT_DOUBLE_EQ(*off->hashrate_ths, 0.0);
  // "true" with no hashrate: btminer runs but does not hash -> idle, not sleeping.
  auto on = parse_v2(stopped(R"({"btmineroff":"true"})"));
  ASSERT_TRUE(on);
  EXPECT_EQ(on->state, DeviceState::kIdle);
  // Newer firmware's mineroff is literal.
  auto m = parse_v2(stopped(R"({"mineroff":"true","mineroff_reason":"by whatsminer api"})"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->state, DeviceState::kSleeping);
  // A measured hashrate always wins over either flag.
  auto r = v2_replies();
  r["status"]["Msg"]["btmineroff"] = "false";
  EXPECT_EQ(parse_v2(r)->state, DeviceState::kMining);
}

TEST(WhatsminerParser, V2PartialReplies) {
  auto r = v2_replies();
  r.erase("devs");
  auto s = parse_v2(r);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->boards.empty());
  EXPECT_DOUBLE_EQ(*s->hashrate_ths, 67.43935249);
  r = v2_replies();
  r.erase("summary");
  s = parse_v2(r);
  ASSERT_TRUE(s);
  EXPECT_NEAR(*s->hashrate_ths, 22.10378984 + 22.71979979 + 22.55473792, 1e-9);
  EXPECT_FALSE(s->power_w);  // Power comes from summary only: null, not 0
  EXPECT_EQ(s->fans_rpm, (std::vector<double>{6480, 6510}));  // devs' Fan Speed In/Out
  r.erase("devs");
  EXPECT_EQ(parse_v2(r).error().code, Errc::kProtocol);
}

TEST(WhatsminerParser, V2FieldsOfWrongTypeBecomeNull) {
  auto r = v2_replies();
  auto& s0 = r["summary"]["SUMMARY"][0];
  s0["Power"] = "n/a";
  s0["Power_RT"] = nullptr;
  s0["Power Limit"] = json::array();
  s0["Factory GHS"] = true;
  r["devs"]["DEVS"][1]["Effective Chips"] = "many";
  r["devs"]["DEVS"][2]["Temperature"] = -273;
  auto s = parse_v2(r);
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->power_w);
  EXPECT_FALSE(s->power_limit_w);
  EXPECT_FALSE(s->hashrate_nominal_ths);
  EXPECT_FALSE(s->boards[1].chips);
  EXPECT_FALSE(s->boards[2].temp_board_c);
}

TEST(WhatsminerParser, BrokenVariantsNeverCrash) {
  for (auto name : {"summary", "devs", "pools", "status", "get_version"}) {
    const auto good = test::read_fixture(std::string("asic/whatsminer/") + name + ".json");
    for (const auto& v : test::broken_variants(good)) {
      auto r = v2_replies();
      auto j = json::parse(v.bytes, nullptr, false);
      if (j.is_discarded()) {
        r.erase(name);
      } else {
        r[name] = j;
      }
      auto s = parse_v2(r);  // must not throw; either a snapshot or kProtocol
      if (!s) {
        EXPECT_EQ(s.error().code, Errc::kProtocol) << name << " " << v.name;
      }
    }
  }
}

TEST(WhatsminerParser, V3DeviceInfoCapture) {
  const auto reply = fixture("v3_get.device.info");
  V3Replies r;
  r.device_info = reply["msg"];
  auto s = parse_v3(r);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->model, "Whatsminer M60S VK40");
  EXPECT_EQ(s->firmware_version, "20251209.16.Rel2");
  EXPECT_EQ(s->make, "MicroBT");
  EXPECT_FALSE(s->hashrate_ths);  // no summary: null, never 0
  EXPECT_FALSE(s->power_w);
  EXPECT_NE(s->state, DeviceState::kSleeping);  // "working":"true"
  ASSERT_FALSE(s->errors.empty());
}

TEST(WhatsminerParser, V3StatusSections) {
  V3Replies r;
  r.device_info = fixture("v3_get.device.info")["msg"];
  r.summary = json::parse(R"({"elapsed":5000,"bootup-time":5600,"hash-realtime":181.2,
    "factory-hash":180.0,"power-realtime":3350,"power-limit":3400,"fan-speed-in":6300,
    "fan-speed-out":6350,"board-temperature":[61.5,62.0,60.25]})");
  r.edevs = json::parse(R"([{"id":0,"slot":0,"hash-average":60.1,"effective-chips":225,
    "chip-temp-max":80.5},{"id":1,"slot":1,"hash-average":60.5,"effective-chips":220,
    "chip-temp-max":81.0},{"id":2,"slot":2,"hash-average":60.6,"effective-chips":225,
    "chip-temp-max":79.0}])");
  r.pools = json::parse(R"([{"id":0,"url":"stratum+tcp://a:3333","account":"w1",
    "status":"alive","stratum-active":true},{"id":1,"url":"stratum+tcp://b:3333",
    "account":"w2","status":"alive","stratum-active":false}])");
  auto s = parse_v3(r);
  ASSERT_TRUE(s);
  EXPECT_DOUBLE_EQ(*s->hashrate_ths, 181.2);  // v3 reports TH/s
  EXPECT_DOUBLE_EQ(*s->hashrate_nominal_ths, 180.0);
  EXPECT_DOUBLE_EQ(*s->power_w, 3350);
  EXPECT_DOUBLE_EQ(*s->power_limit_w, 3400);
  EXPECT_EQ(*s->uptime_s, 5000);
  EXPECT_EQ(s->fans_rpm, (std::vector<double>{6300, 6350}));
  ASSERT_EQ(s->boards.size(), 3u);
  EXPECT_DOUBLE_EQ(*s->boards[2].temp_board_c, 60.25);
  EXPECT_EQ(s->boards[1].chips, 220);
  EXPECT_EQ(s->boards[1].chips_expected, 225);
  EXPECT_EQ(s->boards[1].status, "fault");
  EXPECT_EQ(s->pool->url, "stratum+tcp://a:3333");
  EXPECT_EQ(s->state, DeviceState::kMining);
  EXPECT_DOUBLE_EQ(*s->temp_max_c, 81.0);
  r.summary["hash-realtime"] = 0;
  for (auto& e : r.edevs) e["hash-average"] = 0;
  r.device_info["miner"]["working"] = "false";
  EXPECT_EQ(parse_v3(r)->state, DeviceState::kSleeping);
}

TEST(WhatsminerParser, V3Garbage) {
  V3Replies r;
  EXPECT_EQ(parse_v3(r).error().code, Errc::kProtocol);
  r.summary = json::parse(R"({"hash-realtime":"x","edevs":5})");
  r.edevs = json::parse(R"({"not":"a list"})");
  r.pools = json::parse(R"([1,"x",{"url":5}])");
  auto s = parse_v3(r);
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->hashrate_ths);
  EXPECT_FALSE(s->pool);
}

TEST(WhatsminerParser, Helpers) {
  EXPECT_EQ(display_model("M60S_VK40"), "Whatsminer M60S VK40");
  EXPECT_EQ(display_model("M30S+_VE43"), "Whatsminer M30S+ VE40");
  EXPECT_EQ(display_model("M30S++"), "Whatsminer M30S++");
  EXPECT_EQ(display_model("<script>"), "");
  EXPECT_EQ(firmware_date("20210322.22.REL"), 20210322);
  EXPECT_EQ(firmware_date("'20251209.16.Rel2'"), 20251209);
  EXPECT_FALSE(firmware_date("2021"));
  EXPECT_FALSE(firmware_date("20211399.1"));
  EXPECT_FALSE(firmware_speaks_v3(20241031));
  EXPECT_TRUE(firmware_speaks_v3(20241101));
  EXPECT_FALSE(firmware_speaks_v3(std::nullopt));
  EXPECT_TRUE(says_api_disabled("can't access write cmd"));
  EXPECT_TRUE(says_api_disabled("API is not enabled"));
  EXPECT_FALSE(says_api_disabled("check token err"));
}

TEST(WhatsminerIdentify, MatchAndIdentify) {
  Probe p;
  p.cgminer_devdetails = json::parse(
      R"({"STATUS":[{"STATUS":"S","Code":69,"Msg":"Device Details","Description":"cgminer 4.9.2"}],)"
      R"("DEVDETAILS":[{"DEVDETAILS":0,"Name":"SM","ID":0,"Driver":"bitmicro","Model":"M30S++_VH60"}]})");
  EXPECT_EQ(match(p), 30);
  auto id = identify(p);
  EXPECT_EQ(id.driver, "whatsminer");
  EXPECT_EQ(id.firmware, "btminer");
  EXPECT_EQ(id.make, "MicroBT");
  EXPECT_EQ(id.model, "Whatsminer M30S++ VH60");

  Probe v3;
  v3.whatsminer_v3 = fixture("v3_get.device.info");
  EXPECT_EQ(match(v3), 30);
  EXPECT_EQ(identify(v3).model, "Whatsminer M60S VK40");
  EXPECT_EQ(identify(v3).firmware_version, "20251209.16.Rel2");

  Probe other;
  other.cgminer_version = json::parse(
      R"({"STATUS":[{"STATUS":"S","Code":22,"Description":"cgminer 4.11.1"}],"VERSION":[{"CGMiner":"4.11.1"}]})");
  EXPECT_EQ(match(other), 0);
  Probe garbage;
  garbage.whatsminer_v3 = json::parse(R"({"code":-4,"msg":"denied"})");
  EXPECT_EQ(match(garbage), 0);
}

}  // namespace
}  // namespace rigkeeper::drivers::whatsminer
