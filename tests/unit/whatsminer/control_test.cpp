// The Whatsminer driver against the simulated rack over real loopback sockets: API v2 on the
// cgminer port (encrypted privileged commands) for 2021/2023 firmware, API v3 on its own
// length-prefixed port for 2025 firmware, every control verb followed by its read-back, and
// the refusals: wrong password, no password, API switched off, verbs a generation lacks.
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "drivers/api/registry.h"
#include "drivers/asic/whatsminer/driver.h"
#include "drivers/sim/fleet.h"
#include "drivers/sim/whatsminer_firmware.h"
#include "tests/unit/drivers_api/run_coro.h"

namespace rigkeeper::drivers {
namespace {

using nlohmann::json;

/// A simulated rack on its own thread (the fleet's timers keep its loop busy).
class SimRack {
 public:
  SimRack() {
    sim::FleetOptions o;
    o.asics = 24;
    o.listen = "127.0.0.1:0";
    o.delay_scale = 0;  // sleep, wake, reboot and settle take effect at once
    fleet_ = std::move(*sim::Fleet::create(ctx_.get_executor(), o));
    EXPECT_TRUE(fleet_->start());
    thread_ = std::thread([this] { ctx_.run(); });
  }
  ~SimRack() {
    std::promise<void> stopped;
    asio::post(ctx_, [&] {
      fleet_->stop();
      stopped.set_value();
    });
    stopped.get_future().wait();
    ctx_.stop();
    thread_.join();
  }
  /// Runs `f` on the simulator's thread and waits for it.
  template <class F>
  auto on_sim(F f) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto fut = task.get_future();
    asio::post(ctx_, [&task] { task(); });
    return fut.get();
  }
  /// The emitted description of the first device playing `model`.
  sim::EmittedDevice device(std::string_view model) {
    return on_sim([&] {
      for (const auto& d : fleet_->devices())
        if (d.model == model) return d;
      ADD_FAILURE() << "no " << model << " in the rack";
      return sim::EmittedDevice{};
    });
  }
  /// A copy of the device's firmware state, taken on the simulator's thread.
  sim::whatsminer::FirmwareState firmware(const std::string& id) {
    return on_sim([&] { return fleet_->find(id)->extension<sim::whatsminer::FirmwareState>(); });
  }
  void set_api_enabled(const std::string& id, bool on) {
    on_sim([&] {
      fleet_->find(id)->extension<sim::whatsminer::FirmwareState>().api_enabled = on;
      return 0;
    });
  }
  sim::Fleet& fleet() { return *fleet_; }

 private:
  asio::io_context ctx_;
  std::unique_ptr<sim::Fleet> fleet_;
  std::thread thread_;
};

struct Client {
  asio::io_context ctx;
  std::unique_ptr<Driver> driver;
  Client(const sim::EmittedDevice& d, std::optional<std::string> password,
         std::string generation = "auto") {
    DeviceConfig c;
    c.id = d.id;
    c.host = d.host;
    c.port = d.port;
    for (const auto& w : d.web)
      if (w.config_key == "v3_port") c.options.set("v3_port", int64_t{w.port});
    if (password) c.options.set("admin_password", *password);
    c.options.set("api_generation", generation);
    driver = find_driver("whatsminer")->create(ctx.get_executor(), c);
  }
  Result<DeviceSnapshot> poll() { return test::run_coro(ctx, driver->poll()); }
  Result<CommandOutcome> run(const std::string& type, json params = json::object(),
                             json memo = nullptr) {
    DeviceCommand cmd;
    cmd.type = type;
    cmd.params = std::move(params);
    cmd.memo = std::move(memo);
    return test::run_coro(ctx, driver->execute(cmd));
  }
  std::optional<whatsminer::ApiGeneration> generation() {
    return static_cast<whatsminer::WhatsminerDriver&>(*driver).generation();
  }
};

SimRack* rack_ = nullptr;  // one rack for the suite (binding ports is the slow part)

class WhatsminerControl : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { rack_ = new SimRack(); }
  static void TearDownTestSuite() {
    delete rack_;
    rack_ = nullptr;
  }
};

