#include "drivers/asic/antminer/driver.h"

#include "drivers/asic/antminer/identify.h"
#include "drivers/asic/antminer/parser.h"
#include "drivers/asic/common/json_access.h"

namespace rigkeeper::drivers::antminer {

namespace {

bool hashing(const DeviceSnapshot& s) { return s.hashrate_ths && *s.hashrate_ths > 0.001; }

// GCC 12 miscompiles braced initialisers holding string literals inside coroutines ("array
// used as initializer"): these are built out here.
nlohmann::json mode_memo(WorkMode mode) {
  return nlohmann::json{{"mode", std::string(to_string(mode))}};
}

nlohmann::json blink_body(bool on) { return nlohmann::json{{"blink", on}}; }

std::string led_text(std::optional<bool> blinking) {
  if (!blinking) return "locate LED unknown";
  return *blinking ? "locate LED blinking" : "locate LED off";
}

std::string mode_detail(const std::string& verb, std::optional<WorkMode> mode, bool confirmed,
                        bool mode_set) {
  std::string out = verb + ": work mode " + (mode ? std::string(to_string(*mode)) : "unknown");
  if (!confirmed) out += mode_set ? " (not reached yet)" : " (not applied)";
  return out;
}

}  // namespace

AntminerDriver::AntminerDriver(asio::any_io_executor executor, const DeviceConfig& config)
    : CgminerPollDriver(std::move(executor), config, poll_commands(), &parse_replies),
      device_id_(config.id),
      web_(config) {}

Error AntminerDriver::named(Error e) const {
  if (e.message.find(device_id_) == std::string::npos) {
    e.message = "antminer device " + device_id_ + ": " + e.message;
  }
  return e;
}

asio::awaitable<Result<DeviceSnapshot>> AntminerDriver::poll() {
  auto snap = co_await CgminerPollDriver::poll();
  if (!snap || hashing(*snap) || !web_.has_credentials()) co_return snap;
  // The cgminer API cannot tell a sleeping miner from an idle one; the web config can.
  if (auto conf = co_await read_conf(true); conf && conf->mode == WorkMode::kSleep) {
    snap->state = DeviceState::kSleeping;
  }
  co_return snap;
}

asio::awaitable<Result<CommandOutcome>> AntminerDriver::execute(const DeviceCommand& cmd) {
  Result<CommandOutcome> r = fail(Errc::kUnsupported, "command '" + cmd.type.substr(0, 32) +
                                                          "' not supported by stock firmware");
  if (cmd.type == "curtail") {
    r = co_await curtail(cmd);
  } else if (cmd.type == "resume") {
    r = co_await resume(cmd);
  } else if (cmd.type == "set_power") {
    r = fail(Errc::kUnsupported,
             "stock Antminer firmware has no power target (only the work modes normal, "
             "low_power and sleep): use switch_profile low_power or curtail");
  } else if (cmd.type == "switch_profile") {
    r = co_await switch_profile(cmd);
  } else if (cmd.type == "switch_pool") {
    r = co_await switch_pool(cmd);
  } else if (cmd.type == "reboot") {
    r = co_await reboot();
  } else if (cmd.type == "locate") {
    r = co_await locate(cmd);
  }
  if (!r) co_return tl::unexpected(named(r.error()));
  co_return r;
}

asio::awaitable<Result<MinerConf>> AntminerDriver::read_conf(bool for_poll) {
  auto body = co_await web_.get("get_miner_conf.cgi", for_poll);
  if (!body) co_return tl::unexpected(body.error());
  co_return parse_miner_conf(*body);
}

asio::awaitable<Result<void>> AntminerDriver::write_conf(const nlohmann::json& body) {
  auto reply = co_await web_.post("set_miner_conf.cgi", body);
  if (!reply) co_return tl::unexpected(reply.error());
  co_return check_set_reply(*reply);
}

// Sets the work mode (whole config posted back) and reads it back with a poll.
asio::awaitable<Result<CommandOutcome>> AntminerDriver::apply_mode(WorkMode mode,
                                                                   const std::string& verb) {
  auto before = co_await read_conf();
  if (!before) co_return tl::unexpected(before.error());
  if (before->mode != mode) {
    if (auto ok = co_await write_conf(conf_with_mode(*before, mode)); !ok) {
      co_return tl::unexpected(ok.error());
    }
  }
  auto after = co_await read_conf();
  if (!after) co_return tl::unexpected(after.error());
  CommandOutcome out;
  auto snap = co_await poll();
  out.state = snap ? snap->state : DeviceState::kOffline;
  const bool mode_set = after->mode == mode;
  if (mode == WorkMode::kSleep) {
    out.confirmed = mode_set && snap && !hashing(*snap);
  } else {
    out.confirmed = mode_set && out.state == DeviceState::kMining;
  }
  out.detail = mode_detail(verb, after->mode, out.confirmed, mode_set);
  co_return out;
}

asio::awaitable<Result<CommandOutcome>> AntminerDriver::curtail(const DeviceCommand& cmd) {
  if (auto mode = asic::string_member(cmd.params, "mode"); mode && *mode != "sleep") {
    co_return fail(Errc::kUnsupported, "curtail mode '" + mode->substr(0, 32) +
                                           "' not supported (stock firmware sleeps the miner)");
  }
  auto before = co_await read_conf();
  if (!before) co_return tl::unexpected(before.error());
  auto out = co_await apply_mode(WorkMode::kSleep, "curtail");
  if (!out) co_return out;
  // What resume restores: the mode in force before (an earlier curtailment's memo if asleep).
  const WorkMode was = before->mode.value_or(WorkMode::kNormal);
  if (was != WorkMode::kSleep) {
    out->memo = mode_memo(was);
  } else {
    out->memo = cmd.memo.is_null() ? mode_memo(WorkMode::kNormal) : cmd.memo;
  }
  co_return out;
}

asio::awaitable<Result<CommandOutcome>> AntminerDriver::resume(const DeviceCommand& cmd) {
  WorkMode target = WorkMode::kNormal;
  if (auto name = asic::string_member(cmd.memo, "mode")) {
    auto mode = parse_work_mode(*name);
    if (mode && *mode != WorkMode::kSleep) target = *mode;
  }
  co_return co_await apply_mode(target, "resume");
}

asio::awaitable<Result<CommandOutcome>> AntminerDriver::switch_profile(const DeviceCommand& cmd) {
  auto name = asic::string_member(cmd.params, "profile");
  if (!name || name->empty()) {
    co_return fail(Errc::kInvalidArgument, "switch_profile needs a \"profile\" name");
  }
  auto mode = parse_work_mode(*name);
  if (!mode || *mode == WorkMode::kSleep) {
    co_return fail(Errc::kUnsupported,
                   "no profile '" + name->substr(0, 64) +
                       "' on stock firmware (profiles: normal, low_power; sleep is curtail)");
  }
  co_return co_await apply_mode(*mode, "switch_profile");
}

asio::awaitable<Result<CommandOutcome>> AntminerDriver::switch_pool(const DeviceCommand& cmd) {
  auto url = asic::string_member(cmd.params, "url");
  auto user = asic::string_member(cmd.params, "user");
  const auto password = asic::string_member(cmd.params, "password").value_or("");
  if (!url || url->empty() || !user) {
    co_return fail(Errc::kInvalidArgument, "switch_pool needs \"url\" and \"user\"");
  }
  auto before = co_await read_conf();
  if (!before) co_return tl::unexpected(before.error());
  if (auto ok = co_await write_conf(conf_with_pool(*before, *url, *user, password)); !ok) {
    co_return tl::unexpected(ok.error());
  }
  auto after = co_await read_conf();
  if (!after) co_return tl::unexpected(after.error());
  const bool saved =
      !after->pools.empty() && after->pools[0].url == *url && after->pools[0].user == *user;
  CommandOutcome out;
  auto snap = co_await poll();
  out.state = snap ? snap->state : DeviceState::kOffline;
  const bool active = snap && snap->pool && snap->pool->url == *url && snap->pool->user == *user;
  out.confirmed = saved && active;
  out.detail = "pool " + *url + " user " + *user +
               (!saved   ? " not saved"
                : active ? " active"
                         : " saved, not active yet");
  co_return out;
}

asio::awaitable<Result<CommandOutcome>> AntminerDriver::reboot() {
  auto sent = co_await web_.get("reboot.cgi");
  if (!sent) co_return tl::unexpected(sent.error());
  CommandOutcome out;
  auto snap = co_await poll();
  out.state = snap ? snap->state : DeviceState::kOffline;
  // Confirmed once the API went down (the comeback, with a fresh uptime, shows on later polls).
  out.confirmed = out.state == DeviceState::kOffline;
  out.detail = out.confirmed ? "rebooting (API down)" : "reboot requested";
  co_return out;
}

asio::awaitable<Result<CommandOutcome>> AntminerDriver::locate(const DeviceCommand& cmd) {
  bool on = true;
  if (cmd.params.is_object() && cmd.params.contains("on") && cmd.params["on"].is_boolean()) {
    on = cmd.params["on"].get<bool>();
  }
  auto sent = co_await web_.post("blink.cgi", blink_body(on));
  if (!sent) co_return tl::unexpected(sent.error());
  auto status = co_await web_.get("get_blink_status.cgi");
  if (!status) co_return tl::unexpected(status.error());
  const auto blinking = parse_blink_status(*status);
  CommandOutcome out;
  auto snap = co_await poll();
  out.state = snap ? snap->state : DeviceState::kOffline;
  out.confirmed = blinking == on;
  out.detail = led_text(blinking);
  co_return out;
}

const DriverInfo& driver_info() {
  static const DriverInfo kInfo{
      .name = "antminer",
      .firmware = "stock",
      .description =
          "Bitmain Antminer on stock firmware (bmminer/cgminer API, port 4028; "
          "control through the web CGI with digest auth)",
      .capabilities = kCapRead | kCapCurtail | kCapResume | kCapSwitchPool | kCapSwitchProfile |
                      kCapReboot | kCapLocate,
      .default_port = 4028,
      .config_keys =
          {
              {.name = "web_user",
               .type = OptionType::kSecret,
               .doc = "User of the web interface (digest auth; factory default root). Control "
                      "verbs fail with an auth error while it or web_password is unset."},
              {.name = "web_password",
               .type = OptionType::kSecret,
               .doc = "Password of the web interface (factory default root)."},
              {.name = "web_port",
               .type = OptionType::kInt,
               .default_value = int64_t{80},
               .doc = "TCP port of the web interface (CGI control).",
               .min = 1,
               .max = 65535},
              {.name = "web_scheme",
               .type = OptionType::kString,
               .default_value = std::string("http"),
               .doc = "http or https for the web interface (https: the miner's self-signed "
                      "certificate is accepted)."},
          },
      .match = &match,
      .identify = &identify,
      .create = [](asio::any_io_executor ex, const DeviceConfig& cfg) -> std::unique_ptr<Driver> {
        return std::make_unique<AntminerDriver>(std::move(ex), cfg);
      },
  };
  return kInfo;
}

}  // namespace rigkeeper::drivers::antminer
