// Braiins OS+ REST control against the simulator over real HTTP on loopback: every verb read
// back, token renewal, credentials refused or missing, firmware without the REST API.
#include <gtest/gtest.h>

#include <thread>

#include "drivers/asic/braiins/driver.h"
#include "drivers/sim/braiins_rest_state.h"
#include "drivers/sim/http_server.h"
#include "tests/support/sim_rig.h"

namespace rigkeeper::drivers::braiins {
namespace {

using nlohmann::json;
using test::SimRig;

constexpr int kFleet = 10;  // every family at least once, whatever families exist

TEST(BraiinsRestControl, EmittedConfigCarriesPortAndCredentials) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  const auto c = rig.config();
  EXPECT_TRUE(c.options.get_int("rest_port"));
  EXPECT_EQ(c.options.get_string("username"), "root");
  EXPECT_EQ(c.options.get_string("password"), "root");
}

TEST(BraiinsRestControl, PollReadsTheRestApiWithCredentials) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  auto d = rig.make_driver(rig.config());
  auto snap = rig.poll(*d);
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->firmware, "braiins");
  EXPECT_EQ(snap->firmware_version, "2025-08-06-0-3881c51d-25.07-plus");  // REST, not cgminer
  EXPECT_EQ(snap->model, rig.emitted().model);
  EXPECT_EQ(snap->device_id, rig.emitted().id);
  EXPECT_EQ(snap->boards.size(), 3u);
  EXPECT_TRUE(snap->power_limit_w);
  EXPECT_TRUE(snap->power_w);
  EXPECT_EQ(snap->fans_rpm.size(), 4u);
  ASSERT_TRUE(snap->pool);
}

// The tuner's power target is asked once a minute, not on every poll; a control verb forgets it
// so that what the verb changed shows on the next poll.
TEST(BraiinsRestControl, TunerStateIsReusedUntilAVerbOrAMinute) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  auto d = rig.make_driver(rig.config());
  auto first = rig.poll(*d);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(first->power_limit_w);
  const double before = *first->power_limit_w;
  const double changed = before - 500;
  // Changed behind the driver's back (the miner's own web page, say).
  rig.on_sim([&] {
    rig.device().set_power_target(sim::SimClock::now(), changed);
    return 0;
  });
  auto second = rig.poll(*d);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->power_limit_w, before);  // reused within the minute
  auto located = rig.execute(*d, "locate", {{"on", false}});
  ASSERT_TRUE(located) << located.error().message;
  auto third = rig.poll(*d);
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_EQ(third->power_limit_w, changed);  // the verb made the driver ask again
}

TEST(BraiinsRestControl, PollWithoutCredentialsReadsThroughCgminer) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  auto c = rig.config();
  c.options = Options{};
  auto d = rig.make_driver(c);
  auto snap = rig.poll(*d);
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->firmware, "braiins");
  EXPECT_EQ(snap->firmware_version, "boser-buildroot 0.1.0-0ce150e9");  // cgminer `version`
}

TEST(BraiinsRestControl, EveryVerbIsReadBack) {
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

  auto power = rig.execute(*d, "set_power", {{"watts", 2800}});
  ASSERT_TRUE(power) << power.error().message;
  EXPECT_TRUE(power->confirmed) << power->detail;
  EXPECT_EQ(power->detail, "power target 2800 W");
  EXPECT_EQ(rig.poll(*d)->power_limit_w, 2800);
  EXPECT_EQ(rig.on_sim([&] { return rig.device().power_target(); }), 2800);

  auto pool =
      rig.execute(*d, "switch_pool",
                  {{"url", "stratum+tcp://new.pool:3333"}, {"user", "w.1"}, {"password", "x"}});
  ASSERT_TRUE(pool) << pool.error().message;
  EXPECT_TRUE(pool->confirmed) << pool->detail;
  EXPECT_EQ(rig.poll(*d)->pool->url, "stratum+tcp://new.pool:3333");

  auto led = rig.execute(*d, "locate");
  ASSERT_TRUE(led) << led.error().message;
  EXPECT_TRUE(led->confirmed) << led->detail;
  EXPECT_TRUE(rig.on_sim([&] { return sim::braiins_rest_state(rig.device()).locate; }));

  const int boots = rig.on_sim([&] { return rig.device().boots(); });
  auto rebooted = rig.execute(*d, "reboot");
  ASSERT_TRUE(rebooted) << rebooted.error().message;
  EXPECT_TRUE(rebooted->confirmed) << rebooted->detail;
  EXPECT_EQ(rig.on_sim([&] { return rig.device().boots(); }), boots + 1);
  // The reboot dropped the session: the next read logs in again by itself.
  Result<DeviceSnapshot> after = fail(Errc::kTimeout, "not polled");
  for (int i = 0; i < 100 && !after; ++i) {
    after = rig.poll(*d);
    if (!after) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->firmware_version, "2025-08-06-0-3881c51d-25.07-plus");
}

