#pragma once
/// A whole simulated rack for integration tests: a real Mosquitto on a free loopback port,
/// rigkeeper-sim serving N miners, the real rigkeeperd configured from the simulator's
/// --emit-config, and a durable mosquitto_sub recording everything under the rack's prefix.
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/mosquitto.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace rigkeeper::test {

struct RackOptions {
  int asics = 4;
  int gpus = 0;        ///< simulated GPU nodes (each a redfish and a dcgm device)
  std::string faults;  ///< rigkeeper-sim --faults SPEC
  double poll_interval_s = 1;
  std::string
      extra_toml;  ///< appended to the test drop-in (e.g. "[store]\noutbox_max_mb = 0.05\n")
  std::string site = "it";
  std::string rack = "r1";
};

/// One message seen by the recording subscriber.
struct Seen {
  std::string topic;
  nlohmann::json payload;  ///< null if the payload was not JSON
};

class RackFixture {
 public:
  explicit RackFixture(RackOptions options = {});
  ~RackFixture();

  /// Starts (or restarts) rigkeeperd with the same state dir; false if it did not start.
  bool start_daemon();
  Process& daemon() { return *daemon_; }
  Mosquitto& broker() { return broker_; }
  const Mosquitto& broker() const { return broker_; }
  const std::vector<std::string>& device_ids() const { return device_ids_; }
  std::string prefix() const { return "rigkeeper/v1/" + options_.site + "/" + options_.rack; }
  const std::filesystem::path& state_dir() const { return state_dir_; }
  const std::filesystem::path& config_file() const { return config_file_; }

  /// Every message the subscriber has recorded so far, in arrival order.
  std::vector<Seen> seen() const;
  /// Telemetry snapshots per device id, in arrival order.
  std::map<std::string, std::vector<nlohmann::json>> telemetry() const;
  /// Waits until every device has at least `n` telemetry messages with state `state`
  /// (any state if empty).
  bool wait_for_telemetry(int n, std::chrono::milliseconds timeout,
                          const std::string& state = "mining");

  /// Sends one JSON line to the simulator's control port and returns its reply line.
  std::string sim_control(const std::string& json_line);

  /// Runs the real `rigkeeper` CLI; returns its exit code.
  int cli(const std::vector<std::string>& args, std::string* output);

  /// The daemon's log so far (for failure messages).
  std::string daemon_log() const;

 private:
  RackOptions options_;
  TempDir dir_;
  Mosquitto broker_;
  std::unique_ptr<Process> sim_;
  std::unique_ptr<Process> daemon_;
  std::unique_ptr<Subscriber> subscriber_;
  uint16_t sim_control_port_ = 0;
  std::vector<std::string> device_ids_;
  std::filesystem::path state_dir_;
  std::filesystem::path config_file_;
  int daemon_runs_ = 0;
};

}  // namespace rigkeeper::test
