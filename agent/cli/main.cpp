// rigkeeper: the technician's and operator's command line. Each subcommand is its own file;
// this file lists them, parses, and turns every outcome into the contract's exit codes.
#include <array>
#include <exception>
#include <iostream>
#include <vector>

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "agent/cli/command.h"
#include "rigkeeper/version.h"

namespace rigkeeper::cli {

namespace {

/// The subcommands, in help order. Later issues add scan, diag, events, curtail, ...
constexpr std::array kCommands = {
    &add_probe_command,        &add_scan_command,    &add_status_command, &add_history_command,
    &add_check_config_command, &add_curtail_command, &add_resume_command, &add_set_power_command,
    &add_reboot_command,       &add_locate_command,  &add_keygen_command, &add_sign_command,
};

/// Logs go to stderr (stdout carries results, --json ones included), warnings and worse only;
/// SPDLOG_LEVEL=debug in the environment shows more.
void setup_logging() {
  auto logger = spdlog::stderr_color_st("rigkeeper");
  logger->set_pattern("rigkeeper: %l: %v");
  logger->set_level(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  spdlog::cfg::load_env_levels();
}

int run(int argc, char** argv) {
  CLI::App app{"rigkeeper: probe mining devices and talk to the rack's rigkeeperd"};
  app.name("rigkeeper");
  app.set_version_flag("--version", std::string("rigkeeper ") + kVersion + " (" + kGitCommit + ")");
  app.require_subcommand(1);
  std::vector<Command> commands;
  commands.reserve(kCommands.size());
  for (const auto add : kCommands) commands.push_back(add(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help and --version exit 0; every usage error is exit 1 whatever CLI11's own number.
    return app.exit(e) == 0 ? 0 : 1;
  }
  for (const auto& command : commands)
    if (command.app->parsed()) return command.run();
  return 1;  // unreachable: require_subcommand(1)
}

}  // namespace

}  // namespace rigkeeper::cli

int main(int argc, char** argv) {
  try {
    rigkeeper::cli::setup_logging();
    return rigkeeper::cli::run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "rigkeeper: internal error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "rigkeeper: internal error\n";
  }
  return 5;
}
