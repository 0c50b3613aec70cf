// The control verbs of the Whatsminer driver: one privileged command (v2) or signed set.*
// command (v3), then a read-back poll that confirms the state.
#include <cmath>

#include "drivers/asic/whatsminer/driver.h"

namespace rigkeeper::drivers::whatsminer {

namespace {

using nlohmann::json;

std::string watts_text(double w) { return std::to_string(static_cast<int64_t>(std::llround(w))); }

CommandOutcome outcome(const DeviceSnapshot& s, std::string detail, bool confirmed) {
  CommandOutcome o;
  o.state = s.state;
  o.detail = std::move(detail);
  o.confirmed = confirmed;
  return o;
}

// Request parameters are built outside the coroutines: GCC 12 miscompiles brace-initialised
// JSON from string literals inside a coroutine frame ("array used as initializer").
json kv(const std::string& key, json value) {
  json o = json::object();
  o[key] = std::move(value);
  return o;
}

json text(const char* s) { return json(std::string(s)); }

json led_blink() { return {{"color", "red"}, {"period", 1000}, {"duration", 500}, {"start", 0}}; }

json pool_params(const std::string& url, const std::string& user, const std::string& pass) {
  return {{"pool1", url}, {"worker1", user}, {"passwd1", pass.empty() ? std::string("x") : pass}};
}

}  // namespace

asio::awaitable<Result<void>> WhatsminerDriver::send_verb(const std::string& cmd2,
                                                          const json& params2,
                                                          const std::string& cmd3,
                                                          const json& param3) {
  if (!password_) co_return fail(Errc::kAuth, "no admin password configured for " + device_id_);
  if (!generation_) {
    auto gen = co_await choose_generation();
    if (!gen) co_return tl::unexpected(named(gen.error()));
    generation_ = *gen;
  }
  if (*generation_ == ApiGeneration::kV3) {
    if (cmd3.empty())
      co_return fail(Errc::kUnsupported,
                     "device " + device_id_ + ": not available over Whatsminer API v3");
    auto r = co_await v3_.set(cmd3, param3, *password_);
    if (!r) co_return tl::unexpected(named(r.error()));
    co_return Result<void>{};
  }
  if (cmd2.empty())
    co_return fail(Errc::kUnsupported,
                   "device " + device_id_ + ": not available over Whatsminer API v2");
  auto r = co_await v2_.privileged(cmd2, params2, *password_);
  if (!r) co_return tl::unexpected(named(r.error()));
  co_return Result<void>{};
}

asio::awaitable<Result<CommandOutcome>> WhatsminerDriver::execute(const DeviceCommand& cmd) {
  if (cmd.type == "curtail") co_return co_await curtail(cmd);
  if (cmd.type == "resume") co_return co_await resume(cmd);
  if (cmd.type == "set_power") co_return co_await set_power(cmd);
  if (cmd.type == "switch_pool") co_return co_await switch_pool(cmd);
  if (cmd.type == "reboot") co_return co_await reboot();
  if (cmd.type == "locate") co_return co_await locate();
  co_return fail(Errc::kUnsupported,
                 "device " + device_id_ + ": '" + cmd.type + "' is not supported on Whatsminer");
}

asio::awaitable<Result<CommandOutcome>> WhatsminerDriver::curtail(const DeviceCommand& cmd) {
  const auto mode = cmd.params.is_object() ? cmd.params.value("mode", std::string("sleep"))
                                           : std::string("sleep");
  if (mode != "sleep")
    co_return fail(Errc::kInvalidArgument,
                   "device " + device_id_ + ": curtail mode '" + mode + "' (only sleep)");
  auto before = co_await poll();
  json memo;
  if (before && before->power_limit_w) memo = {{"power_limit_w", *before->power_limit_w}};
  // v2 power_off stops btminer and the hash boards; respbefore=true answers before stopping.
  auto sent = co_await send_verb("power_off", kv("respbefore", text("true")), "set.miner.service",
                                 text("stop"));
  if (!sent) co_return tl::unexpected(sent.error());
  auto after = co_await poll();
  if (!after) co_return tl::unexpected(after.error());
  const bool asleep = after->state == DeviceState::kSleeping;
  auto o = outcome(*after,
                   asleep ? std::string("mining stopped (power_off)")
                          : std::string("power_off accepted; stopping"),
                   asleep);
  o.memo = memo;
  co_return o;
}

asio::awaitable<Result<CommandOutcome>> WhatsminerDriver::resume(const DeviceCommand& cmd) {
  auto sent = co_await send_verb("power_on", json::object(), "set.miner.service", text("start"));
  if (!sent) co_return tl::unexpected(sent.error());
  auto after = co_await poll();
  if (!after) co_return tl::unexpected(after.error());
  std::string detail = "power_on accepted";
  // A power limit changed while curtailed (by hand) is put back to what it was before.
  if (cmd.memo.is_object() && cmd.memo.contains("power_limit_w") &&
      cmd.memo["power_limit_w"].is_number()) {
    const double want = cmd.memo["power_limit_w"].get<double>();
    if (after->power_limit_w && std::fabs(*after->power_limit_w - want) >= 1.0) {
      auto restored = co_await send_verb("adjust_power_limit", kv("power_limit", watts_text(want)),
                                         "set.miner.power_limit", std::llround(want));
      if (!restored) co_return tl::unexpected(restored.error());
      detail += "; power limit restored to " + watts_text(want) + " W";
      if (auto again = co_await poll()) after = std::move(again);
    }
  }
  const bool waking =
      after->state == DeviceState::kMining || after->state == DeviceState::kStarting;
  co_return outcome(*after,
                    detail + (after->state == DeviceState::kMining ? std::string("; mining")
                                                                   : std::string("; waking")),
                    after->state == DeviceState::kMining && waking);
}

asio::awaitable<Result<CommandOutcome>> WhatsminerDriver::set_power(const DeviceCommand& cmd) {
  const auto w = cmd.params.is_object() ? cmd.params.find("watts") : cmd.params.end();
  if (!cmd.params.is_object() || w == cmd.params.end() || !w->is_number() ||
      w->get<double>() < 100 || w->get<double>() > 20000)
    co_return fail(Errc::kInvalidArgument,
                   "device " + device_id_ + ": set_power needs watts between 100 and 20000");
  const double watts = w->get<double>();
  auto sent = co_await send_verb("adjust_power_limit", kv("power_limit", watts_text(watts)),
                                 "set.miner.power_limit", std::llround(watts));
  if (!sent) co_return tl::unexpected(sent.error());
  auto after = co_await poll();
  if (!after) co_return tl::unexpected(after.error());
  const bool ok = after->power_limit_w && std::fabs(*after->power_limit_w - watts) < 1.0;
  co_return outcome(*after,
                    ok ? "power limit " + watts_text(watts) + " W"
                       : "power limit " + watts_text(watts) + " W requested; miner reports " +
                             (after->power_limit_w ? watts_text(*after->power_limit_w) + " W"
                                                   : std::string("none")),
                    ok);
}

asio::awaitable<Result<CommandOutcome>> WhatsminerDriver::switch_pool(const DeviceCommand& cmd) {
  const auto& p = cmd.params;
  auto str = [&](const char* k) {
    return p.is_object() && p.contains(k) && p[k].is_string() ? p[k].get<std::string>() : "";
  };
  const std::string url = str("url"), user = str("user"), pass = str("password");
  if (url.empty() || user.empty())
    co_return fail(Errc::kInvalidArgument,
                   "device " + device_id_ + ": switch_pool needs url and user");
  // update_pools replaces the whole list; the new pool goes first. The v3 set.miner.pools
  // needs its own parameter encryption, which is not implemented (kUnsupported there).
  auto sent = co_await send_verb("update_pools", pool_params(url, user, pass), "", nullptr);
  if (!sent) co_return tl::unexpected(sent.error());
  auto after = co_await poll();
  if (!after) co_return tl::unexpected(after.error());
  const bool ok = after->pool && after->pool->url == url && after->pool->user == user;
  co_return outcome(*after,
                    ok ? std::string("pool ") + url + " (" + user + ")"
                       : "update_pools accepted; pool not yet active",
                    ok);
}

asio::awaitable<Result<CommandOutcome>> WhatsminerDriver::reboot() {
  auto sent = co_await send_verb("reboot", json::object(), "set.system.reboot", nullptr);
  if (!sent) co_return tl::unexpected(sent.error());
  // A rebooting miner stops answering: that silence (or a restarted uptime) is the read-back.
  auto after = co_await poll();
  DeviceSnapshot s;
  s.state = DeviceState::kStarting;
  if (after) s = *after;
  co_return outcome(s,
                    after ? std::string("reboot accepted; still answering")
                          : std::string("reboot accepted; miner restarting"),
                    false);
}

asio::awaitable<Result<CommandOutcome>> WhatsminerDriver::locate() {
  // btminer blinks for the period it is given; there is nothing to read the LED back from on
  // v2, so the reply's STATUS is the confirmation.
  auto sent = co_await send_verb("set_led", led_blink(), "", nullptr);
  if (!sent) co_return tl::unexpected(sent.error());
  auto after = co_await poll();
  if (!after) co_return tl::unexpected(after.error());
  co_return outcome(*after, "locate LED blinking red", true);
}

}  // namespace rigkeeper::drivers::whatsminer
