// Device pollers against scripted cgminer servers on real sockets.
#include "agent/core/device_poller.h"

#include <gtest/gtest.h>

#include "tests/support/fake_cgminer_server.h"

namespace rigkeeper::agent {
namespace {

using namespace std::chrono_literals;
using test::FakeBehavior;
using test::FakeCgminerServer;

DeviceEntry entry(const std::string& id, const std::string& driver, uint16_t port) {
  DeviceEntry e;
  e.id = id;
  e.driver = driver;
  e.host = "127.0.0.1";
  e.port = port;
  return e;
}

PollTiming fast_timing() {
  PollTiming t;
  t.interval = 200ms;
  t.jitter = 0.1;
  t.timeout = 150ms;
  t.quarantine_after = 3;
  t.max_backoff = 1600ms;
  return t;
}

struct Recorder {
  std::vector<drivers::DeviceSnapshot> ok, failed;
  DevicePoller::SnapshotHandler handler() {
    return
        [this](const drivers::DeviceSnapshot& s, bool good) { (good ? ok : failed).push_back(s); };
  }
};

TEST(DevicePoller, HangingDeviceIsQuarantinedWithoutDelayingAHealthyOne) {
  FakeCgminerServer good(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  FakeCgminerServer hung(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  hung.set_behavior(FakeBehavior::kHang);
  asio::io_context io;
  Recorder g, h;
  auto pg = std::make_shared<DevicePoller>(io, entry("good", "antminer", good.port()),
                                           fast_timing(), 1, g.handler());
  auto ph = std::make_shared<DevicePoller>(io, entry("hung", "antminer", hung.port()),
                                           fast_timing(), 2, h.handler());
  pg->start();
  ph->start();
  io.run_for(3s);
  pg->stop();
  ph->stop();

  // ~15 slots in 3 s; a poller held up by the hanging one would manage far fewer.
  EXPECT_GE(g.ok.size(), 11u);
  EXPECT_TRUE(g.failed.empty());
  EXPECT_EQ(g.ok.back().device_id, "good");
  EXPECT_EQ(g.ok.back().state, drivers::DeviceState::kMining);

  EXPECT_TRUE(h.ok.empty());
  ASSERT_GE(h.failed.size(), 3u);
  EXPECT_EQ(h.failed.back().state, drivers::DeviceState::kOffline);
  EXPECT_FALSE(h.failed.back().hashrate_ths.has_value());
  ASSERT_FALSE(h.failed.back().errors.empty());
  EXPECT_NE(h.failed.back().errors[0].find("timeout"), std::string::npos)
      << h.failed.back().errors[0];
  EXPECT_GE(ph->status().consecutive_failures, 3);
  EXPECT_TRUE(ph->status().quarantined_until.has_value());
  // Backing off: far fewer attempts than the healthy device's polls.
  EXPECT_LT(ph->status().polls, pg->status().polls / 2);
}

TEST(DevicePoller, GarbageAndResetAreFailuresNotCrashes) {
  for (auto behavior : {FakeBehavior::kGarbage, FakeBehavior::kReset,
                        FakeBehavior::kCloseWithoutReply, FakeBehavior::kOversize}) {
    FakeCgminerServer bad(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
    bad.set_behavior(behavior);
    asio::io_context io;
    Recorder r;
    auto p = std::make_shared<DevicePoller>(io, entry("bad", "antminer", bad.port()), fast_timing(),
                                            3, r.handler());
    p->start();
    io.run_for(800ms);
    p->stop();
    EXPECT_TRUE(r.ok.empty());
    ASSERT_FALSE(r.failed.empty()) << static_cast<int>(behavior);
    EXPECT_TRUE(p->status().last_error.has_value());
  }
}

TEST(DevicePoller, AutoDetectsTheDriverThenPolls) {
  FakeCgminerServer luxos(FakeCgminerServer::serve_fixture_dir("asic/luxos"));
  asio::io_context io;
  Recorder r;
  auto p = std::make_shared<DevicePoller>(io, entry("lux", "auto", luxos.port()), fast_timing(), 4,
                                          r.handler());
  p->start();
  io.run_for(1s);
  p->stop();
  ASSERT_FALSE(r.ok.empty()) << (p->status().last_error ? p->status().last_error->message : "");
  EXPECT_EQ(p->status().driver, "luxos");
  EXPECT_EQ(r.ok.back().firmware, "luxos");
}

TEST(DevicePoller, RecoversWhenTheDeviceComesBack) {
  FakeCgminerServer dev(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  dev.set_behavior(FakeBehavior::kCloseWithoutReply);
  asio::io_context io;
  Recorder r;
  auto p = std::make_shared<DevicePoller>(io, entry("flaky", "antminer", dev.port()), fast_timing(),
                                          5, r.handler());
  p->start();
  io.run_for(1200ms);
  EXPECT_GE(p->status().consecutive_failures, 3);
  dev.set_behavior(FakeBehavior::kNormal);
  io.run_for(3s);  // at most one back-off (<= 1.6 s) later it is polled again
  p->stop();
  ASSERT_FALSE(r.ok.empty());
  EXPECT_EQ(p->status().consecutive_failures, 0);
  EXPECT_FALSE(p->status().quarantined_until.has_value());
}

}  // namespace
}  // namespace rigkeeper::agent
