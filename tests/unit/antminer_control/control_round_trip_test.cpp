// Every stock Antminer control verb, driver against the simulator over real HTTP (digest) and
// the cgminer API, read back from get_miner_conf and from a poll.
#include <gtest/gtest.h>

#include "drivers/asic/antminer/driver.h"
#include "drivers/asic/antminer/web_conf.h"
#include "tests/unit/antminer_control/antminer_rig.h"

namespace rigkeeper::test {
namespace {

using drivers::DeviceState;
using drivers::antminer::WorkMode;

drivers::antminer::MinerConf conf_of(AntminerRig& rig) {
  auto body = rig.cgi("GET", "get_miner_conf.cgi");
  EXPECT_TRUE(body) << body.error().message;
  auto conf = drivers::antminer::parse_miner_conf(body ? *body : "");
  EXPECT_TRUE(conf);
  return conf ? *conf : drivers::antminer::MinerConf{};
}

TEST(AntminerControl, DeclaresItsVerbsAndWebKeys) {
  const auto* info = &drivers::antminer::driver_info();
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(drivers::capability_names(info->capabilities),
            (std::vector<std::string>{"read", "curtail", "resume", "switch_pool", "switch_profile",
                                      "reboot", "locate"}));
  std::vector<std::string> keys;
  for (const auto& k : info->config_keys) {
    keys.push_back(k.name);
    if (k.name == "web_user" || k.name == "web_password") {
      EXPECT_EQ(k.type, drivers::OptionType::kSecret) << k.name;
      EXPECT_FALSE(k.default_value) << k.name << " must have no default";
    }
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"web_user", "web_password", "web_port", "web_scheme"}));
}

TEST(AntminerControl, CurtailSleepsWithMemoAndResumeRestoresNormal) {
  AntminerRig rig;
  auto mining = rig.poll_until([](const auto& s) { return s.state == DeviceState::kMining; });
  ASSERT_TRUE(mining) << mining.error().message;
  ASSERT_EQ(mining->state, DeviceState::kMining);

  auto c = rig.execute("curtail", {{"mode", "sleep"}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->memo, (nlohmann::json{{"mode", "normal"}}));
  EXPECT_EQ(conf_of(rig).mode, WorkMode::kSleep);
  auto asleep = rig.poll_until([](const auto& s) { return s.state == DeviceState::kSleeping; });
  ASSERT_TRUE(asleep);
  EXPECT_EQ(asleep->state, DeviceState::kSleeping);
  EXPECT_TRUE(!asleep->hashrate_ths || *asleep->hashrate_ths < 0.001);

  // Curtailing again keeps the memo it is handed (not "sleep").
  auto again = rig.execute("curtail", {{"mode", "sleep"}}, c->memo);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->confirmed);
  EXPECT_EQ(again->state, DeviceState::kSleeping);
  EXPECT_EQ(again->memo, (nlohmann::json{{"mode", "normal"}}));

  auto r = rig.execute("resume", nlohmann::json::object(), c->memo);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(conf_of(rig).mode, WorkMode::kNormal);
  EXPECT_TRUE(r->state == DeviceState::kStarting || r->state == DeviceState::kMining ||
              r->state == DeviceState::kSleeping)
      << drivers::to_string(r->state);
  auto back = rig.poll_until([](const auto& s) { return s.state == DeviceState::kMining; });
  ASSERT_TRUE(back);
  EXPECT_EQ(back->state, DeviceState::kMining);
}

