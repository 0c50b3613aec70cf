// VNish control against the simulator over real HTTP on loopback: every verb read back, the
// tuned-presets-only rule, unlock refused or missing, detection from the web answers.
#include <gtest/gtest.h>

#include <thread>

#include "drivers/api/http_client.h"
#include "drivers/asic/vnish/driver.h"
#include "drivers/asic/vnish/identify.h"
#include "drivers/sim/vnish_rest.h"
#include "drivers/sim/vnish_rest_state.h"
#include "tests/support/sim_rig.h"

namespace rigkeeper::drivers::vnish {
namespace {

using nlohmann::json;
using test::SimRig;

constexpr int kFleet = 10;  // every family at least once, whatever families exist

std::vector<sim::VnishPreset> presets_of(SimRig& rig) {
  return rig.on_sim([&] { return sim::vnish_presets(*rig.device().identity().model); });
}

std::vector<sim::VnishPreset> tuned(const std::vector<sim::VnishPreset>& all) {
  std::vector<sim::VnishPreset> out;
  for (const auto& p : all)
    if (p.tuned) out.push_back(p);
  return out;
}

TEST(VnishControl, EmittedConfigCarriesPortAndPassword) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  const auto c = rig.config();
  EXPECT_TRUE(c.options.get_int("web_port"));
  EXPECT_EQ(c.options.get_string("web_password"), "admin");
}

TEST(VnishControl, PollReadsSummaryInfoAndSettings) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  auto d = rig.make_driver(rig.config());
  auto snap = rig.poll(*d);
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->firmware, "vnish");
  EXPECT_EQ(snap->firmware_version, "1.2.6");
  EXPECT_EQ(snap->model, rig.emitted().model);
  EXPECT_EQ(snap->make, "Bitmain");
  EXPECT_EQ(snap->boards.size(), 3u);
  EXPECT_EQ(snap->state, DeviceState::kMining);
  ASSERT_TRUE(snap->power_limit_w);  // the stock tuned preset
  EXPECT_DOUBLE_EQ(*snap->power_limit_w, tuned(presets_of(rig)).back().watts);
  ASSERT_TRUE(snap->pool);
  EXPECT_EQ(snap->pool->status, "alive");
}

TEST(VnishControl, ReadsNeedNoPassword) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  auto c = rig.config();
  c.options = Options{};
  c.options.set("web_port", *rig.config().options.get_int("web_port"));
  auto d = rig.make_driver(c);
  ASSERT_TRUE(rig.poll(*d));
  auto r = rig.execute(*d, "curtail", {{"mode", "sleep"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kAuth);
  EXPECT_NE(r.error().message.find(rig.emitted().id), std::string::npos);
}

TEST(VnishControl, WrongPasswordIsAnAuthError) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  auto c = rig.config();
  c.options.set("web_password", std::string("hunter2"));
  auto d = rig.make_driver(c);
  auto r = rig.execute(*d, "reboot");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kAuth);
  EXPECT_EQ(r.error().message.find("hunter2"), std::string::npos);
  EXPECT_EQ(rig.on_sim([&] { return rig.device().boots(); }), 0);
}

TEST(VnishControl, PauseAndResumeAreReadBack) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  auto d = rig.make_driver(rig.config());
  auto paused = rig.execute(*d, "curtail", {{"mode", "sleep"}});
  ASSERT_TRUE(paused) << paused.error().message;
  EXPECT_TRUE(paused->confirmed) << paused->detail;
  EXPECT_EQ(paused->state, DeviceState::kSleeping);
  EXPECT_EQ(paused->memo, json({{"mode", "normal"}}));
  EXPECT_EQ(rig.poll(*d)->state, DeviceState::kSleeping);
  auto resumed = rig.execute(*d, "resume");
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_TRUE(resumed->confirmed) << resumed->detail;
  EXPECT_NE(rig.poll(*d)->state, DeviceState::kSleeping);
}

