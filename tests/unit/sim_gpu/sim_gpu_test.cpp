#include <gtest/gtest.h>

#include "drivers/gpu/dcgm/driver.h"
#include "drivers/gpu/redfish/driver.h"
#include "drivers/sim/gpu_fleet.h"

namespace rigkeeper::drivers {
namespace {

using sim::GpuFleet;

DeviceConfig config_for(const sim::EmittedDevice& d, std::string auth = "session",
                        bool allow_http = true) {
  DeviceConfig c;
  c.id = d.id;
  c.host = d.host;
  c.port = d.port;
  for (const auto& [k, v] : d.options) c.options.set(k, v);
  c.options.set("auth", auth);
  c.options.set("allow_http", allow_http);
  return c;
}

/// Runs `body` as a coroutine on an io_context serving a 2-node GPU fleet.
template <class Body>
void with_fleet(const std::string& faults, Body body) {
  asio::io_context io(1);
  GpuFleet fleet(io.get_executor(), 2, 7, "127.0.0.1", 0.01);
  ASSERT_TRUE(fleet.start());
  if (!faults.empty()) {
    ASSERT_TRUE(fleet.inject(faults));
  }
  auto devices = fleet.devices();
  bool ran = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await body(fleet, devices);
        ran = true;
        fleet.stop();
      },
      asio::detached);
  io.run();
  EXPECT_TRUE(ran) << "the test body did not finish";
}

TEST(SimGpuRedfish, ReadsNodeOverHttpWithSession) {
  with_fleet("", [](GpuFleet&, std::vector<sim::EmittedDevice> d) -> asio::awaitable<void> {
    EXPECT_EQ(d[0].driver, "redfish");
    redfish::RedfishDriver driver(co_await asio::this_coro::executor, config_for(d[0]));
    auto snap = co_await driver.poll();
    EXPECT_TRUE(snap) << (snap ? "" : snap.error().message);
    if (!snap) co_return;
    EXPECT_TRUE(driver.has_session());
    EXPECT_EQ(snap->firmware, "redfish");
    EXPECT_EQ(snap->kind, DeviceKind::kGpuNode);
    EXPECT_EQ(snap->gpus.size(), 8u);
    EXPECT_EQ(snap->state, DeviceState::kServing);
    EXPECT_DOUBLE_EQ(snap->power_limit_w.value_or(0), 8 * 700);
    EXPECT_TRUE(snap->power_w);
    EXPECT_EQ(snap->fans_rpm.size(), 6u);
    EXPECT_TRUE(snap->gpus[0].temp_c);
    EXPECT_EQ(snap->gpus[0].model, "NVIDIA H100 80GB HBM3");
  });
}

TEST(SimGpuRedfish, SetPowerRebootLocateAreReadBack) {
  with_fleet("", [](GpuFleet& fleet, std::vector<sim::EmittedDevice> d) -> asio::awaitable<void> {
    redfish::RedfishDriver driver(co_await asio::this_coro::executor, config_for(d[2], "basic"));
    DeviceCommand set{.type = "set_power", .params = {{"watts", 1600}}};
    auto out = co_await driver.execute(set);
    EXPECT_TRUE(out) << (out ? "" : out.error().message);
    if (out) {
      EXPECT_TRUE(out->confirmed) << out->detail;
    }
    EXPECT_DOUBLE_EQ(fleet.find("gpu-002")->limit_w(), 1600);
    DeviceCommand too_low{.type = "set_power", .params = {{"watts", 100}}};
    auto refused = co_await driver.execute(too_low);
    EXPECT_FALSE(refused);
    DeviceCommand reboot{.type = "reboot"};
    auto rebooted = co_await driver.execute(reboot);
    EXPECT_TRUE(rebooted) << (rebooted ? "" : rebooted.error().message);
    EXPECT_EQ(fleet.find("gpu-002")->boots(), 2);
    DeviceCommand locate{.type = "locate"};
    auto located = co_await driver.execute(locate);
    EXPECT_TRUE(located) << (located ? "" : located.error().message);
    if (located) {
      EXPECT_TRUE(located->confirmed);
    }
    EXPECT_TRUE(fleet.find("gpu-002")->locate);
  });
}

