// rigkeeperd: the rack controller's daemon. Flags as pinned in the contract; they override the
// file.
#include <sys/resource.h>

#include <iostream>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "agent/config/config.h"
#include "agent/core/daemon.h"
#include "rigkeeper/version.h"

namespace {

// A rack of a thousand miners needs more descriptors than the usual soft limit of 1024.
void raise_fd_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using rigkeeper::agent::ConfigOverrides;
  CLI::App app{"rigkeeperd: polls the rack's miners and GPU nodes, reports over MQTT"};
  std::string config_file = "/etc/rigkeeper/rigkeeper.toml";
  ConfigOverrides ov;
  std::string broker, site, rack, state_dir, command_keys;
  double poll_interval = 0;
  app.add_option("--config", config_file, "configuration file")->capture_default_str();
  app.add_option("--broker", broker, "MQTT broker URL (tcp://, ssl://, mqtt://, mqtts://)");
  app.add_option("--site", site, "site name ([a-z0-9_-]+)");
  app.add_option("--rack", rack, "rack name ([a-z0-9_-]+)");
  app.add_option("--state-dir", state_dir, "where the database and the control socket live");
  app.add_option("--poll-interval", poll_interval, "seconds between polls of each device");
  app.add_option("--command-keys", command_keys, "folder of trusted *.pub command keys");
  app.set_version_flag("--version", std::string("rigkeeperd ") + rigkeeper::kVersion + " (" +
                                        rigkeeper::kGitCommit + ")");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  if (!broker.empty()) ov.broker = broker;
  if (!site.empty()) ov.site = site;
  if (!rack.empty()) ov.rack = rack;
  if (!state_dir.empty()) ov.state_dir = state_dir;
  if (poll_interval > 0) ov.poll_interval_s = poll_interval;
  if (!command_keys.empty()) ov.command_keys = command_keys;

  auto config = rigkeeper::agent::load_config(config_file, ov);
  if (!config) {
    std::cerr << "rigkeeperd: configuration invalid:\n" << config.error().message << "\n";
    return 1;
  }
  spdlog::set_default_logger(spdlog::stderr_color_mt("rigkeeperd"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v");
  spdlog::set_level(spdlog::level::from_str(config->log_level));
  raise_fd_limit();
  rigkeeper::agent::Daemon daemon(std::move(*config));
  return daemon.run();
}
