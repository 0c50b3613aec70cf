// `rigkeeper scan` (the real binary) against a real rigkeeper-sim serving a mix of families,
// one loopback address each (127.77.0.0/24, the firmware's usual ports): every simulated
// device is found with the driver and firmware the simulator plays, nothing is invented, and
// --write-config produces a config the daemon's loader accepts.
#include <csignal>
#include <map>
#include <sstream>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "agent/config/config.h"
#include "drivers/api/registry.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace rigkeeper::test {
namespace {

struct SimDevice {
  std::string id, driver, model, host;
};

struct CliRun {
  int code = -1;
  std::string output;
  std::vector<std::string> results() const {  // lines that are not "rigkeeper: ..." messages
    std::vector<std::string> out;
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line.rfind("rigkeeper: ", 0) != 0) out.push_back(line);
    return out;
  }
};

CliRun rigkeeper(std::vector<std::string> args) {
  args.insert(args.begin(), RIGKEEPER_BIN);
  CliRun run;
  run.code = run_command(args, &run.output, std::chrono::seconds(90));
  return run;
}

class ScanSim : public ::testing::Test {
 protected:
  // ctest runs each test in its own process, each with its own simulator: a third octet per
  // process keeps their loopback addresses apart.
  static std::string octet() { return std::to_string(getpid() % 250); }
  static std::string range() { return "127.77." + octet() + ".0/24"; }
  static std::string first8() { return "127.77." + octet() + ".1-8"; }

  static void SetUpTestSuite() {
    dir_ = new TempDir();
    sim_ =
        new Process({RK_SIM_BIN, "--asics", "8", "--gpus", "0", "--seed", "3", "--listen", range()},
                    dir_->path() / "sim.log");
    ready_ = eventually([] { return sim_->log().find("ready") != std::string::npos; },
                        std::chrono::seconds(20));
    std::istringstream lines(sim_->log());
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("asic-", 0) != 0) continue;
      SimDevice d;
      std::istringstream in(line);
      in >> d.id >> d.driver;
      const auto q1 = line.find('"'), q2 = line.find('"', q1 + 1);
      d.model = line.substr(q1 + 1, q2 - q1 - 1);
      std::istringstream rest(line.substr(q2 + 1));
      std::string endpoint;
      rest >> endpoint;
      d.host = endpoint.substr(0, endpoint.rfind(':'));
      devices_.push_back(d);
    }
  }
  static void TearDownTestSuite() {
    if (sim_) sim_->stop(SIGTERM, std::chrono::seconds(5));
    delete sim_;
    delete dir_;
    sim_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(ready_) << "rigkeeper-sim did not become ready:\n" << sim_->log();
    ASSERT_EQ(devices_.size(), 8u) << sim_->log();
  }

  static TempDir* dir_;
  static Process* sim_;
  static bool ready_;
  static std::vector<SimDevice> devices_;
};

TempDir* ScanSim::dir_ = nullptr;
Process* ScanSim::sim_ = nullptr;
bool ScanSim::ready_ = false;
std::vector<SimDevice> ScanSim::devices_;

TEST_F(ScanSim, FindsEveryDeviceWithItsDriverAndNothingElse) {
  const auto run = rigkeeper({"scan", range(), "--json", "--timeout", "3"});
  ASSERT_EQ(run.code, 0) << run.output;
  std::map<std::string, nlohmann::json> by_host;
  for (const auto& line : run.results()) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << "not JSON: " << line;
    for (const char* key :
         {"host", "port", "driver", "make", "model", "firmware", "firmware_version", "warnings"})
      EXPECT_TRUE(j.contains(key)) << key << " missing in " << line;
    EXPECT_TRUE(by_host.emplace(j["host"].get<std::string>(), j).second) << "twice: " << line;
  }
  EXPECT_EQ(by_host.size(), devices_.size()) << run.output << "\n---- sim ----\n" << sim_->log();
  for (const auto& d : devices_) {
    const auto it = by_host.find(d.host);
    ASSERT_NE(it, by_host.end()) << d.id << " (" << d.driver << ") at " << d.host << " not found:\n"
                                 << run.output;
    const auto& j = it->second;
    EXPECT_EQ(j["driver"], d.driver) << d.id << ": " << j.dump();
    const auto* info = drivers::find_driver(d.driver);
    ASSERT_NE(info, nullptr) << d.driver;
    EXPECT_EQ(j["firmware"], info->firmware) << d.id << ": " << j.dump();
    EXPECT_FALSE(j["model"].get<std::string>().empty()) << d.id << ": " << j.dump();
    if (d.driver == "cgminer") {
      ASSERT_FALSE(j["warnings"].empty()) << "the generic fallback must warn: " << j.dump();
    }
  }
}

TEST_F(ScanSim, TableOnAPipeHasNoProgressBar) {
  const auto run = rigkeeper({"scan", range(), "--timeout", "3"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(run.output.find('\r'), std::string::npos) << "progress bar drawn on a pipe";
  const auto lines = run.results();
  ASSERT_EQ(lines.size(), devices_.size() + 1) << run.output;  // header + one row per device
  EXPECT_EQ(lines[0].rfind("HOST", 0), 0u) << lines[0];
  for (std::size_t i = 0; i < devices_.size(); ++i)
    EXPECT_EQ(lines[i + 1].rfind(devices_[i].host + " ", 0), 0u)
        << "address order: " << lines[i + 1];
}

TEST_F(ScanSim, WriteConfigRoundTrip) {
  TempDir dir;
  const auto file = dir / "rigkeeper.toml";
  const auto run = rigkeeper({"scan", first8(), "--timeout", "3", "--write-config", file.string()});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("added miner-127-77-" + octet() + "-1"), std::string::npos)
      << run.output;
  auto config = agent::load_config(file);
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->devices.size(), devices_.size());
  for (std::size_t i = 0; i < devices_.size(); ++i) {
    EXPECT_EQ(config->devices[i].host, devices_[i].host);
    EXPECT_EQ(config->devices[i].driver, devices_[i].driver);
  }
  const auto check = rigkeeper({"check-config", file.string()});
  EXPECT_EQ(check.code, 0) << check.output;

  const auto again =
      rigkeeper({"scan", first8(), "--timeout", "3", "--write-config", file.string()});
  EXPECT_EQ(again.code, 0) << again.output;
  EXPECT_NE(again.output.find("already configured"), std::string::npos) << again.output;
  auto reloaded = agent::load_config(file);
  ASSERT_TRUE(reloaded);
  EXPECT_EQ(reloaded->devices.size(), devices_.size());
}

TEST(ScanCli, NothingAnsweringExitsTwo) {
  const auto run = rigkeeper({"scan", "127.78.0.1-4", "--timeout", "0.5", "--json"});
  EXPECT_EQ(run.code, 2) << run.output;
  EXPECT_TRUE(run.results().empty()) << run.output;
}

TEST(ScanCli, MalformedOrHugeRangesAreUsageErrors) {
  for (const char* range : {"10.0.0.0/8", "10.0.0.9-1", "somewhere", "10.0.0.0/40"}) {
    const auto run = rigkeeper({"scan", range});
    EXPECT_EQ(run.code, 1) << range << ": " << run.output;
    EXPECT_NE(run.output.find("bad range"), std::string::npos) << run.output;
  }
  EXPECT_EQ(rigkeeper({"scan"}).code, 1);
  EXPECT_EQ(rigkeeper({"scan", "10.0.0.1", "--concurrency", "0"}).code, 1);
}

}  // namespace
}  // namespace rigkeeper::test
