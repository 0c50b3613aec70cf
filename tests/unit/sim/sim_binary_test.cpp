// The real rigkeeper-sim binary: start-up lines, `ready`, every device answering over TCP,
// the emitted config, the control port, a clean exit on SIGTERM, and usage errors.
#include <csignal>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/support/fixtures.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/sim/sim_test_util.h"

namespace rigkeeper::drivers::sim::test {
namespace {

using namespace std::chrono_literals;
using rigkeeper::test::Process;

struct Line {
  std::string id, driver, model, host;
  uint16_t port = 0;
};

std::vector<Line> device_lines(const std::string& log) {
  static const std::regex re(
      R"re(^(asic-\d{3}) (\w+) "([^"]+)" ([0-9.]+):(\d+)( \w+=[0-9.]+:\d+)*$)re");
  std::vector<Line> out;
  std::istringstream in(log);
  for (std::string l; std::getline(in, l);) {
    std::smatch m;
    if (std::regex_match(l, m, re)) {
      out.push_back({m[1], m[2], m[3], m[4], static_cast<uint16_t>(std::stoi(m[5]))});
    }
  }
  return out;
}

uint16_t control_port(const std::string& log) {
  std::smatch m;
  static const std::regex re(R"(control 127\.0\.0\.1:(\d+))");
  return std::regex_search(log, m, re) ? static_cast<uint16_t>(std::stoi(m[1])) : 0;
}

TEST(SimBinary, ServesFourFamiliesAndStopsCleanlyOnSigterm) {
  rigkeeper::test::TempDir dir;
  const auto config = dir / "rig.toml";
  Process sim(
      {RK_SIM_BINARY, "--asics", "4", "--gpus", "0", "--listen", "127.0.0.1:0", "--seed", "5",
       "--control", "0", "--emit-config", config.string(), "--faults", "asic-004:fan_fail:1"},
      dir / "sim.log");
  ASSERT_TRUE(rigkeeper::test::eventually(
      [&] { return sim.log().find("ready\n") != std::string::npos || !sim.running(); }, 20s));
  const std::string log = sim.log();
  ASSERT_NE(log.find("ready\n"), std::string::npos) << log;

  const auto lines = device_lines(log);
  ASSERT_EQ(lines.size(), 4u) << log;
  const char* drivers[] = {"antminer", "luxos", "braiins", "cgminer"};
  const char* tokens[] = {"BMMiner", "LUXminer", "BOSer", "CGMiner"};
  const std::string text = rigkeeper::test::read_file(config);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(lines[i].driver, drivers[i]);
    const auto reply =
        parse_reply(tcp_exchange(lines[i].host, lines[i].port, R"({"command":"version"})"));
    ASSERT_TRUE(reply.contains("VERSION")) << reply.dump();
    EXPECT_TRUE(reply["VERSION"][0].contains(tokens[i])) << reply.dump();
    const auto summary = parse_reply(tcp_exchange(lines[i].host, lines[i].port, "summary"));
    EXPECT_EQ(summary["STATUS"][0]["STATUS"], "S");
    // The emitted config names the same device at the same place.
    const std::string entry = "id = \"" + lines[i].id + "\"\ndriver = \"" + lines[i].driver + "\"";
    EXPECT_NE(text.find(entry), std::string::npos) << text;
    EXPECT_NE(text.find("port = " + std::to_string(lines[i].port) + "\n"), std::string::npos);
  }

  const uint16_t control = control_port(log);
  ASSERT_NE(control, 0) << log;
  const auto ack = tcp_exchange("127.0.0.1", control, "{\"fault\":\"asic-002:hang\"}\n");
  EXPECT_NE(ack.bytes.find("\"ok\":true"), std::string::npos) << ack.bytes;
  const auto hung = tcp_exchange(lines[1].host, lines[1].port, R"({"command":"summary"})", 1000ms);
  EXPECT_EQ(hung.ending, Ending::kTimeout);
  const auto fans =
      parse_reply(tcp_exchange(lines[3].host, lines[3].port, R"({"command":"summary"})"));
  EXPECT_TRUE(fans.contains("SUMMARY")) << "the other devices are unaffected";

  EXPECT_EQ(sim.stop(SIGTERM, 10s), 0) << sim.log();
}

TEST(SimBinary, RefusesBadGpuFaultsAndBadArguments) {
  std::string out;
  EXPECT_EQ(
      rigkeeper::test::run_command(
          {RK_SIM_BINARY, "--asics", "1", "--gpus", "2", "--faults", "gpu-009:xid:79"}, &out, 20s),
      1);
  EXPECT_NE(out.find("gpu-009"), std::string::npos) << out;
  EXPECT_EQ(rigkeeper::test::run_command(
                {RK_SIM_BINARY, "--asics", "2", "--faults", "asic-001:explode"}, &out, 20s),
            1);
  EXPECT_NE(out.find("explode"), std::string::npos) << out;
  EXPECT_EQ(rigkeeper::test::run_command({RK_SIM_BINARY, "--asics", "2", "--listen", "10.0.0.1"},
                                         &out, 20s),
            1);
  EXPECT_NE(out.find("loopback"), std::string::npos) << out;
  EXPECT_EQ(rigkeeper::test::run_command(
                {RK_SIM_BINARY, "--asics", "2", "--faults", "asic-003:hang"}, &out, 20s),
            1);
  EXPECT_NE(out.find("asic-003"), std::string::npos) << out;
  EXPECT_EQ(rigkeeper::test::run_command({RK_SIM_BINARY, "--help"}, &out, 20s), 0);
  EXPECT_NE(out.find("fan_fail"), std::string::npos) << "the fault grammar is in --help";
}

}  // namespace
}  // namespace rigkeeper::drivers::sim::test
