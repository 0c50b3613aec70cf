// The web CGI parsers: get_miner_conf in the shape stock firmware sends (old and new work-mode
// keys, string and int values), broken variants of it, set replies and the blink status.
#include <gtest/gtest.h>

#include "drivers/asic/antminer/web_conf.h"
#include "tests/support/fixtures.h"

namespace rigkeeper::test {
namespace {

using drivers::antminer::WorkMode;
namespace am = drivers::antminer;

// The shape of an S19's /cgi-bin/get_miner_conf.cgi (bmminer.conf as the CGI prints it).
constexpr const char* kConf = R"({
"pools" : [
{ "url" : "stratum+tcp://btc.pool.example:3333", "user" : "acct.s19", "pass" : "X" },
{ "url" : "stratum+tcp://btc.pool.example:443", "user" : "acct.s19", "pass" : "X" },
{ "url" : "", "user" : "", "pass" : "" }
],
"api-listen" : true, "api-network" : true,
"api-groups" : "A:stats:pools:devs:summary:version", "api-allow" : "A:0/0,W:*",
"bitmain-fan-ctrl" : false, "bitmain-fan-pwm" : "100", "bitmain-use-vil" : true,
"bitmain-freq" : "675", "bitmain-voltage" : "1400", "bitmain-ccdelay" : "0",
"bitmain-pwth" : "0", "bitmain-work-mode" : "3", "bitmain-freq-level" : "100"
})";

TEST(AntminerWebConf, ParsesModeAndPools) {
  auto c = am::parse_miner_conf(kConf);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->mode, WorkMode::kLowPower);
  ASSERT_EQ(c->pools.size(), 2u);  // the empty third slot is no pool
  EXPECT_EQ(c->pools[0].url, "stratum+tcp://btc.pool.example:3333");
  EXPECT_EQ(c->pools[0].user, "acct.s19");
}

TEST(AntminerWebConf, WorkModeValuesAndKeys) {
  const std::vector<std::pair<std::string, std::optional<WorkMode>>> cases = {
      {R"({"bitmain-work-mode":"0"})", WorkMode::kNormal},
      {R"({"bitmain-work-mode":"1"})", WorkMode::kSleep},
      {R"({"bitmain-work-mode":1})", WorkMode::kSleep},
      {R"({"miner-mode":3})", WorkMode::kLowPower},
      {R"({"bitmain-work-mode":""})", std::nullopt},
      {R"({"bitmain-work-mode":"2"})", std::nullopt},
      {R"({"bitmain-work-mode":null})", std::nullopt},
      {R"({"pools":[]})", std::nullopt},
  };
  for (const auto& [body, mode] : cases) {
    auto c = am::parse_miner_conf(body);
    ASSERT_TRUE(c) << body;
    EXPECT_EQ(c->mode, mode) << body;
  }
}

TEST(AntminerWebConf, BrokenRepliesAreProtocolErrorsOrPartial) {
  for (const auto& v : broken_variants(kConf)) {
    auto c = am::parse_miner_conf(v.bytes);  // never crashes
    if (!c) {
      EXPECT_EQ(c.error().code, Errc::kProtocol) << v.name;
    }
  }
  for (const char* bad : {"", "[]", "null", "<html>401</html>", "{\"pools\":"}) {
    auto c = am::parse_miner_conf(bad);
    ASSERT_FALSE(c) << bad;
    EXPECT_EQ(c.error().code, Errc::kProtocol);
  }
  auto odd = am::parse_miner_conf(R"({"pools":[1,"x",{"url":5},{"url":"u"}]})");
  ASSERT_TRUE(odd);
  ASSERT_EQ(odd->pools.size(), 1u);
  EXPECT_EQ(odd->pools[0].url, "u");
}

TEST(AntminerWebConf, SetBodyKeepsTheWholeConfigAndSetsBothModeKeys) {
  auto c = am::parse_miner_conf(kConf);
  ASSERT_TRUE(c);
  auto body = am::conf_with_mode(*c, WorkMode::kSleep);
  EXPECT_EQ(body["miner-mode"], 1);
  EXPECT_EQ(body["bitmain-work-mode"], "1");
  EXPECT_EQ(body["bitmain-fan-pwm"], "100");
  EXPECT_EQ(body["pools"].size(), 3u);
  EXPECT_EQ(body.size(), c->raw.size() + 1);  // everything read, plus miner-mode
}

TEST(AntminerWebConf, PoolBodyPutsTheNewPoolFirstAndKeepsThree) {
  auto c = am::parse_miner_conf(kConf);
  ASSERT_TRUE(c);
  auto body = am::conf_with_pool(*c, "stratum+tcp://new:3333", "acct.new", "pw");
  ASSERT_EQ(body["pools"].size(), 3u);
  EXPECT_EQ(body["pools"][0]["url"], "stratum+tcp://new:3333");
  EXPECT_EQ(body["pools"][0]["pass"], "pw");
  EXPECT_EQ(body["pools"][1]["url"], "stratum+tcp://btc.pool.example:3333");
  EXPECT_EQ(body["miner-mode"], 3);  // the mode is kept
  // An existing pool moves up instead of appearing twice.
  auto again = am::conf_with_pool(*c, "stratum+tcp://btc.pool.example:443", "acct.s19", "X");
  ASSERT_EQ(again["pools"].size(), 2u);
  EXPECT_EQ(again["pools"][0]["url"], "stratum+tcp://btc.pool.example:443");
  EXPECT_EQ(again["pools"][1]["url"], "stratum+tcp://btc.pool.example:3333");
}

TEST(AntminerWebConf, SetReplies) {
  EXPECT_TRUE(am::check_set_reply(R"({"stats":"success","code":"M000","msg":"OK!"})"));
  EXPECT_TRUE(am::check_set_reply(""));
  auto refused = am::check_set_reply(R"({"stats":"error","code":"M002","msg":"Illegal!"})");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::kDeviceError);
  EXPECT_NE(refused.error().message.find("M002"), std::string::npos);
  auto garbage = am::check_set_reply("<html>");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, Errc::kProtocol);
}

TEST(AntminerWebConf, BlinkStatus) {
  EXPECT_EQ(am::parse_blink_status(R"({"blink":true})"), true);
  EXPECT_EQ(am::parse_blink_status(R"({"blink":"false"})"), false);
  EXPECT_EQ(am::parse_blink_status(R"({"blink":1})"), std::nullopt);
  EXPECT_EQ(am::parse_blink_status("garbage"), std::nullopt);
}

TEST(AntminerWebConf, ModeNames) {
  EXPECT_EQ(am::parse_work_mode("low"), WorkMode::kLowPower);
  EXPECT_EQ(am::parse_work_mode("low_power"), WorkMode::kLowPower);
  EXPECT_EQ(am::parse_work_mode("normal"), WorkMode::kNormal);
  EXPECT_EQ(am::parse_work_mode("sleep"), WorkMode::kSleep);
  EXPECT_EQ(am::parse_work_mode("turbo"), std::nullopt);
  EXPECT_EQ(am::to_string(WorkMode::kLowPower), "low_power");
}

}  // namespace
}  // namespace rigkeeper::test
