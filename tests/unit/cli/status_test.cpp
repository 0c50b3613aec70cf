// rigkeeper status: no daemon (exit 2), and a ControlServer in the test playing rigkeeperd.
#include <fstream>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"
#include "tests/unit/cli/cli_runner.h"
#include "tests/unit/control/server_thread.h"

namespace rigkeeper::test {
namespace {

using nlohmann::json;

json canned_status() {
  return json::parse(R"({
    "ok": true, "site": "s1", "rack": "r7", "version": "0.1.0",
    "started_at": "2026-11-22T01:00:00.000Z",
    "mqtt": {"connected": false, "broker": "tcp://127.0.0.1:1883"},
    "outbox": {"rows": 12, "bytes": 3500, "dropped_total": 4, "oldest_ts": "2026-11-22T01:30:00.000Z"},
    "devices": [
      {"id": "s19-01", "driver": "antminer", "host": "10.0.0.5", "port": 4028, "state": "mining",
       "last_poll_ts": "2026-11-22T02:00:00.000Z", "last_ok_ts": "2026-11-22T02:00:00.000Z",
       "consecutive_failures": 0, "quarantined_until": null, "last_error": null,
       "hashrate_ths": 110.56689, "power_w": 3250, "temp_max_c": 78},
      {"id": "s19-02", "driver": "luxos", "host": "10.0.0.6", "state": "offline",
       "last_poll_ts": "2026-11-22T02:00:00.000Z", "last_ok_ts": null,
       "consecutive_failures": 7, "quarantined_until": "2026-11-22T02:05:00.000Z",
       "last_error": "connection refused by 10.0.0.6:4028",
       "hashrate_ths": null, "power_w": null, "temp_max_c": null}
    ],
    "rack_summary": {"power_w": 3250, "hashrate_ths": 110.56689,
             "devices": {"total": 2, "online": 1, "mining": 1, "curtailed": 0, "faulted": 0}}
  })");
}

TEST(Status, NoDaemonIsUnreachable) {
  TempDir dir;
  const auto socket = (dir / "rigkeeperd.sock").string();
  const auto run = rigkeeper_cli({"status", "--socket", socket});
  EXPECT_EQ(run.code, 2) << run.output;
  EXPECT_NE(run.output.find("rigkeeperd is not running (no socket at " + socket + ")"),
            std::string::npos)
      << run.output;
}

TEST(Status, JsonPrintsTheDaemonsReplyAsIs) {
  TempDir dir;
  json request_seen;
  ControlServerThread daemon(dir / "ctl.sock", [&](const json& request) {
    request_seen = request;
    return canned_status();
  });
  ASSERT_TRUE(daemon.start());
  const auto run = rigkeeper_cli({"status", "--socket", (dir / "ctl.sock").string(), "--json"});
  daemon.stop();
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(single_json_line(run), canned_status());
  EXPECT_EQ(request_seen, (json{{"cmd", "status"}}));
}

TEST(Status, TableShowsRackAndDevices) {
  TempDir dir;
  ControlServerThread daemon(dir / "ctl.sock", [](const json&) { return canned_status(); });
  ASSERT_TRUE(daemon.start());
  const auto run = rigkeeper_cli({"status", "--socket", (dir / "ctl.sock").string()});
  ASSERT_EQ(run.code, 0) << run.output;
  for (const char* expected :
       {"site s1", "rack r7", "NOT connected to tcp://127.0.0.1:1883", "12 rows", "3.4 KiB",
        "4 dropped", "110.57 TH/s, 3250 W", "2 total, 1 online", "s19-01", "antminer",
        "10.0.0.5:4028", "s19-02", "quarantined until", "connection refused by 10.0.0.6:4028"})
    EXPECT_NE(run.output.find(expected), std::string::npos) << expected << "\n" << run.output;
}

// The brief's shape: the rack totals under "rack" (no rack name).
TEST(Status, TotalsUnderRackAreShownToo) {
  TempDir dir;
  json reply = canned_status();
  reply["rack"] = reply["rack_summary"];
  reply.erase("rack_summary");
  ControlServerThread daemon(dir / "ctl.sock", [reply](const json&) { return reply; });
  ASSERT_TRUE(daemon.start());
  const auto run = rigkeeper_cli({"status", "--socket", (dir / "ctl.sock").string()});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("110.57 TH/s, 3250 W; devices 2 total"), std::string::npos)
      << run.output;
}

TEST(Status, SocketComesFromTheConfig) {
  TempDir dir;
  const auto state = dir / "state";
  std::filesystem::create_directories(state);
  std::ofstream(dir / "rigkeeper.toml") << "[agent]\nstate_dir = \"" << state.string() << "\"\n";
  ControlServerThread daemon(state / "rigkeeperd.sock",
                             [](const json&) { return canned_status(); });
  ASSERT_TRUE(daemon.start());
  const auto run =
      rigkeeper_cli({"status", "--config", (dir / "rigkeeper.toml").string(), "--json"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(single_json_line(run)["rack_summary"]["devices"]["total"], 2);
}

TEST(Status, BadConfigIsConfigError) {
  TempDir dir;
  std::ofstream(dir / "rigkeeper.toml") << "[agent]\nstate_dirr = \"/tmp\"\n";
  const auto run = rigkeeper_cli({"status", "--config", (dir / "rigkeeper.toml").string()});
  EXPECT_EQ(run.code, 1) << run.output;
}

TEST(Status, DaemonErrorReplyMapsToExitCode) {
  TempDir dir;
  ControlServerThread daemon(dir / "ctl.sock", [](const json&) {
    return json{{"ok", false}, {"error", {{"code", "storage"}, {"message", "disk full"}}}};
  });
  ASSERT_TRUE(daemon.start());
  const auto run = rigkeeper_cli({"status", "--socket", (dir / "ctl.sock").string()});
  EXPECT_EQ(run.code, 5) << run.output;
  EXPECT_NE(run.output.find("disk full"), std::string::npos) << run.output;
}

TEST(Status, OddlyShapedReplyStillPrints) {
  TempDir dir;
  ControlServerThread daemon(dir / "ctl.sock", [](const json&) {
    return json{{"ok", true},
                {"site", 42},
                {"devices", {{{"id", "x\x1b[2J"}, {"hashrate_ths", "fast"}}, 7}},
                {"rack", nullptr}};
  });
  ASSERT_TRUE(daemon.start());
  const auto run = rigkeeper_cli({"status", "--socket", (dir / "ctl.sock").string()});
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(run.output.find('\x1b'), std::string::npos) << "terminal escape passed through";
}

}  // namespace
}  // namespace rigkeeper::test
