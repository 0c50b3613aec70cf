// rigkeeper probe against a fake cgminer API serving the stock Antminer S19 Pro captures, and
// against ports that refuse, hang or answer garbage.
#include <regex>

#include <gtest/gtest.h>

#include "drivers/api/telemetry.h"
#include "tests/support/fake_cgminer_server.h"
#include "tests/support/net.h"
#include "tests/unit/cli/cli_runner.h"

namespace rigkeeper::test {
namespace {

std::string local_target(uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

TEST(Probe, JsonIsOneSnapshotMatchingTheCapture) {
  FakeCgminerServer server(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  const auto run = rigkeeper_cli({"probe", local_target(server.port()), "--json"});
  ASSERT_EQ(run.code, 0) << run.output;
  const auto j = single_json_line(run);
  auto snap = drivers::snapshot_from_json(j);
  ASSERT_TRUE(snap) << snap.error().message << "\n" << j;
  EXPECT_EQ(snap->device_id, "127.0.0.1");
  EXPECT_EQ(snap->host, "127.0.0.1");
  EXPECT_EQ(snap->kind, drivers::DeviceKind::kAsic);
  EXPECT_EQ(snap->firmware, "stock");
  EXPECT_NE(snap->model.find("S19 Pro"), std::string::npos) << snap->model;
  EXPECT_EQ(snap->state, drivers::DeviceState::kMining);
  ASSERT_TRUE(snap->hashrate_ths);
  EXPECT_NEAR(*snap->hashrate_ths, 110.56689, 1e-6);  // "GHS 5s": 110566.89
  EXPECT_EQ(snap->uptime_s, 50474);                   // "Elapsed"
  ASSERT_EQ(snap->boards.size(), 3u);
  EXPECT_EQ(snap->boards[0].chips, 114);
  EXPECT_EQ(snap->fans_rpm, (std::vector<double>{6000, 5880, 5040, 5040}));
  ASSERT_TRUE(snap->pool);
  EXPECT_EQ(snap->pool->url, "stratum+tcp://btc.global.luxor.tech:700");
  // The capture has no power reading: null, never an invented 0.
  EXPECT_TRUE(j["power_w"].is_null());
}

TEST(Probe, IdFlagNamesTheDevice) {
  FakeCgminerServer server(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  const auto run =
      rigkeeper_cli({"probe", local_target(server.port()), "--json", "--id", "rack1-s19"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(single_json_line(run)["device_id"], "rack1-s19");
}

TEST(Probe, NamedDriverSkipsDetection) {
  FakeCgminerServer server(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  const auto run =
      rigkeeper_cli({"probe", local_target(server.port()), "--driver", "antminer", "--json"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_NEAR(single_json_line(run)["hashrate_ths"].get<double>(), 110.56689, 1e-6);
  for (const auto& request : server.requests())
    EXPECT_EQ(request.find("devdetails"), std::string::npos) << "detection ran: " << request;
}

TEST(Probe, TableShowsIdentityHashrateAndBoards) {
  FakeCgminerServer server(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  const auto run = rigkeeper_cli({"probe", local_target(server.port())});
  ASSERT_EQ(run.code, 0) << run.output;
  for (const char* expected :
       {"Antminer S19 Pro", "mining", "110.57 TH/s", "110.00 nominal", "114/114", "37.60",
        "6000 5880 5040 5040 rpm", "btc.global.luxor.tech", "driver antminer"})
    EXPECT_NE(run.output.find(expected), std::string::npos) << expected << "\n" << run.output;
  // Power was not reported: shown as "-", not as 0.
  EXPECT_TRUE(std::regex_search(run.output, std::regex(R"(\npower +-\n)"))) << run.output;
}

TEST(Probe, ClosedPortIsUnreachable) {
  const uint16_t port = free_port();
  const auto run = rigkeeper_cli({"probe", local_target(port)});
  EXPECT_EQ(run.code, 2) << run.output;
  EXPECT_NE(run.output.find(local_target(port)), std::string::npos) << run.output;
  EXPECT_TRUE(run.result_lines().empty()) << run.output;
}

TEST(Probe, DeviceThatNeverAnswersTimesOut) {
  FakeCgminerServer server(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  server.set_behavior(FakeBehavior::kHang);
  const auto run = rigkeeper_cli({"probe", local_target(server.port()), "--timeout", "0.3"});
  EXPECT_EQ(run.code, 2) << run.output;
}

// Decision (docs/CLI.md): garbage on the port while identifying means "something is there and
// it is not a device we support", exit 3; with --driver the named driver could not read its
// answer, a protocol error, exit 2.
TEST(Probe, GarbageAnswerIsNotRecognised) {
  FakeCgminerServer server(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  server.set_behavior(FakeBehavior::kGarbage);
  const auto run = rigkeeper_cli({"probe", local_target(server.port())});
  EXPECT_EQ(run.code, 3) << run.output;
  EXPECT_TRUE(run.result_lines().empty()) << run.output;
}

TEST(Probe, GarbageAnswerToNamedDriverIsProtocolError) {
  FakeCgminerServer server(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  server.set_behavior(FakeBehavior::kGarbage);
  const auto run = rigkeeper_cli({"probe", local_target(server.port()), "--driver", "antminer"});
  EXPECT_EQ(run.code, 2) << run.output;
}

TEST(Probe, UrlTargetWithUnknownPathHasNoDriver) {
  // https://bmc and /redfish/... paths are the redfish driver's; other pages have none.
  const auto run = rigkeeper_cli({"probe", "https://bmc.example/index.html", "--json"});
  EXPECT_EQ(run.code, 3) << run.output;
  EXPECT_NE(run.output.find("no driver for URL"), std::string::npos) << run.output;
}

TEST(Probe, UnknownDriverListsTheKnownOnes) {
  const auto run = rigkeeper_cli({"probe", "127.0.0.1", "--driver", "no-such-driver"});
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_NE(run.output.find("no-such-driver"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("antminer"), std::string::npos) << run.output;
}

TEST(Probe, MalformedTargetIsUsageError) {
  for (const char* target : {"host:99999", "host:", "[::1", "bad host", "ftp://x"}) {
    const auto run = rigkeeper_cli({"probe", target});
    EXPECT_EQ(run.code, 1) << target << ": " << run.output;
  }
}

}  // namespace
}  // namespace rigkeeper::test