TEST(SimGpuRedfish, BadCredentialsAndHttpWithoutAllow) {
  with_fleet("", [](GpuFleet&, std::vector<sim::EmittedDevice> d) -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    for (std::string auth : {"session", "basic"}) {
      DeviceConfig c = config_for(d[0], auth);
      c.options.set("password", std::string("wrong"));
      redfish::RedfishDriver driver(ex, c);
      auto snap = co_await driver.poll();
      EXPECT_FALSE(snap);
      if (!snap) {
        EXPECT_EQ(snap.error().code, Errc::kAuth) << snap.error().message;
        EXPECT_EQ(snap.error().message.find("wrong"), std::string::npos);
      }
    }
    redfish::RedfishDriver plain(ex, config_for(d[0], "session", false));
    auto refused = co_await plain.poll();
    EXPECT_FALSE(refused);
    if (!refused) {
      EXPECT_EQ(refused.error().code, Errc::kConfig);
    }
  });
}

TEST(SimGpuRedfish, SessionIsDeletedWhenTheDriverCloses) {
  with_fleet("", [](GpuFleet& fleet, std::vector<sim::EmittedDevice> d) -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    {
      redfish::RedfishDriver driver(ex, config_for(d[0]));
      auto snap = co_await driver.poll();
      EXPECT_TRUE(snap);
      EXPECT_EQ(fleet.sessions("gpu-001"), 1u);
      auto again = co_await driver.poll();  // the token is reused, no second login
      EXPECT_TRUE(again);
      EXPECT_EQ(fleet.sessions("gpu-001"), 1u);
    }
    asio::steady_timer timer(ex);
    for (int i = 0; i < 100 && fleet.sessions("gpu-001") > 0; ++i) {
      timer.expires_after(std::chrono::milliseconds(20));
      co_await timer.async_wait(asio::use_awaitable);
    }
    EXPECT_EQ(fleet.sessions("gpu-001"), 0u);
  });
}

TEST(SimGpuRedfish, FaultsShowInRedfishAndDcgm) {
  with_fleet("gpu-001:falloff:2",
             [](GpuFleet& fleet, std::vector<sim::EmittedDevice> d) -> asio::awaitable<void> {
               EXPECT_TRUE(fleet.inject("gpu-001:xid:48:1"));
               EXPECT_TRUE(fleet.inject("gpu-001:ecc:3"));
               EXPECT_FALSE(fleet.inject("gpu-001:xid:48:9"));
               EXPECT_FALSE(fleet.inject("gpu-009:ecc"));
               auto ex = co_await asio::this_coro::executor;
               redfish::RedfishDriver driver(ex, config_for(d[0]));
               auto snap = co_await driver.poll();
               EXPECT_TRUE(snap);
               if (snap) {
                 EXPECT_EQ(snap->state, DeviceState::kFault);
                 EXPECT_EQ(snap->gpus[3].ecc_uncorrected, 1);
                 EXPECT_FALSE(snap->gpus[2].temp_c);  // fallen GPU: its metrics do not answer
               }
               DeviceConfig dc;
               dc.id = d[1].id;
               dc.host = d[1].host;
               dc.port = d[1].port;
               dcgm::DcgmDriver dcgm_driver(ex, dc);
               auto metrics = co_await dcgm_driver.poll();
               EXPECT_TRUE(metrics) << (metrics ? "" : metrics.error().message);
               if (metrics) {
                 EXPECT_EQ(metrics->gpus.size(), 7u);             // GPU 2 fell off the bus
                 EXPECT_EQ(metrics->state, DeviceState::kFault);  // Xid 48 (DBE) on GPU 1
               }
             });
}

}  // namespace
}  // namespace rigkeeper::drivers
