#include "drivers/asic/avalon/driver.h"

#include "drivers/asic/avalon/control.h"
#include "drivers/asic/avalon/identify.h"
#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/numbers.h"

namespace rigkeeper::drivers::avalon {

namespace {

std::optional<int> workmode_of(const BracketFields& f) {
  auto m = bracket_number(f, "WORKMODE");
  if (!m || *m < 0 || *m > 255) return std::nullopt;
  return static_cast<int>(*m);
}

}  // namespace

AvalonDriver::AvalonDriver(asio::any_io_executor executor, const DeviceConfig& config)
    : CgminerPollDriver(std::move(executor), config, poll_commands(), &parse_replies),
      device_id_(config.id),
      web_user_(config.options.get_string("web_user").value_or("root")),
      web_password_(config.options.get_string("web_password").value_or("root")) {}

asio::awaitable<Result<CommandOutcome>> AvalonDriver::execute(const DeviceCommand& cmd) {
  Result<CommandOutcome> r = fail(Errc::kUnsupported, "command '" + cmd.type + "' not supported");
  if (cmd.type == "curtail")
    r = co_await curtail(cmd);
  else if (cmd.type == "resume")
    r = co_await resume(cmd);
  else if (cmd.type == "switch_profile")
    r = co_await switch_profile(cmd);
  else if (cmd.type == "switch_pool")
    r = co_await switch_pool(cmd);
  else if (cmd.type == "reboot")
    r = co_await reboot("reboot requested");
  else if (cmd.type == "locate")
    r = co_await locate();
  else if (cmd.type == "set_power")
    r = fail(Errc::kUnsupported,
             "Avalon firmware has work modes, not a power target: use switch_profile");
  if (!r) {
    r.error().message = "avalon device " + device_id_ + ": " + r.error().message;
    co_return tl::unexpected(r.error());
  }
  co_return r;
}

asio::awaitable<Result<AvalonDriver::Module>> AvalonDriver::read_module() {
  auto stats = co_await client().command("stats");
  if (!stats) co_return tl::unexpected(stats.error());
  auto fields = module_fields(&*stats);
  if (!fields) co_return fail(Errc::kProtocol, "stats reply carries no module string");
  Module m;
  m.fields = std::move(*fields);
  m.when = asic::integer_at(asic::first_entry(&*stats, "STATUS"), "When").value_or(0);
  auto version = co_await client().command("version");
  m.model = model_name(version ? asic::first_entry(&*version, "VERSION") : nullptr, &m.fields);
  co_return m;
}

asio::awaitable<Result<nlohmann::json>> AvalonDriver::ascset(const std::string& parameter) {
  co_return co_await client().command("ascset", parameter);
}

asio::awaitable<DeviceState> AvalonDriver::polled_state() {
  auto snap = co_await poll();
  co_return snap ? snap->state : DeviceState::kOffline;
}

asio::awaitable<Result<CommandOutcome>> AvalonDriver::curtail(const DeviceCommand& cmd) {
  if (auto mode = asic::string_member(cmd.params, "mode"); mode && *mode != "sleep")
    co_return fail(Errc::kUnsupported, "curtail mode '" + mode->substr(0, 32) +
                                           "' not supported (Avalon soft-off sleeps the miner)");
  auto before = co_await read_module();
  if (!before) co_return tl::unexpected(before.error());
  if (auto sent = co_await ascset(softoff_parameter(before->when)); !sent)
    co_return tl::unexpected(sent.error());
  auto after = co_await read_module();
  if (!after) co_return tl::unexpected(after.error());
  CommandOutcome out;
  out.memo = nlohmann::json::object();
  if (soft_off(before->fields) && cmd.memo.is_object()) {
    out.memo = cmd.memo;  // already off: keep what the first curtailment saw
  } else if (auto m = workmode_of(before->fields)) {
    out.memo["workmode"] = *m;
  }
  out.confirmed = soft_off(after->fields);
  out.state = co_await polled_state();
  out.detail = "soft off " + bracket_text(after->fields, "SoftOFF").value_or("unknown");
  co_return out;
}

asio::awaitable<Result<CommandOutcome>> AvalonDriver::resume(const DeviceCommand& cmd) {
  auto before = co_await read_module();
  if (!before) co_return tl::unexpected(before.error());
  if (auto sent = co_await ascset(softon_parameter(before->when)); !sent)
    co_return tl::unexpected(sent.error());
  if (cmd.memo.is_object() && cmd.memo.contains("workmode") &&
      cmd.memo["workmode"].is_number_integer()) {
    const int want = cmd.memo["workmode"].get<int>();
    if (want >= 0 && want <= 255 && workmode_of(before->fields) != want) {
      if (auto set = co_await ascset(workmode_parameter(want)); !set)
        co_return tl::unexpected(set.error());
    }
  }
  auto after = co_await read_module();
  if (!after) co_return tl::unexpected(after.error());
  CommandOutcome out;
  out.state = co_await polled_state();
  out.confirmed = !soft_off(after->fields) && out.state == DeviceState::kMining;
  const auto mode = workmode_of(after->fields);
  out.detail = "soft on, " + (mode ? describe_workmode(after->model, *mode) : "work mode unknown");
  co_return out;
}

asio::awaitable<Result<CommandOutcome>> AvalonDriver::switch_profile(const DeviceCommand& cmd) {
  auto name = asic::string_member(cmd.params, "profile");
  if (!name || name->empty())
    co_return fail(Errc::kInvalidArgument, "switch_profile needs a \"profile\" name");
  auto before = co_await read_module();
  if (!before) co_return tl::unexpected(before.error());
  auto mode = workmode_for_profile(before->model, *name);
  if (!mode) {
    std::string have;
    for (const auto& n : workmode_names(before->model)) have += (have.empty() ? "" : ", ") + n;
    co_return fail(Errc::kUnsupported, "no work mode '" + name->substr(0, 32) + "' on " +
                                           (before->model.empty() ? "this model" : before->model) +
                                           " (has " + have + ")");
  }
  if (auto set = co_await ascset(workmode_parameter(*mode)); !set)
    co_return tl::unexpected(set.error());
  auto after = co_await read_module();
  if (!after) co_return tl::unexpected(after.error());
  CommandOutcome out;
  out.confirmed = workmode_of(after->fields) == *mode;
  out.state = co_await polled_state();
  out.detail = describe_workmode(after->model, *mode);
  co_return out;
}

asio::awaitable<Result<CommandOutcome>> AvalonDriver::switch_pool(const DeviceCommand& cmd) {
  auto url = asic::string_member(cmd.params, "url");
  auto user = asic::string_member(cmd.params, "user");
  if (!url || url->empty() || !user)
    co_return fail(Errc::kInvalidArgument, "switch_pool needs \"url\" and \"user\"");
  auto param = setpool_parameter(web_user_, web_password_, *url, *user,
                                 asic::string_member(cmd.params, "password").value_or(""));
  if (!param) co_return tl::unexpected(param.error());
  if (auto set = co_await ascset(*param); !set) co_return tl::unexpected(set.error());
  // setpool is stored and applied at the next boot.
  co_return co_await reboot("pool " + *url + " user " + *user + " set; rebooting to apply");
}

asio::awaitable<Result<CommandOutcome>> AvalonDriver::reboot(std::string detail) {
  if (auto sent = co_await ascset(reboot_parameter()); !sent)
    co_return tl::unexpected(sent.error());
  CommandOutcome out;
  out.state = co_await polled_state();
  out.confirmed = false;  // done when it answers again with a fresh uptime (later polls)
  out.detail = std::move(detail);
  co_return out;
}

asio::awaitable<Result<CommandOutcome>> AvalonDriver::locate() {
  auto before = co_await read_module();
  if (!before) co_return tl::unexpected(before.error());
  if (!before->fields.count("Led"))  // the Avalon Q has an LCD and no locate LED
    co_return fail(Errc::kUnsupported,
                   "no locate LED on " + (before->model.empty() ? "this model" : before->model));
  if (auto sent = co_await ascset(led_parameter(true)); !sent)
    co_return tl::unexpected(sent.error());
  auto after = co_await read_module();
  if (!after) co_return tl::unexpected(after.error());
  CommandOutcome out;
  out.confirmed = bracket_number(after->fields, "Led").value_or(0) != 0;
  out.state = co_await polled_state();
  out.detail = "LED " + bracket_text(after->fields, "Led").value_or("unknown");
  co_return out;
}

const DriverInfo& driver_info() {
  static const DriverInfo kInfo{
      .name = "avalon",
      .firmware = "avalon",
      .description = "Canaan Avalon (AvalonMiner, Avalon Q), cgminer API on port 4028",
      .capabilities = kCapRead | kCapCurtail | kCapResume | kCapSwitchPool | kCapSwitchProfile |
                      kCapReboot | kCapLocate,
      .default_port = 4028,
      .config_keys =
          {
              ConfigKey{.name = "web_user",
                        .type = OptionType::kString,
                        .default_value = OptionValue(std::string("root")),
                        .doc = "web login the firmware wants with ascset setpool"},
              ConfigKey{.name = "web_password",
                        .type = OptionType::kSecret,
                        .default_value = OptionValue(std::string("root")),
                        .doc = "web password the firmware wants with ascset setpool"},
          },
      .match = &match,
      .identify = &identify,
      .create = [](asio::any_io_executor ex, const DeviceConfig& cfg) -> std::unique_ptr<Driver> {
        return std::make_unique<AvalonDriver>(std::move(ex), cfg);
      },
  };
  return kInfo;
}

}  // namespace rigkeeper::drivers::avalon