TEST(AntminerControl, CurtailFromLowPowerResumesToLowPower) {
  AntminerRig rig;
  auto p = rig.execute("switch_profile", {{"profile", "low_power"}});
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(conf_of(rig).mode, WorkMode::kLowPower);
  auto c = rig.execute("curtail", {{"mode", "sleep"}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->memo, (nlohmann::json{{"mode", "low_power"}}));
  auto r = rig.execute("resume", nlohmann::json::object(), c->memo);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(conf_of(rig).mode, WorkMode::kLowPower);
  // Without a memo, resume means normal.
  ASSERT_TRUE(rig.execute("curtail", {{"mode", "sleep"}}));
  ASSERT_TRUE(rig.execute("resume"));
  EXPECT_EQ(conf_of(rig).mode, WorkMode::kNormal);
}

TEST(AntminerControl, SwitchProfileMapsNamesToWorkModes) {
  AntminerRig rig;
  auto low = rig.execute("switch_profile", {{"profile", "low_power"}});
  ASSERT_TRUE(low) << low.error().message;
  EXPECT_EQ(conf_of(rig).mode, WorkMode::kLowPower);
  auto normal = rig.execute("switch_profile", {{"profile", "normal"}});
  ASSERT_TRUE(normal) << normal.error().message;
  EXPECT_EQ(conf_of(rig).mode, WorkMode::kNormal);
  for (const char* name : {"high_performance", "sleep", "290MHz"}) {
    auto bad = rig.execute("switch_profile", {{"profile", name}});
    ASSERT_FALSE(bad) << name;
    EXPECT_EQ(bad.error().code, Errc::kUnsupported) << name;
  }
}

TEST(AntminerControl, SwitchPoolIsSavedAndBecomesActive) {
  AntminerRig rig;
  const nlohmann::json params = {
      {"url", "stratum+tcp://pool.example:3333"}, {"user", "acct.rig7"}, {"password", "x"}};
  auto s = rig.execute("switch_pool", params);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_TRUE(s->confirmed) << s->detail;
  const auto conf = conf_of(rig);
  ASSERT_FALSE(conf.pools.empty());
  EXPECT_EQ(conf.pools[0].url, "stratum+tcp://pool.example:3333");
  EXPECT_EQ(conf.pools[0].user, "acct.rig7");
  EXPECT_LE(conf.pools.size(), 3u);
  auto snap = rig.poll();
  ASSERT_TRUE(snap) << snap.error().message;
  ASSERT_TRUE(snap->pool);
  EXPECT_EQ(snap->pool->url, "stratum+tcp://pool.example:3333");
  EXPECT_EQ(snap->pool->user, "acct.rig7");
}

TEST(AntminerControl, RebootGoesDownComesBackAndLosesSleep) {
  AntminerRig rig;
  ASSERT_TRUE(rig.execute("curtail", {{"mode", "sleep"}}));
  auto r = rig.execute("reboot");
  ASSERT_TRUE(r) << r.error().message;
  auto down = rig.poll_until([](const auto&) { return false; }, std::chrono::milliseconds(200));
  (void)down;
  auto back = rig.poll_until([](const auto& s) { return s.state == DeviceState::kMining; });
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->state, DeviceState::kMining);
  ASSERT_TRUE(back->uptime_s);
  // Stock firmware keeps no work mode over a reboot: it came back in normal mode.
  EXPECT_EQ(conf_of(rig).mode, WorkMode::kNormal);
  EXPECT_EQ(rig.on_sim([&] { return rig.device().boots(); }), 1);
}

TEST(AntminerControl, RebootIsSeenAsApiDownWithSlowerDelays) {
  AntminerRig rig(0.05);  // reboot takes 3 s
  auto r = rig.execute("reboot");
  ASSERT_TRUE(r) << r.error().message;
  auto down = rig.poll_until([](const auto&) { return false; }, std::chrono::milliseconds(600));
  ASSERT_FALSE(down);
  EXPECT_TRUE(down.error().code == Errc::kUnreachable || down.error().code == Errc::kTimeout)
      << down.error().message;
  auto back = rig.poll_until([](const auto& s) { return s.state != DeviceState::kOffline; });
  ASSERT_TRUE(back) << back.error().message;
}

TEST(AntminerControl, LocateBlinksAndStops) {
  AntminerRig rig;
  auto on = rig.execute("locate");
  ASSERT_TRUE(on) << on.error().message;
  EXPECT_TRUE(on->confirmed);
  EXPECT_EQ(on->detail, "locate LED blinking");
  EXPECT_EQ(rig.cgi("GET", "get_blink_status.cgi").value_or(""), R"({"blink":true})");
  auto off = rig.execute("locate", {{"on", false}});
  ASSERT_TRUE(off) << off.error().message;
  EXPECT_EQ(off->detail, "locate LED off");
}

TEST(AntminerControl, WrongPasswordIsAnAuthErrorNamingTheDevice) {
  AntminerRig rig;
  auto config = rig.config();
  config.options.set("web_password", std::string("not-the-password"));
  auto driver = rig.make_driver(config);
  auto c = rig.execute(*driver, "curtail", {{"mode", "sleep"}});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, Errc::kAuth);
  EXPECT_NE(c.error().message.find("asic-001"), std::string::npos) << c.error().message;
  EXPECT_EQ(c.error().message.find("not-the-password"), std::string::npos);
  // Reads through the cgminer API are unaffected.
  auto snap = rig.poll(*driver);
  ASSERT_TRUE(snap) << snap.error().message;
}

TEST(AntminerControl, MissingCredentialsFailEveryVerbWithAuth) {
  AntminerRig rig(0.01, /*credentials=*/false);
  for (const char* verb : {"curtail", "resume", "reboot", "locate"}) {
    auto r = rig.execute(verb, std::string(verb) == "curtail" ? nlohmann::json{{"mode", "sleep"}}
                                                              : nlohmann::json::object());
    ASSERT_FALSE(r) << verb;
    EXPECT_EQ(r.error().code, Errc::kAuth) << verb;
    EXPECT_NE(r.error().message.find("no web credentials configured for asic-001"),
              std::string::npos)
        << r.error().message;
  }
  EXPECT_TRUE(rig.poll());
}

TEST(AntminerControl, SetPowerAndOtherCurtailModesAreUnsupported) {
  AntminerRig rig;
  auto p = rig.execute("set_power", {{"watts", 2500}});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, Errc::kUnsupported);
  EXPECT_NE(p.error().message.find("no power target"), std::string::npos) << p.error().message;
  auto c = rig.execute("curtail", {{"rack_power_w", 1000}, {"mode", "off"}});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, Errc::kUnsupported);
  auto w = rig.execute("switch_workload", {{"workload", "ai"}});
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, Errc::kUnsupported);
}

}  // namespace
}  // namespace rigkeeper::test
