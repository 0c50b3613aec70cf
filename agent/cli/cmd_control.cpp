// rigkeeper curtail|resume|set-power|reboot|locate: local commands through the running daemon.
// Each builds a contract command, sends it over the control socket ({"cmd":"command"}) and
// waits for the final ack; the daemon journals and executes it exactly like an MQTT command.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <optional>
#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "agent/cli/cli_config.h"
#include "agent/cli/command.h"
#include "agent/cli/output.h"
#include "agent/control/control_protocol.h"

namespace rigkeeper::cli {
namespace {

using nlohmann::json;

struct ControlArgs {
  std::vector<std::string> devices;
  bool all = false;
  std::string kind;
  std::optional<double> budget_w;
  std::optional<double> ramp_s;
  std::optional<double> watts;
  std::optional<double> seconds;
  std::optional<double> expires_in_s;
  std::string id;
  std::optional<std::filesystem::path> config;
  std::optional<std::filesystem::path> socket;
  double timeout_s = 900;
  bool json = false;
};

std::string local_id() {
  char host[64] = {};
  ::gethostname(host, sizeof(host) - 1);
  std::mt19937 rng(std::random_device{}());
  return fmt::format("local-{}-{}-{:06x}", host, to_unix_ms(now_ms()), rng() & 0xffffff);
}

/// The command's targets, or an error when none were given.
Result<json> targets_of(const ControlArgs& a) {
  const int given = (a.all ? 1 : 0) + (a.devices.empty() ? 0 : 1) + (a.kind.empty() ? 0 : 1);
  if (given != 1)
    return fail(Errc::kInvalidArgument, "name the devices, or --all, or --kind (exactly one)");
  if (a.all) return json{{"all", true}};
  if (!a.kind.empty()) return json{{"kind", a.kind}};
  return json{{"devices", a.devices}};
}

void print_ack(const json& ack) {
  std::cout << "command " << sanitize(ack.value("id", "")) << ": "
            << sanitize(ack.value("status", ""));
  if (ack.contains("reason") && ack["reason"].is_string())
    std::cout << " (" << sanitize(ack["reason"].get<std::string>()) << ")";
  std::cout << '\n';
  if (!ack.contains("results") || ack["results"].empty()) return;
  Table t({"DEVICE", "RESULT", "STATE", "DETAIL"});
  for (const auto& r : ack["results"]) {
    t.add_row({r.value("device_id", ""), r.value("status", ""),
               r.contains("state") && r["state"].is_string() ? r["state"].get<std::string>() : "",
               r.value("detail", "")});
  }
  t.print(std::cout);
  if (ack.contains("rack_power_w") && ack["rack_power_w"].is_number())
    std::cout << "rack power (last read): " << fmt_watts(ack["rack_power_w"].get<double>())
              << " W\n";
}

int send(const std::string& verb, const std::string& type, json params, const ControlArgs& a) {
  auto targets = targets_of(a);
  if (!targets) return report(verb, targets.error());
  std::filesystem::path socket;
  if (a.socket) {
    socket = *a.socket;
  } else {
    auto config = load_cli_config(a.config);
    if (!config) return report(verb, config.error());
    socket = control_socket_of(*config);
  }
  json command{{"id", a.id.empty() ? local_id() : a.id},
               {"type", type},
               {"issued_at", format_rfc3339(now_ms())},
               {"expires_at", nullptr},
               {"targets", *targets},
               {"params", std::move(params)}};
  if (a.expires_in_s)
    command["expires_at"] = format_rfc3339(
        now_ms() + std::chrono::milliseconds(static_cast<int64_t>(*a.expires_in_s * 1000)));
  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(a.timeout_s * 1000));
  auto reply = agent::control_request(socket, {{"cmd", "command"}, {"command", command}}, timeout);
  if (!reply) return report(verb, reply.error());
  if (auto err = agent::control_reply_error(*reply)) return report(verb, *err);
  const json ack = reply->value("ack", json::object());
  if (a.json)
    std::cout << ack.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
  else
    print_ack(ack);
  std::cout.flush();
  return ack.value("status", "") == "done" ? 0 : 5;
}

/// The options every control command takes.
CLI::App* add_common(CLI::App& parent, const char* name, const char* doc,
                     const std::shared_ptr<ControlArgs>& a, bool kinds) {
  auto* app = parent.add_subcommand(name, doc);
  app->add_option("devices", a->devices, "Device ids (as in the config)");
  app->add_flag("--all", a->all, "Every device of the rack");
  if (kinds)
    app->add_option("--kind", a->kind, "Every device of a kind")
        ->check(CLI::IsMember({"asic", "gpu_node"}));
  app->add_option("--id", a->id, "Command id (default: a fresh local-<host>-<ms>-<random>)");
  app->add_option("--expires-in", a->expires_in_s, "Seconds until the command expires")
      ->check(CLI::Range(1.0, 7.0 * 86400));
  app->add_option(
      "--config", a->config,
      std::string("Config file naming the control socket (default ") + kDefaultConfigFile + ")");
  app->add_option("--socket", a->socket, "Control socket path (overrides the config)");
  app->add_option("--timeout", a->timeout_s, "Seconds to wait for the final ack")
      ->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str();
  app->add_flag("--json", a->json, "Print the final ack as JSON");
  return app;
}

}  // namespace

