// Avalon control verbs, driver against the simulator over loopback, read back from the
// module's own stats string and a poll.
#include <gtest/gtest.h>

#include "drivers/asic/avalon/parser.h"
#include "drivers/sim/avalon_state.h"
#include "tests/support/sim_rig.h"

namespace rigkeeper::test {
namespace {

using drivers::DeviceState;

// Index 6 of a fleet is the first Avalon; with 14 devices both Avalon models appear.
constexpr int kFleet = 14;

drivers::avalon::BracketFields module_of(SimRig& rig) {
  auto stats = rig.command("stats");
  EXPECT_TRUE(stats) << stats.error().message;
  auto f = drivers::avalon::module_fields(stats ? &*stats : nullptr);
  EXPECT_TRUE(f);
  return f ? *f : drivers::avalon::BracketFields{};
}

TEST(AvalonControl, FleetMixIncludesAvalonAndItPolls) {
  SimRig rig(kFleet, "avalon");
  auto s = rig.poll();
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->firmware, "avalon");
  EXPECT_EQ(s->model, rig.emitted().model);
  EXPECT_EQ(s->state, DeviceState::kMining);
  EXPECT_GT(*s->hashrate_ths, 0.0);
  EXPECT_GT(*s->power_w, 0.0);
  EXPECT_FALSE(s->boards.empty());
}

TEST(AvalonControl, CurtailSoftOffAndResumeRestoresWorkMode) {
  SimRig rig(kFleet, "avalon");
  const std::string eco = rig.emitted().model == "Avalon Q" ? "eco" : "normal";
  ASSERT_TRUE(rig.execute("switch_profile", {{"profile", eco}}));
  auto c = rig.execute("curtail", {{"mode", "sleep"}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->confirmed);
  EXPECT_EQ(c->memo, (nlohmann::json{{"workmode", 0}}));
  EXPECT_EQ(drivers::avalon::bracket_number(module_of(rig), "SoftOFF"), 4);
  // SoftOFF shows at once; the PSU reaches 0 W once the miner has stopped.
  auto asleep = rig.poll_until([](const auto& s) { return s.power_w == 0.0; });
  ASSERT_TRUE(asleep);
  EXPECT_EQ(asleep->state, DeviceState::kSleeping);
  EXPECT_EQ(asleep->power_w, 0.0);

  // The mode changed while it slept; resume puts back the one curtail saw.
  ASSERT_TRUE(rig.execute("switch_profile", {{"profile", "1"}}));
  auto r = rig.execute("resume", nlohmann::json::object(), c->memo);
  ASSERT_TRUE(r) << r.error().message;
  const auto f = module_of(rig);
  EXPECT_EQ(drivers::avalon::bracket_number(f, "SoftOFF"), 0);
  EXPECT_EQ(drivers::avalon::bracket_number(f, "WORKMODE"), 0);
  auto mining = rig.poll_until([](const auto& s) { return s.state == DeviceState::kMining; });
  ASSERT_TRUE(mining);
  EXPECT_EQ(mining->state, DeviceState::kMining);
}

TEST(AvalonControl, SwitchProfileByWorkModeName) {
  SimRig rig(kFleet, "avalon");
  auto r = rig.execute("switch_profile", {{"profile", "0"}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->confirmed);
  EXPECT_EQ(r->detail.rfind("work mode 0", 0), 0u) << r->detail;
  EXPECT_EQ(drivers::avalon::bracket_number(module_of(rig), "WORKMODE"), 0);
  auto missing = rig.execute("switch_profile", {{"profile", "turbo"}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kUnsupported);
  EXPECT_EQ(drivers::avalon::bracket_number(module_of(rig), "WORKMODE"), 0);
}

TEST(AvalonControl, SetPowerIsUnsupported) {
  SimRig rig(kFleet, "avalon");
  auto r = rig.execute("set_power", {{"watts", 3000}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
}

TEST(AvalonControl, SwitchPoolAppliesAfterTheReboot) {
  SimRig rig(kFleet, "avalon");
  auto r = rig.execute("switch_pool", {{"url", "stratum+tcp://backup.example.net:3333"},
                                       {"user", "rig7.worker"},
                                       {"password", "s3cret"}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->confirmed);
  EXPECT_EQ(r->detail.find("s3cret"), std::string::npos);
  EXPECT_EQ(rig.on_sim([&] { return rig.device().boots(); }), 1);
  auto s = rig.poll_until([](const auto& snap) {
    return snap.pool && snap.pool->url == "stratum+tcp://backup.example.net:3333";
  });
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_TRUE(s->pool);
  EXPECT_EQ(s->pool->user, "rig7.worker");
}

TEST(AvalonControl, WrongWebLoginIsADeviceError) {
  SimRig rig(kFleet, "avalon");
  auto r = rig.command("ascset", "0,setpool,root,wrong,stratum+tcp://x:1,w,p");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kDeviceError);
}

TEST(AvalonControl, RebootAndCurtailSurvivesIt) {
  SimRig rig(kFleet, "avalon");
  ASSERT_TRUE(rig.execute("curtail", {{"mode", "sleep"}}));
  auto r = rig.execute("reboot");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(rig.on_sim([&] { return rig.device().boots(); }), 1);
  auto s = rig.poll_until([](const auto& snap) { return snap.state != DeviceState::kOffline; });
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->state, DeviceState::kSleeping);
  EXPECT_EQ(drivers::avalon::bracket_number(module_of(rig), "SoftOFF"), 4);
}

TEST(AvalonControl, LocateTurnsTheLedOnWhereThereIsOne) {
  SimRig a1246(kFleet, "avalon", {.model = "AvalonMiner 1246"});
  auto r = a1246.execute("locate");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->confirmed);
  EXPECT_EQ(r->detail, "LED 1");
  EXPECT_EQ(drivers::avalon::bracket_number(module_of(a1246), "Led"), 1);

  SimRig q(kFleet, "avalon", {.model = "Avalon Q"});
  auto none = q.execute("locate");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::kUnsupported);
}

}  // namespace
}  // namespace rigkeeper::test