TEST(VnishControl, SetPowerTakesHighestTunedPresetNotAbove) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  auto d = rig.make_driver(rig.config());
  const auto all = presets_of(rig);
  const auto ok = tuned(all);
  ASSERT_GE(ok.size(), 2u);
  // Between the second tuned preset and the untuned one above it: the tuned one wins.
  const double target = ok[1].watts + 100;
  auto r = rig.execute(*d, "set_power", {{"watts", target}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->confirmed) << r->detail;
  EXPECT_NE(r->detail.find("preset " + ok[1].name), std::string::npos) << r->detail;
  EXPECT_DOUBLE_EQ(*rig.poll(*d)->power_limit_w, ok[1].watts);
  EXPECT_EQ(rig.on_sim([&] { return rig.device().power_target(); }), ok[1].watts);
}

TEST(VnishControl, SetPowerBelowEveryTunedPresetIsRefused) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  auto d = rig.make_driver(rig.config());
  const auto ok = tuned(presets_of(rig));
  const double target = ok.front().watts - 50;  // an untuned preset fits; it is not used
  auto r = rig.execute(*d, "set_power", {{"watts", target}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kDeviceError);
  EXPECT_NE(r.error().message.find("no tuned preset"), std::string::npos);
  EXPECT_FALSE(rig.on_sim([&] { return rig.device().power_target(); }));  // unchanged
}

TEST(VnishControl, SwitchProfileRefusesUntunedAndAppliesTuned) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  auto d = rig.make_driver(rig.config());
  const auto all = presets_of(rig);
  const auto untuned = std::find_if(all.begin() + 1, all.end(), [](auto& p) { return !p.tuned; });
  ASSERT_NE(untuned, all.end());
  auto refused = rig.execute(*d, "switch_profile", {{"profile", untuned->name}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::kDeviceError);
  EXPECT_NE(refused.error().message.find("not tuned"), std::string::npos);
  const auto ok = tuned(all);
  auto r = rig.execute(*d, "switch_profile", {{"profile", ok.front().name}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->confirmed) << r->detail;
  EXPECT_EQ(rig.on_sim([&] { return sim::vnish_state(rig.device()).preset; }), ok.front().name);
}

TEST(VnishControl, PoolLocateAndReboot) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  auto d = rig.make_driver(rig.config());
  auto pool =
      rig.execute(*d, "switch_pool", {{"url", "stratum+tcp://other.pool:443"}, {"user", "acct.7"}});
  ASSERT_TRUE(pool) << pool.error().message;
  EXPECT_TRUE(pool->confirmed) << pool->detail;
  EXPECT_EQ(rig.poll(*d)->pool->url, "stratum+tcp://other.pool:443");

  auto led = rig.execute(*d, "locate");
  ASSERT_TRUE(led) << led.error().message;
  EXPECT_TRUE(led->confirmed) << led->detail;

  auto rebooted = rig.execute(*d, "reboot");
  ASSERT_TRUE(rebooted) << rebooted.error().message;
  EXPECT_TRUE(rebooted->confirmed) << rebooted->detail;
  EXPECT_EQ(rig.on_sim([&] { return rig.device().boots(); }), 1);
  // The reboot forgot the unlock token: the next privileged call unlocks again by itself.
  Result<CommandOutcome> again = fail(Errc::kTimeout, "not tried");
  for (int i = 0; i < 100 && !again; ++i) {
    again = rig.execute(*d, "locate");
    if (!again) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->confirmed);
}

TEST(VnishControl, DetectedFromItsWebInfo) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  const auto port = *rig.config().options.get_int("web_port");
  http::Request req;
  req.url = "http://" + rig.emitted().host + ":" + std::to_string(port) + "/api/v1/info";
  auto resp = rig.run(http::fetch(req));
  ASSERT_TRUE(resp) << resp.error().message;
  Probe probe;
  probe.web.push_back({req.url, resp->status, "", "", resp->body});
  EXPECT_EQ(match(probe), 40);
  EXPECT_EQ(identify(probe).model, rig.emitted().model);
  EXPECT_EQ(identify(probe).firmware_version, "1.2.6");
}

}  // namespace
}  // namespace rigkeeper::drivers::vnish
