#include "tests/integration/rack_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "tests/support/fixtures.h"
#include "tests/support/net.h"

namespace rigkeeper::test {

RackFixture::RackFixture(RackOptions options) : options_(std::move(options)) {
  if (!broker_.start()) throw std::runtime_error("mosquitto did not start:\n" + broker_.log());
  sim_control_port_ = free_port();
  std::filesystem::create_directories(dir_ / "etc" / "rigkeeper.d");
  config_file_ = dir_ / "etc" / "rigkeeper.toml";
  state_dir_ = dir_ / "state";
  std::vector<std::string> argv = {RK_SIM_BIN,
                                   "--asics",
                                   std::to_string(options_.asics),
                                   "--gpus",
                                   std::to_string(options_.gpus),
                                   "--seed",
                                   "7",
                                   "--emit-config",
                                   config_file_.string(),
                                   "--control",
                                   std::to_string(sim_control_port_),
                                   "--listen",
                                   "127.0.0.1:0"};  // kernel-chosen ports: tests run in parallel
  if (!options_.faults.empty()) {
    argv.push_back("--faults");
    argv.push_back(options_.faults);
  }
  sim_ = std::make_unique<Process>(argv, dir_ / "sim.log");
  if (!eventually([&] { return sim_->log().find("ready") != std::string::npos; },
                  std::chrono::seconds(20)))
    throw std::runtime_error("rigkeeper-sim did not become ready:\n" + sim_->log());
  std::istringstream lines(sim_->log());
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("asic-", 0) == 0 || line.rfind("gpu-", 0) == 0)
      device_ids_.push_back(line.substr(0, line.find(' ')));

  std::ofstream dropin(dir_ / "etc" / "rigkeeper.d" / "50-test.toml");
  dropin << "[agent]\npoll_timeout_s = " << options_.poll_interval_s * 0.8
         << "\nstatus_interval_s = 5\n[mqtt]\nreconnect_min_s = 0.2\nreconnect_max_s = 1\n"
         << options_.extra_toml << "\n";
  dropin.close();
  subscriber_ = std::make_unique<Subscriber>(broker_, prefix() + "/#");
}

RackFixture::~RackFixture() {
  if (daemon_) daemon_->stop(SIGTERM, std::chrono::seconds(10));
  if (sim_) sim_->stop(SIGTERM, std::chrono::seconds(5));
  if (::testing::Test::HasFailure()) {
    std::cerr << "---- rigkeeperd log ----\n" << daemon_log() << "\n---- end ----\n";
  }
}

bool RackFixture::start_daemon() {
  ++daemon_runs_;
  std::vector<std::string> argv = {RK_DAEMON_BIN,
                                   "--config",
                                   config_file_.string(),
                                   "--broker",
                                   broker_.url(),
                                   "--site",
                                   options_.site,
                                   "--rack",
                                   options_.rack,
                                   "--state-dir",
                                   state_dir_.string(),
                                   "--poll-interval",
                                   std::to_string(options_.poll_interval_s)};
  daemon_ = std::make_unique<Process>(argv, dir_ / "rigkeeperd.log");
  const auto sock = state_dir_ / "rigkeeperd.sock";
  return eventually([&] { return std::filesystem::exists(sock) || !daemon_->running(); },
                    std::chrono::seconds(15)) &&
         daemon_->running();
}

std::string RackFixture::daemon_log() const { return read_file(dir_ / "rigkeeperd.log"); }

std::vector<Seen> RackFixture::seen() const {
  std::vector<Seen> out;
  for (const auto& line : subscriber_->lines()) {
    const auto sp = line.find(' ');
    if (sp == std::string::npos) continue;
    Seen s{line.substr(0, sp), nullptr};
    s.payload = nlohmann::json::parse(line.substr(sp + 1), nullptr, false);
    if (s.payload.is_discarded()) s.payload = nullptr;
    out.push_back(std::move(s));
  }
  return out;
}

std::map<std::string, std::vector<nlohmann::json>> RackFixture::telemetry() const {
  std::map<std::string, std::vector<nlohmann::json>> out;
  const std::string tp = prefix() + "/telemetry/";
  for (auto& s : seen())
    if (s.topic.rfind(tp, 0) == 0 && s.payload.is_object())
      out[s.topic.substr(tp.size())].push_back(s.payload);
  return out;
}

bool RackFixture::wait_for_telemetry(int n, std::chrono::milliseconds timeout,
                                     const std::string& state) {
  return eventually(
      [&] {
        auto t = telemetry();
        for (const auto& id : device_ids_) {
          int count = 0;
          for (const auto& j : t[id])
            if (state.empty() || j.value("state", "") == state) ++count;
          if (count < n) return false;
        }
        return true;
      },
      timeout);
}

std::string RackFixture::sim_control(const std::string& json_line) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(sim_control_port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "";
  }
  const std::string req = json_line + "\n";
  (void)!::write(fd, req.data(), req.size());
  std::string reply;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) {
    reply.append(buf, static_cast<size_t>(n));
    if (reply.find('\n') != std::string::npos) break;
  }
  ::close(fd);
  return reply;
}

int RackFixture::cli(const std::vector<std::string>& args, std::string* output) {
  std::vector<std::string> argv = {RK_CLI_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, output, std::chrono::seconds(30));
}

}  // namespace rigkeeper::test