void round_trip(Client& c, const std::string& id, bool v3) {
  auto snap = c.poll();
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->state, DeviceState::kMining);
  EXPECT_EQ(snap->firmware, "btminer");
  EXPECT_EQ(c.generation(), v3 ? whatsminer::ApiGeneration::kV3 : whatsminer::ApiGeneration::kV2);
  ASSERT_TRUE(snap->power_limit_w);
  const double limit_before = *snap->power_limit_w;

  auto cur = c.run("curtail", {{"mode", "sleep"}});
  ASSERT_TRUE(cur) << cur.error().message;
  EXPECT_EQ(cur->state, DeviceState::kSleeping) << id;
  EXPECT_TRUE(cur->confirmed);
  EXPECT_EQ(cur->memo, json({{"power_limit_w", limit_before}}));
  auto asleep = c.poll();
  ASSERT_TRUE(asleep);
  EXPECT_EQ(asleep->state, DeviceState::kSleeping);

  auto res = c.run("resume", json::object(), cur->memo);
  ASSERT_TRUE(res) << res.error().message;
  EXPECT_NE(res->state, DeviceState::kSleeping);

  auto pw = c.run("set_power", {{"watts", 3000}});
  ASSERT_TRUE(pw) << pw.error().message;
  EXPECT_TRUE(pw->confirmed) << pw->detail;
  EXPECT_EQ(pw->detail, "power limit 3000 W");
  EXPECT_DOUBLE_EQ(*c.poll()->power_limit_w, 3000);

  auto pool =
      c.run("switch_pool",
            {{"url", "stratum+tcp://new.pool:3333"}, {"user", "rack.worker"}, {"password", "x"}});
  auto led = c.run("locate");
  if (v3) {
    ASSERT_FALSE(pool);
    EXPECT_EQ(pool.error().code, Errc::kUnsupported);
    ASSERT_FALSE(led);
    EXPECT_EQ(led.error().code, Errc::kUnsupported);
  } else {
    ASSERT_TRUE(pool) << pool.error().message;
    EXPECT_TRUE(pool->confirmed);
    EXPECT_EQ(c.poll()->pool->url, "stratum+tcp://new.pool:3333");
    ASSERT_TRUE(led) << led.error().message;
    EXPECT_EQ(rack_->firmware(id).led, "red");
  }
  const auto boots_before = rack_->on_sim([&] { return rack_->fleet().find(id)->boots(); });
  auto rb = c.run("reboot");
  ASSERT_TRUE(rb) << rb.error().message;
  EXPECT_FALSE(rb->confirmed);  // a reboot is confirmed by later polls, not at once
  EXPECT_EQ(rack_->on_sim([&] { return rack_->fleet().find(id)->boots(); }), boots_before + 1);
}

TEST_F(WhatsminerControl, V2EveryVerbWithReadBack) {
  const auto d = rack_->device("M50S_VH50");
  Client c(d, "admin");
  round_trip(c, d.id, false);
  EXPECT_GE(rack_->firmware(d.id).privileged_ok, 6);
}

TEST_F(WhatsminerControl, V3EveryVerbWithReadBack) {
  const auto d = rack_->device("M60S_VK40");
  bool has_v3_port = false;
  for (const auto& w : d.web) has_v3_port = has_v3_port || w.config_key == "v3_port";
  ASSERT_TRUE(has_v3_port);
  Client c(d, "admin");
  round_trip(c, d.id, true);
}

TEST_F(WhatsminerControl, WrongPasswordIsAuth) {
  for (auto model : {"M30S++_VH60", "M60S_VK40"}) {
    const auto d = rack_->device(model);
    Client c(d, "wrong");
    auto r = c.run("curtail", {{"mode", "sleep"}});
    ASSERT_FALSE(r) << model;
    EXPECT_EQ(r.error().code, Errc::kAuth) << r.error().message;
    EXPECT_EQ(r.error().message.find("wrong"), std::string::npos);  // never the password
    EXPECT_EQ(c.poll()->state, DeviceState::kMining) << model;
  }
}

TEST_F(WhatsminerControl, MissingPasswordIsAuth) {
  const auto d = rack_->device("M30S++_VH60");
  Client c(d, std::nullopt);
  auto r = c.run("set_power", {{"watts", 3000}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kAuth);
  EXPECT_EQ(r.error().message, "no admin password configured for " + d.id);
}

TEST_F(WhatsminerControl, ApiDisabledIsAuthWithHint) {
  const auto d = rack_->device("M30S++_VH60");
  rack_->set_api_enabled(d.id, false);
  Client c(d, "admin");
  auto r = c.run("reboot");
  rack_->set_api_enabled(d.id, true);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kAuth);
  EXPECT_NE(r.error().message.find("API access disabled on the miner; enable it in the web UI"),
            std::string::npos)
      << r.error().message;
}

TEST_F(WhatsminerControl, ForcedV2OnNewFirmwareIsRefused) {
  const auto d = rack_->device("M60S_VK40");
  Client c(d, "admin", "v2");
  auto snap = c.poll();  // the plain v2 reads still answer
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->firmware_version, "20251209.16.Rel2");
  auto r = c.run("set_power", {{"watts", 3000}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kAuth);
}

TEST_F(WhatsminerControl, UnsupportedAndInvalid) {
  const auto d = rack_->device("M30S++_VH60");
  Client c(d, "admin");
  auto r = c.run("switch_profile", {{"profile", "x"}});
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
  r = c.run("set_power", {{"watts", "lots"}});
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  r = c.run("curtail", {{"rack_power_w", 1000}, {"mode", "shed"}});
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
}

TEST_F(WhatsminerControl, EmittedConfigCarriesCredentials) {
  const auto d = rack_->device("M60S_VK40");
  bool pw = false;
  for (const auto& [k, v] : d.options) pw = pw || (k == "admin_password" && v == "admin");
  EXPECT_TRUE(pw);
  EXPECT_EQ(d.driver, "whatsminer");
}

}  // namespace
}  // namespace rigkeeper::drivers