TEST(BraiinsRestControl, ExpiredTokenIsRenewed) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  auto d = rig.make_driver(rig.config());
  ASSERT_TRUE(rig.poll(*d));
  rig.on_sim([&] {
    sim::braiins_rest_state(rig.device()).tokens.clear();  // the firmware forgot the token
    return 0;
  });
  auto snap = rig.poll(*d);
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->firmware_version, "2025-08-06-0-3881c51d-25.07-plus");
}

TEST(BraiinsRestControl, WrongPasswordIsAnAuthError) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  auto c = rig.config();
  c.options.set("password", std::string("wrong"));
  auto d = rig.make_driver(c);
  auto r = rig.execute(*d, "set_power", {{"watts", 2800}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kAuth);
  EXPECT_NE(r.error().message.find(rig.emitted().id), std::string::npos);
  EXPECT_EQ(r.error().message.find("wrong"), std::string::npos);  // never the password
  // Reads still work: auto mode falls back to the cgminer API and says why.
  auto snap = rig.poll(*d);
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->firmware_version, "boser-buildroot 0.1.0-0ce150e9");
}

TEST(BraiinsRestControl, MissingCredentialsFailControlNamingTheDevice) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  auto c = rig.config();
  c.options = Options{};
  auto d = rig.make_driver(c);
  auto r = rig.execute(*d, "curtail", {{"mode", "sleep"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kAuth);
  EXPECT_NE(r.error().message.find(rig.emitted().id), std::string::npos);
  EXPECT_NE(r.error().message.find("username and password"), std::string::npos);
}

TEST(BraiinsRestControl, CgminerModeIsReadOnly) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  auto c = rig.config();
  c.options.set("api", std::string("cgminer"));
  auto d = rig.make_driver(c);
  ASSERT_TRUE(rig.poll(*d));
  auto r = rig.execute(*d, "reboot");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
}

TEST(BraiinsRestControl, SwitchProfileIsUnsupported) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  auto d = rig.make_driver(rig.config());
  auto r = rig.execute(*d, "switch_profile", {{"profile", "eco"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
}

TEST(BraiinsRestControl, FirmwareWithoutRestIsUnsupported) {
  SimRig rig(kFleet, driver_info().name, {.seed = 7});
  // A 22.x..25.05 web server: no /api/v1 at all.
  std::unique_ptr<sim::HttpServer> old;
  const uint16_t port = rig.on_sim([&] {
    old = std::make_unique<sim::HttpServer>(
        rig.sim_executor(), "127.0.0.1", 0,
        [](const sim::HttpRequest&) { return sim::HttpReply::text(404, "Not Found"); });
    (void)old->start();
    return old->port();
  });
  auto c = rig.config();
  c.options.set("rest_port", int64_t{port});
  auto d = rig.make_driver(c);
  auto r = rig.execute(*d, "set_power", {{"watts", 2800}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
  EXPECT_NE(r.error().message.find("REST API needs Braiins OS 25.07 or later"), std::string::npos);
  // Reads fall back to the cgminer API.
  auto snap = rig.poll(*d);
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->firmware_version, "boser-buildroot 0.1.0-0ce150e9");
  rig.on_sim([&] {
    old->stop();
    old.reset();
    return 0;
  });
}

}  // namespace
}  // namespace rigkeeper::drivers::braiins
