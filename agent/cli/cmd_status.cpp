// rigkeeper status [--json] [--config FILE] [--socket PATH]: the running daemon's view of the
// rack, asked over the control socket.
#include <iostream>
#include <memory>
#include <optional>

#include "agent/cli/cli_config.h"
#include "agent/cli/command.h"
#include "agent/cli/status_view.h"
#include "agent/control/control_protocol.h"

namespace rigkeeper::cli {

namespace {

struct StatusArgs {
  std::optional<std::filesystem::path> config;
  std::optional<std::filesystem::path> socket;
  double timeout_s = 10;
  bool json = false;
};

int status(const StatusArgs& args) {
  std::filesystem::path socket;
  if (args.socket) {
    socket = *args.socket;
  } else {
    auto config = load_cli_config(args.config);
    if (!config) return report("status", config.error());
    socket = control_socket_of(*config);
  }
  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(args.timeout_s * 1000));
  auto reply = agent::control_request(socket, {{"cmd", "status"}}, timeout);
  if (!reply) return report("status", reply.error());
  if (auto err = agent::control_reply_error(*reply)) return report("status", *err);

  if (args.json) {
    std::cout << reply->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else {
    print_status(std::cout, *reply, now_ms());
  }
  std::cout.flush();
  return std::cout ? 0 : 5;
}

}  // namespace

Command add_status_command(CLI::App& parent) {
  auto args = std::make_shared<StatusArgs>();
  auto* app = parent.add_subcommand("status", "The running rigkeeperd's view of the rack");
  app->add_option(
      "--config", args->config,
      std::string("Config file naming the control socket (default ") + kDefaultConfigFile + ")");
  app->add_option("--socket", args->socket, "Control socket path (overrides the config)");
  app->add_option("--timeout", args->timeout_s, "Seconds to wait for the daemon's reply")
      ->check(CLI::Range(0.1, 300.0))
      ->capture_default_str();
  app->add_flag("--json", args->json, "Print the daemon's reply as JSON, as is");
  return {app, [args] { return status(*args); }};
}

}  // namespace rigkeeper::cli
