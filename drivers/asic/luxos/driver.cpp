#include "drivers/asic/luxos/driver.h"

#include <algorithm>
#include <cmath>

#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/pools.h"
#include "drivers/asic/luxos/identify.h"
#include "drivers/asic/luxos/parser.h"

namespace rigkeeper::drivers::luxos {

namespace {

std::string watts_text(double w) { return std::to_string(static_cast<long long>(std::lround(w))); }

// GCC 12 miscompiles braced string lists inside coroutines ("array used as initializer").
template <class... A>
std::vector<std::string> args(const A&... a) {
  return std::vector<std::string>{std::string(a)...};
}

}  // namespace

LuxosDriver::LuxosDriver(asio::any_io_executor executor, const DeviceConfig& config)
    : CgminerPollDriver(std::move(executor), config, poll_commands(), &parse_replies),
      device_id_(config.id),
      session_(client()) {}

Error LuxosDriver::named(Error e) const {
  e.message = "luxos device " + device_id_ + ": " + e.message;
  return e;
}

asio::awaitable<Result<CommandOutcome>> LuxosDriver::execute(const DeviceCommand& cmd) {
  Result<CommandOutcome> r = fail(Errc::kUnsupported, "command '" + cmd.type + "' not supported");
  if (cmd.type == "curtail")
    r = co_await curtail(cmd);
  else if (cmd.type == "resume")
    r = co_await resume(cmd);
  else if (cmd.type == "set_power")
    r = co_await set_power(cmd);
  else if (cmd.type == "switch_profile")
    r = co_await switch_profile(cmd);
  else if (cmd.type == "switch_pool")
    r = co_await switch_pool(cmd);
  else if (cmd.type == "reboot")
    r = co_await reboot();
  else if (cmd.type == "locate")
    r = co_await locate();
  if (!r) co_return tl::unexpected(named(r.error()));
  co_return r;
}

asio::awaitable<Result<ControlState>> LuxosDriver::read_state() {
  auto reply = co_await client().command("config");
  if (!reply) co_return tl::unexpected(reply.error());
  co_return parse_control_state(*reply);
}

asio::awaitable<Result<std::vector<Profile>>> LuxosDriver::read_profiles() {
  auto reply = co_await client().command("profiles");
  if (!reply) co_return tl::unexpected(reply.error());
  co_return parse_profiles(*reply);
}

asio::awaitable<DeviceState> LuxosDriver::polled_state(DeviceSnapshot* snapshot) {
  auto snap = co_await poll();
  if (!snap) co_return DeviceState::kOffline;
  if (snapshot) *snapshot = *snap;
  co_return snap->state;
}

asio::awaitable<Result<void>> LuxosDriver::apply_profile(const std::string& name,
                                                         std::optional<bool> atm_after) {
  auto before = co_await read_state();
  if (!before) co_return tl::unexpected(before.error());
  const bool atm_was_on = before->atm_enabled.value_or(false);
  const bool atm_final = atm_after.value_or(atm_was_on);
  // ATM would move the profile again (and LuxOS refuses profileset while it runs): off first.
  if (atm_was_on) {
    if (auto off = co_await session_.privileged("atmset", args("enabled=false")); !off)
      co_return tl::unexpected(off.error());
  }
  auto set = co_await session_.privileged("profileset", args(name));
  if (atm_final) {
    auto on = co_await session_.privileged("atmset", args("enabled=true"));
    if (set && !on)
      co_return fail(on.error().code,
                     "profile " + name + " set, but ATM not re-enabled: " + on.error().message);
  }
  if (!set) co_return tl::unexpected(set.error());
  co_return Result<void>{};
}

asio::awaitable<Result<CommandOutcome>> LuxosDriver::curtail(const DeviceCommand& cmd) {
  if (auto mode = asic::string_member(cmd.params, "mode"); mode && *mode != "sleep")
    co_return fail(Errc::kUnsupported, "curtail mode '" + mode->substr(0, 32) +
                                           "' not supported (LuxOS sleeps the whole miner)");
  auto before = co_await read_state();
  if (!before) co_return tl::unexpected(before.error());
  auto sent = co_await session_.privileged("curtail", args("sleep"));
  if (!sent) co_return tl::unexpected(sent.error());
  auto after = co_await read_state();
  if (!after) co_return tl::unexpected(after.error());
  CommandOutcome out;
  // What resume restores: the profile and ATM in force before (not an earlier sleep's).
  out.memo = nlohmann::json::object();
  if (!before->sleeping()) {
    if (before->profile) out.memo["profile"] = *before->profile;
    if (before->atm_enabled) out.memo["atm"] = *before->atm_enabled;
  } else if (!cmd.memo.is_null()) {
    out.memo = cmd.memo;
  }
  out.confirmed = after->sleeping();
  out.state = co_await polled_state();
  out.detail = "curtail mode " + after->curtail_mode;
  co_return out;
}

asio::awaitable<Result<CommandOutcome>> LuxosDriver::resume(const DeviceCommand& cmd) {
  auto sent = co_await session_.privileged("curtail", args("wakeup"));
  if (!sent) co_return tl::unexpected(sent.error());
  auto now = co_await read_state();
  if (!now) co_return tl::unexpected(now.error());
  std::optional<bool> atm;
  if (cmd.memo.is_object() && cmd.memo.contains("atm") && cmd.memo["atm"].is_boolean())
    atm = cmd.memo["atm"].get<bool>();
  if (auto profile = asic::string_member(cmd.memo, "profile"); profile && profile != now->profile) {
    if (auto ok = co_await apply_profile(*profile, atm); !ok) co_return tl::unexpected(ok.error());
  } else if (atm && atm != now->atm_enabled) {
    auto set =
        co_await session_.privileged("atmset", args(*atm ? "enabled=true" : "enabled=false"));
    if (!set) co_return tl::unexpected(set.error());
  }
  auto after = co_await read_state();
  if (!after) co_return tl::unexpected(after.error());
  CommandOutcome out;
  out.state = co_await polled_state();
  // Awake once CurtailMode is None; confirmed once hashing again (the ramp takes minutes).
  out.confirmed = !after->sleeping() && out.state == DeviceState::kMining;
  out.detail =
      "curtail mode " + after->curtail_mode + ", profile " + after->profile.value_or("unknown");
  co_return out;
}

asio::awaitable<Result<CommandOutcome>> LuxosDriver::set_power(const DeviceCommand& cmd) {
  const auto& p = cmd.params;
  if (!p.is_object() || !p.contains("watts") || !p["watts"].is_number() ||
      !std::isfinite(p["watts"].get<double>()) || p["watts"].get<double>() <= 0)
    co_return fail(Errc::kInvalidArgument, "set_power needs a positive number \"watts\"");
  const double target = p["watts"].get<double>();
  auto profiles = co_await read_profiles();
  if (!profiles) co_return tl::unexpected(profiles.error());
  auto chosen = choose_profile(*profiles, target);
  if (!chosen) {
    double lowest = profiles->front().watts;
    for (const auto& pr : *profiles) lowest = std::min(lowest, pr.watts);
    co_return fail(Errc::kUnsupported, "no profile at or below " + watts_text(target) +
                                           " W (the lowest draws " + watts_text(lowest) + " W)");
  }
  if (auto ok = co_await apply_profile(chosen->name); !ok) co_return tl::unexpected(ok.error());
  auto after = co_await read_state();
  if (!after) co_return tl::unexpected(after.error());
  CommandOutcome out;
  out.confirmed = after->profile == chosen->name;
  out.state = co_await polled_state();
  out.detail = "profile " + chosen->name + " (" + watts_text(chosen->watts) + " W) for target " +
               watts_text(target) + " W";
  co_return out;
}

asio::awaitable<Result<CommandOutcome>> LuxosDriver::switch_profile(const DeviceCommand& cmd) {
  auto name = asic::string_member(cmd.params, "profile");
  if (!name || name->empty())
    co_return fail(Errc::kInvalidArgument, "switch_profile needs a \"profile\" name");
  auto profiles = co_await read_profiles();
  if (!profiles) co_return tl::unexpected(profiles.error());
  auto chosen = find_profile(*profiles, *name);
  if (!chosen)
    co_return fail(Errc::kUnsupported, "no profile '" + name->substr(0, 64) + "' on this miner");
  if (auto ok = co_await apply_profile(chosen->name); !ok) co_return tl::unexpected(ok.error());
  auto after = co_await read_state();
  if (!after) co_return tl::unexpected(after.error());
  CommandOutcome out;
  out.confirmed = after->profile == chosen->name;
  out.state = co_await polled_state();
  out.detail = "profile " + chosen->name + " (" + watts_text(chosen->watts) + " W)";
  co_return out;
}

asio::awaitable<Result<CommandOutcome>> LuxosDriver::switch_pool(const DeviceCommand& cmd) {
  auto url = asic::string_member(cmd.params, "url");
  auto user = asic::string_member(cmd.params, "user");
  const auto password = asic::string_member(cmd.params, "password").value_or("");
  if (!url || url->empty() || !user)
    co_return fail(Errc::kInvalidArgument, "switch_pool needs \"url\" and \"user\"");
  const auto find_index = [&](const nlohmann::json& reply) -> std::optional<int> {
    for (const auto& p : asic::read_pools(&reply))
      if (p.url == *url && p.user == *user) return p.index;
    return std::nullopt;
  };
  auto pools = co_await client().command("pools");
  if (!pools) co_return tl::unexpected(pools.error());
  auto index = find_index(*pools);
  if (!index) {
    auto added = co_await session_.privileged("addpool", args(*url, *user, password));
    if (!added) co_return tl::unexpected(added.error());
    pools = co_await client().command("pools");
    if (!pools) co_return tl::unexpected(pools.error());
    index = find_index(*pools);
    if (!index) co_return fail(Errc::kDeviceError, "addpool accepted but the pool is not listed");
  }
  auto switched = co_await session_.privileged("switchpool", args(std::to_string(*index)));
  if (!switched) co_return tl::unexpected(switched.error());
  CommandOutcome out;
  DeviceSnapshot snap;
  out.state = co_await polled_state(&snap);
  out.confirmed = snap.pool && snap.pool->url == *url && snap.pool->user == *user;
  out.detail =
      "pool " + *url + " user " + *user + (out.confirmed ? " active" : " selected, not active yet");
  co_return out;
}

asio::awaitable<Result<CommandOutcome>> LuxosDriver::reboot() {
  auto sent = co_await session_.privileged("rebootdevice");
  if (!sent) co_return tl::unexpected(sent.error());
  session_.forget();  // a reboot ends every session
  CommandOutcome out;
  out.state = co_await polled_state();
  // Confirmed once the API went down (or came back with a fresh uptime, read on later polls).
  out.confirmed = out.state == DeviceState::kOffline;
  out.detail = out.confirmed ? "rebooting (API down)" : "reboot requested";
  co_return out;
}

asio::awaitable<Result<CommandOutcome>> LuxosDriver::locate() {
  auto sent = co_await session_.privileged("ledset", args("red", "blink"));
  if (!sent) co_return tl::unexpected(sent.error());
  auto after = co_await read_state();
  if (!after) co_return tl::unexpected(after.error());
  CommandOutcome out;
  out.confirmed = after->red_led == "blink";
  out.state = co_await polled_state();
  out.detail = "red LED " + after->red_led.value_or("unknown");
  co_return out;
}

const DriverInfo& driver_info() {
  static const DriverInfo kInfo{
      .name = "luxos",
      .firmware = "luxos",
      .description = "LuxOS (LUXminer) on Antminers, cgminer-style API on port 4028",
      .capabilities = kCapRead | kCapCurtail | kCapResume | kCapSetPower | kCapSwitchPool |
                      kCapSwitchProfile | kCapReboot | kCapLocate,
      .default_port = 4028,
      .config_keys = {},
      .match = &match,
      .identify = &identify,
      .create = [](asio::any_io_executor ex, const DeviceConfig& cfg) -> std::unique_ptr<Driver> {
        return std::make_unique<LuxosDriver>(std::move(ex), cfg);
      },
  };
  return kInfo;
}

}  // namespace rigkeeper::drivers::luxos
