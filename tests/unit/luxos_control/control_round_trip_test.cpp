// Every LuxOS control verb, driver against the simulator over loopback, read back from the
// device's own `config`/`pools` and from a poll.

#include <gtest/gtest.h>
#include <cmath>

#include "drivers/api/registry.h"
#include "drivers/asic/luxos/control.h"
#include "drivers/sim/luxos_control.h"
#include "tests/support/sim_rig.h"

namespace rigkeeper::test {
namespace {

using drivers::DeviceState;
using drivers::luxos::ControlState;

ControlState config_of(SimRig& rig) {
  auto c = rig.command("config");
  EXPECT_TRUE(c) << c.error().message;
  auto s = drivers::luxos::parse_control_state(c ? *c : nlohmann::json());
  EXPECT_TRUE(s);
  return s ? *s : ControlState{};
}

TEST(LuxosControl, DeclaresEveryVerb) {
  const auto* info = drivers::find_driver("luxos");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(drivers::capability_names(info->capabilities),
            (std::vector<std::string>{"read", "curtail", "resume", "set_power", "switch_pool",
                                      "switch_profile", "reboot", "locate"}));
}

TEST(LuxosControl, CurtailSleepsAndResumeRestoresProfileAndAtm) {
  SimRig rig(4, "luxos");
  ASSERT_TRUE(rig.execute("switch_profile", {{"profile", "290MHz"}}));
  auto c = rig.execute("curtail", {{"mode", "sleep"}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->confirmed);
  EXPECT_EQ(c->detail, "curtail mode Sleep");
  EXPECT_EQ(c->memo, (nlohmann::json{{"profile", "290MHz"}, {"atm", true}}));
  EXPECT_TRUE(config_of(rig).sleeping());
  auto asleep = rig.poll_until([](const auto& s) { return s.state == DeviceState::kSleeping; });
  ASSERT_TRUE(asleep);
  EXPECT_EQ(asleep->state, DeviceState::kSleeping);

  // Someone changed the profile and ATM while it slept: resume puts back what curtail saw.
  ASSERT_TRUE(rig.execute("switch_profile", {{"profile", "190MHz"}}));
  auto r = rig.execute("resume", nlohmann::json::object(), c->memo);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->detail, "curtail mode None, profile 290MHz");
  const auto cfg = config_of(rig);
  EXPECT_FALSE(cfg.sleeping());
  EXPECT_EQ(cfg.profile, "290MHz");
  EXPECT_EQ(cfg.atm_enabled, true);
  auto mining = rig.poll_until([](const auto& s) { return s.state == DeviceState::kMining; });
  ASSERT_TRUE(mining);
  EXPECT_EQ(mining->state, DeviceState::kMining);
}

TEST(LuxosControl, OnlySleepModeIsACurtailment) {
  SimRig rig(4, "luxos");
  auto r = rig.execute("curtail", {{"mode", "eco"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
  EXPECT_FALSE(config_of(rig).sleeping());
}

TEST(LuxosControl, SetPowerPicksHighestProfileBelowTargetWithAtmAround) {
  SimRig rig(4, "luxos");
  auto listed = rig.command("profiles");
  ASSERT_TRUE(listed);
  const auto profiles = *drivers::luxos::parse_profiles(*listed);
  const auto expected = *drivers::luxos::choose_profile(profiles, 2000);

  auto r = rig.execute("set_power", {{"watts", 2000}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->confirmed);
  EXPECT_EQ(r->detail, "profile " + expected.name + " (" +
                           std::to_string(static_cast<int>(std::lround(expected.watts))) +
                           " W) for target 2000 W");
  const auto cfg = config_of(rig);
  EXPECT_EQ(cfg.profile, expected.name);
  EXPECT_EQ(cfg.atm_enabled, true) << "ATM back on after the change";
  for (const auto& p : profiles) EXPECT_TRUE(p.watts <= expected.watts || p.watts > 2000);
}

TEST(LuxosControl, SetPowerWithAtmOffLeavesItOff) {
  SimRig rig(4, "luxos");
  auto sid = rig.command("logon");
  ASSERT_TRUE(sid);
  const std::string id = (*sid)["SESSION"][0]["SessionID"].get<std::string>();
  ASSERT_TRUE(rig.command("atmset", id + ",enabled=false"));
  auto r = rig.execute("set_power", {{"watts", 1500}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(config_of(rig).atm_enabled, false);
}

TEST(LuxosControl, ProfileChangeRefusedWhileAtmRunsOnTheRawApi) {
  SimRig rig(4, "luxos");
  auto sid = rig.command("logon");
  ASSERT_TRUE(sid);
  const std::string id = (*sid)["SESSION"][0]["SessionID"].get<std::string>();
  auto r = rig.command("profileset", id + ",240MHz");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("ATM"), std::string::npos);
}

TEST(LuxosControl, SetPowerBelowEveryProfileIsUnsupported) {
  SimRig rig(4, "luxos");
  auto r = rig.execute("set_power", {{"watts", 100}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
  EXPECT_NE(r.error().message.find("no profile at or below 100 W"), std::string::npos);
  auto bad = rig.execute("set_power", {{"watts", "lots"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::kInvalidArgument);
}

TEST(LuxosControl, SwitchProfileByNameAndUnknownProfile) {
  SimRig rig(4, "luxos");
  auto r = rig.execute("switch_profile", {{"profile", "240MHz"}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->confirmed);
  EXPECT_EQ(r->detail.rfind("profile 240MHz (", 0), 0u) << r->detail;
  EXPECT_EQ(config_of(rig).profile, "240MHz");
  auto missing = rig.execute("switch_profile", {{"profile", "9999MHz"}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kUnsupported);
  EXPECT_EQ(config_of(rig).profile, "240MHz");
}

TEST(LuxosControl, SwitchPoolAddsAndActivates) {
  SimRig rig(4, "luxos");
  const nlohmann::json pool{{"url", "stratum+tcp://backup.example.net:3333"},
                            {"user", "rig7.worker"},
                            {"password", "s3cret"}};
  auto r = rig.execute("switch_pool", pool);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->confirmed);
  EXPECT_EQ(r->detail.find("s3cret"), std::string::npos);
  auto s = rig.poll();
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->pool);
  EXPECT_EQ(s->pool->url, "stratum+tcp://backup.example.net:3333");
  EXPECT_EQ(s->pool->user, "rig7.worker");
  // Switching back to a pool it already knows needs no addpool.
  auto again = rig.execute("switch_pool", pool);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->confirmed);
  auto commas = rig.execute("switch_pool", {{"url", "a,b"}, {"user", "u"}});
  ASSERT_FALSE(commas);
  EXPECT_EQ(commas.error().code, Errc::kInvalidArgument);
}

TEST(LuxosControl, LocateBlinksTheRedLed) {
  SimRig rig(4, "luxos");
  auto r = rig.execute("locate");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->confirmed);
  EXPECT_EQ(r->detail, "red LED blink");
  EXPECT_EQ(config_of(rig).red_led, "blink");
}

TEST(LuxosControl, CurtailSurvivesRebootUntilWakeup) {
  SimRig rig(4, "luxos");
  auto c = rig.execute("curtail", {{"mode", "sleep"}});
  ASSERT_TRUE(c) << c.error().message;
  auto r = rig.execute("reboot");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(rig.on_sim([&] { return rig.device().boots(); }), 1);
  // Back from the reboot: still asleep, and the config says so.
  auto s = rig.poll_until([](const auto& snap) { return snap.state != DeviceState::kOffline; });
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->state, DeviceState::kSleeping);
  EXPECT_TRUE(config_of(rig).sleeping());
  auto w = rig.execute("resume", nlohmann::json::object(), c->memo);
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_FALSE(config_of(rig).sleeping());
  auto mining = rig.poll_until([](const auto& snap) { return snap.state == DeviceState::kMining; });
  ASSERT_TRUE(mining);
  EXPECT_EQ(mining->state, DeviceState::kMining);
}

TEST(LuxosControl, UnknownVerbIsUnsupported) {
  SimRig rig(4, "luxos");
  auto r = rig.execute("switch_workload", {{"workload", "ai"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
}

}  // namespace
}  // namespace rigkeeper::test
