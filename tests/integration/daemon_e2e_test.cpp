// rigkeeperd end to end: real broker, real simulator, real daemon, real CLI.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include <gtest/gtest.h>

#include "drivers/api/timestamp.h"
#include "tests/integration/rack_fixture.h"
#include "tests/support/temp_dir.h"

namespace rigkeeper::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

int64_t ts_ms(const json& snapshot) {
  auto t = parse_rfc3339(snapshot.value("ts", ""));
  return t ? to_unix_ms(*t) : -1;
}

std::optional<json> retained_status(const RackFixture& rack) {
  auto lines =
      rack.broker().subscribe_collect(rack.prefix() + "/status", 1, 3s, /*retained_only=*/true);
  if (lines.empty()) return std::nullopt;
  const auto sp = lines.back().find(' ');
  auto j = json::parse(lines.back().substr(sp + 1), nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

// True once every device's latest snapshot was taken after `ts` (the backlog has drained).
bool every_device_reported_after(const RackFixture& rack, int64_t ts) {
  return eventually(
      [&] {
        const auto telemetry = rack.telemetry();
        for (const auto& id : rack.device_ids()) {
          auto it = telemetry.find(id);
          if (it == telemetry.end() || ts_ms(it->second.back()) < ts) return false;
        }
        return true;
      },
      30s);
}

// Largest gap between consecutive snapshot timestamps of one device, in ms.
int64_t largest_gap(std::vector<json> snaps) {
  std::vector<int64_t> ts;
  for (const auto& s : snaps) ts.push_back(ts_ms(s));
  std::sort(ts.begin(), ts.end());
  ts.erase(std::unique(ts.begin(), ts.end()), ts.end());
  int64_t gap = 0;
  for (size_t i = 1; i < ts.size(); ++i) gap = std::max(gap, ts[i] - ts[i - 1]);
  return gap;
}

TEST(DaemonE2E, EveryDeviceReportsTelemetryStatusAndRack) {
  RackFixture rack({.asics = 4});
  ASSERT_TRUE(rack.start_daemon()) << rack.daemon_log();
  ASSERT_EQ(rack.device_ids().size(), 4u);
  ASSERT_TRUE(rack.wait_for_telemetry(2, 30s)) << rack.daemon_log();

  std::set<std::string> firmwares;
  for (const auto& [id, snaps] : rack.telemetry()) {
    const auto& s = snaps.back();
    EXPECT_EQ(s["schema"], 1);
    EXPECT_EQ(s["device_id"], id);
    EXPECT_EQ(s["kind"], "asic");
    EXPECT_GT(s["hashrate_ths"].get<double>(), 1.0) << s.dump();
    EXPECT_FALSE(s["boards"].empty()) << s.dump();
    EXPECT_TRUE(parse_rfc3339(s["ts"].get<std::string>()).has_value());
    firmwares.insert(s["firmware"].get<std::string>());
  }
  EXPECT_EQ(firmwares, (std::set<std::string>{"stock", "luxos", "braiins", "cgminer"}));

  auto status = retained_status(rack);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ((*status)["state"], "online");
  EXPECT_EQ((*status)["devices"], 4);

  ASSERT_TRUE(eventually(
      [&] {
        for (const auto& s : rack.seen())
          if (s.topic == rack.prefix() + "/rack" && s.payload.is_object() &&
              s.payload["devices"]["online"] == 4 && s.payload["devices"]["mining"] == 4)
            return true;
        return false;
      },
      15s));

  std::string out;
  ASSERT_EQ(rack.cli({"status", "--json", "--config", rack.config_file().string(), "--socket",
                      (rack.state_dir() / "rigkeeperd.sock").string()},
                     &out),
            0)
      << out;
  auto st = json::parse(out, nullptr, false);
  ASSERT_FALSE(st.is_discarded()) << out;
  EXPECT_EQ(st["devices"].size(), 4u);
  EXPECT_TRUE(st["mqtt"]["connected"].get<bool>());

  EXPECT_EQ(rack.daemon().stop(SIGTERM, 15s), 0) << rack.daemon_log();
  status = retained_status(rack);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ((*status)["state"], "offline");
}

// Every firmware family of the simulator and a GPU node (its BMC over Redfish and its
// dcgm-exporter), each through its own protocol, reported by the real daemon.
TEST(DaemonE2E, EveryFamilyAndAGpuNodeReport) {
  RackFixture rack({.asics = 7, .gpus = 1});
  ASSERT_TRUE(rack.start_daemon()) << rack.daemon_log();
  ASSERT_EQ(rack.device_ids().size(), 9u);
  ASSERT_TRUE(rack.wait_for_telemetry(2, 40s, "")) << [&] {
    std::string counts;
    for (const auto& [id, snaps] : rack.telemetry())
      counts += id + "=" + std::to_string(snaps.size()) + " ";
    return counts + "\n" + rack.daemon_log();
  }();

  std::set<std::string> firmwares;
  for (const auto& [id, snaps] : rack.telemetry()) {
    const auto& s = snaps.back();
    EXPECT_EQ(s["device_id"], id);
    firmwares.insert(s["firmware"].get<std::string>());
    if (s["kind"] == "gpu_node") {
      EXPECT_EQ(s["state"], "serving") << s.dump();
      EXPECT_EQ(s["gpus"].size(), 8u) << s.dump();
      EXPECT_GT(s["power_w"].get<double>(), 100.0) << s.dump();
    } else {
      EXPECT_EQ(s["kind"], "asic") << s.dump();
      EXPECT_GT(s["hashrate_ths"].get<double>(), 1.0) << s.dump();
    }
    // Later polls read their replies into the trees the earlier ones gave back
    // (recycle_json): the simulator's devices keep their shape, so must the snapshots.
    auto shape = [](const nlohmann::json& snap) {
      std::string out;
      for (const auto& [key, value] : snap.items())
        if (!value.is_null())
          out += key + (value.is_array() ? std::to_string(value.size()) : "") + " ";
      return out;
    };
    EXPECT_EQ(shape(snaps.back()), shape(snaps.front())) << id;
  }
  EXPECT_EQ(firmwares, (std::set<std::string>{"stock", "luxos", "braiins", "cgminer", "btminer",
                                              "vnish", "avalon", "redfish", "dcgm"}));
  EXPECT_EQ(rack.daemon().stop(SIGTERM, 15s), 0) << rack.daemon_log();
}

TEST(DaemonE2E, BrokerOutageLosesNothingAndKeepsTimestamps) {
  RackFixture rack({.asics = 3});
  ASSERT_TRUE(rack.start_daemon());
  ASSERT_TRUE(rack.wait_for_telemetry(2, 30s)) << rack.daemon_log();

  rack.broker().stop();
  const auto down_at = to_unix_ms(now_ms());
  std::this_thread::sleep_for(5s);
  const auto up_at = to_unix_ms(now_ms());
  ASSERT_TRUE(rack.broker().start());

  // Everything produced during the outage arrives afterwards, with the original timestamps.
  ASSERT_TRUE(every_device_reported_after(rack, up_at + 2000)) << rack.daemon_log();
  for (const auto& id : rack.device_ids()) {
    auto snaps = rack.telemetry()[id];
    int during = 0;
    for (const auto& s : snaps)
      if (ts_ms(s) > down_at + 500 && ts_ms(s) < up_at - 500) ++during;
    EXPECT_GE(during, 3) << id << ": telemetry produced during the outage is missing";
    // Polls run every second; no gap may be much larger than one interval (+ jitter).
    EXPECT_LE(largest_gap(snaps), 2500) << id;
  }
}

TEST(DaemonE2E, KillNineLeavesStatusOffline) {
  RackFixture rack({.asics = 2});
  ASSERT_TRUE(rack.start_daemon());
  ASSERT_TRUE(eventually(
      [&] {
        auto s = retained_status(rack);
        return s && (*s)["state"] == "online";
      },
      20s));
  rack.daemon().stop(SIGKILL, 5s);
  ASSERT_TRUE(eventually(
      [&] {
        auto s = retained_status(rack);
        return s && (*s)["state"] == "offline";
      },
      20s))
      << "the Last Will did not set the retained status offline";
}

TEST(DaemonE2E, RestartDuringOutageLosesNothing) {
  RackFixture rack({.asics = 2});
  ASSERT_TRUE(rack.start_daemon());
  ASSERT_TRUE(rack.wait_for_telemetry(2, 30s)) << rack.daemon_log();

  rack.broker().stop();
  const auto down_at = to_unix_ms(now_ms());
  std::this_thread::sleep_for(3s);
  ASSERT_EQ(rack.daemon().stop(SIGTERM, 15s), 0) << rack.daemon_log();
  const auto restart_at = to_unix_ms(now_ms());
  ASSERT_TRUE(rack.start_daemon());
  // Long enough that the second run polls every device a few times inside the window below,
  // whatever the random phase of its first poll.
  std::this_thread::sleep_for(5s);
  const auto up_at = to_unix_ms(now_ms());
  ASSERT_TRUE(rack.broker().start());

  ASSERT_TRUE(every_device_reported_after(rack, up_at + 2000)) << rack.daemon_log();
  for (const auto& id : rack.device_ids()) {
    int first_run = 0, second_run = 0;
    const auto snaps = rack.telemetry()[id];  // a copy: the map is a temporary
    for (const auto& s : snaps) {
      const auto t = ts_ms(s);
      if (t > down_at + 500 && t < restart_at - 500) ++first_run;
      if (t > restart_at + 1500 && t < up_at - 500) ++second_run;
    }
    EXPECT_GE(first_run, 1) << id << ": stored before the restart, lost";
    EXPECT_GE(second_run, 1) << id << ": stored after the restart, lost";
  }
}

TEST(DaemonE2E, HangingResettingAndGarbageDevicesDoNotStopTheOthers) {
  RackFixture rack({.asics = 8, .faults = "asic-002:hang,asic-003:reset,asic-004:garbage"});
  ASSERT_TRUE(rack.start_daemon());
  const std::set<std::string> bad = {"asic-002", "asic-003", "asic-004"};
  const auto t0 = to_unix_ms(now_ms());
  std::this_thread::sleep_for(10s);
  const auto t1 = to_unix_ms(now_ms());
  auto telemetry = rack.telemetry();
  for (const auto& id : rack.device_ids()) {
    const auto& snaps = telemetry[id];
    if (bad.count(id)) {
      ASSERT_FALSE(snaps.empty()) << id << " should be reported offline";
      EXPECT_EQ(snaps.back()["state"], "offline") << snaps.back().dump();
      EXPECT_FALSE(snaps.back()["errors"].empty());
      EXPECT_EQ(snaps.back()["hashrate_ths"], nullptr);
      continue;
    }
    int in_window = 0;
    for (const auto& s : snaps)
      if (s["state"] == "mining" && ts_ms(s) >= t0 + 2000 && ts_ms(s) <= t1) ++in_window;
    // Polled every second: about 8 in the window; a device held up by its neighbours would not be.
    EXPECT_GE(in_window, 6) << id;
  }
  std::string out;
  ASSERT_EQ(
      rack.cli({"status", "--json", "--socket", (rack.state_dir() / "rigkeeperd.sock").string()},
               &out),
      0)
      << out;
  auto st = json::parse(out, nullptr, false);
  ASSERT_FALSE(st.is_discarded()) << out;
  for (const auto& d : st["devices"]) {
    if (bad.count(d["id"].get<std::string>())) {
      EXPECT_GE(d["consecutive_failures"].get<int>(), 1) << d.dump();
      EXPECT_TRUE(d["last_error"].is_string()) << d.dump();
    } else {
      EXPECT_EQ(d["consecutive_failures"], 0) << d.dump();
    }
  }
}

TEST(DaemonE2E, DeviceThatStartsHangingIsQuarantinedAndRecovers) {
  RackFixture rack({.asics = 4});
  ASSERT_TRUE(rack.start_daemon());
  ASSERT_TRUE(rack.wait_for_telemetry(1, 30s));
  EXPECT_NE(rack.sim_control(R"({"fault":"asic-001:hang"})"), "");
  ASSERT_TRUE(eventually(
      [&] {
        auto t = rack.telemetry()["asic-001"];
        return !t.empty() && t.back()["state"] == "offline";
      },
      20s))
      << rack.daemon_log();
  EXPECT_NE(rack.sim_control(R"({"clear":"asic-001"})"), "");
  ASSERT_TRUE(eventually(
      [&] {
        auto t = rack.telemetry()["asic-001"];
        return !t.empty() && t.back()["state"] == "mining";
      },
      40s))
      << "a quarantined device must be tried again and recover\n"
      << rack.daemon_log();
}

TEST(DaemonE2E, OutboxCapDropsOldestTelemetryAndReportsIt) {
  RackFixture rack({.asics = 4, .extra_toml = "[store]\noutbox_max_mb = 0.02\n"});
  ASSERT_TRUE(rack.start_daemon());
  ASSERT_TRUE(rack.wait_for_telemetry(1, 30s));
  rack.broker().stop();
  std::this_thread::sleep_for(8s);  // ~32 snapshots of ~1.5 kB against a 20 kB cap
  ASSERT_TRUE(rack.broker().start());
  ASSERT_TRUE(eventually(
      [&] {
        auto s = retained_status(rack);
        return s && s->contains("outbox") && (*s)["outbox"]["dropped"].get<int64_t>() > 0;
      },
      20s))
      << rack.daemon_log();
}

// systemd's side of Type=notify with WatchdogSec=: a datagram socket named by NOTIFY_SOCKET. The
// daemon must say READY=1 once it polls, keep pinging the watchdog from its loop, and say
// STOPPING=1 on SIGTERM.
TEST(DaemonE2E, TellsSystemdItIsReadyPingsTheWatchdogAndSaysItIsStopping) {
  RackFixture rack({.asics = 2});  // broker and simulator first: they must not see NOTIFY_SOCKET
  TempDir dir;
  const auto path = dir.path() / "notify";
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  auto next = [fd](std::chrono::milliseconds wait) -> std::string {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) != 1) return {};
    char buf[1024];
    const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  };

  ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  ::setenv("WATCHDOG_USEC", "400000", 1);  // a ping every 200 ms
  ::unsetenv("WATCHDOG_PID");
  const bool started = rack.start_daemon();
  ::unsetenv("NOTIFY_SOCKET");
  ::unsetenv("WATCHDOG_USEC");
  ASSERT_TRUE(started) << rack.daemon_log();

  std::vector<std::string> seen;
  int pings = 0;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (pings < 3 && std::chrono::steady_clock::now() < deadline) {
    auto m = next(1s);
    if (m == "WATCHDOG=1")
      ++pings;
    else if (!m.empty())
      seen.push_back(m);
  }
  ASSERT_FALSE(seen.empty()) << rack.daemon_log();
  EXPECT_EQ(seen.front().rfind("READY=1\nSTATUS=polling 2 devices", 0), 0u) << seen.front();
  EXPECT_EQ(pings, 3) << rack.daemon_log();

  rack.daemon().stop(SIGTERM, 15s);
  std::string stopping;
  for (int i = 0; i < 50 && stopping.empty(); ++i) {
    auto m = next(200ms);
    if (m.rfind("STOPPING=1", 0) == 0) stopping = m;
  }
  ::close(fd);
  EXPECT_FALSE(stopping.empty()) << rack.daemon_log();
}

}  // namespace
}  // namespace rigkeeper::test