Command add_curtail_command(CLI::App& parent) {
  auto a = std::make_shared<ControlArgs>();
  auto* app =
      add_common(parent, "curtail",
                 "Put devices to sleep, or shed load until the rack fits --budget W", a, true);
  app->add_option("--budget", a->budget_w, "Rack power budget in W (least efficient first)")
      ->check(CLI::Range(0.0, 1e7));
  app->add_option("--ramp", a->ramp_s, "Seconds to spread the devices over")
      ->check(CLI::Range(0.0, 86400.0));
  return {app, [a] {
            json p = a->budget_w ? json{{"rack_power_w", *a->budget_w}} : json{{"mode", "sleep"}};
            if (a->ramp_s) p["ramp_s"] = *a->ramp_s;
            return send("curtail", "curtail", p, *a);
          }};
}

Command add_resume_command(CLI::App& parent) {
  auto a = std::make_shared<ControlArgs>();
  auto* app =
      add_common(parent, "resume",
                 "End a curtailment, in stages; wakes only devices rigkeeper curtailed", a, true);
  app->add_option("--ramp", a->ramp_s, "Seconds to spread the wake-ups over")
      ->check(CLI::Range(0.0, 86400.0));
  return {app, [a] {
            json p = json::object();
            if (a->ramp_s) p["ramp_s"] = *a->ramp_s;
            return send("resume", "resume", p, *a);
          }};
}

Command add_set_power_command(CLI::App& parent) {
  auto a = std::make_shared<ControlArgs>();
  auto* app = add_common(parent, "set-power", "Set the power target of devices", a, true);
  app->add_option("--watts", a->watts, "Power target in W")
      ->required()
      ->check(CLI::Range(1.0, 100000.0));
  return {app, [a] { return send("set-power", "set_power", {{"watts", *a->watts}}, *a); }};
}

Command add_reboot_command(CLI::App& parent) {
  auto a = std::make_shared<ControlArgs>();
  auto* app = add_common(parent, "reboot", "Reboot devices", a, false);
  return {app, [a] { return send("reboot", "reboot", json::object(), *a); }};
}

Command add_locate_command(CLI::App& parent) {
  auto a = std::make_shared<ControlArgs>();
  auto* app = add_common(parent, "locate", "Blink the locate LED of devices", a, false);
  app->add_option("--seconds", a->seconds, "How long to blink")->check(CLI::Range(1.0, 3600.0));
  return {app, [a] {
            json p = json::object();
            if (a->seconds) p["seconds"] = *a->seconds;
            return send("locate", "locate", p, *a);
          }};
}

}  // namespace rigkeeper::cli
