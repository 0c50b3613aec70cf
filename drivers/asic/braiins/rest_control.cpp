#include "drivers/asic/braiins/rest_control.h"

#include <cmath>

#include "drivers/asic/braiins/rest_parser.h"
#include "drivers/asic/common/json_access.h"

namespace rigkeeper::drivers::braiins {

namespace {

using nlohmann::json;

constexpr std::string_view kPathActionsLocate = "actions/locate";
constexpr std::string_view kPathActionsReboot = "actions/reboot";
constexpr std::string_view kPathMinerDetails = "miner/details";
constexpr std::string_view kPathMinerStats = "miner/stats";
constexpr std::string_view kPathPerformancePowerTarget = "performance/power-target";
constexpr std::string_view kPathPerformanceTunerState = "performance/tuner-state";
constexpr std::string_view kPathPools = "pools";
constexpr std::string_view kPathPoolsBatch = "pools/batch";
constexpr std::string_view kPathActionsPause = "actions/pause";
constexpr std::string_view kPathActionsResume = "actions/resume";

tl::unexpected<Error> bad_param(const RestSession& s, std::string_view what) {
  return fail(Errc::kInvalidArgument,
              "device " + s.endpoint().device_id + ": " + std::string(what));
}

asio::awaitable<Result<CommandOutcome>> pause_or_resume(RestSession& s, bool pause) {
  if (auto r = co_await s.call(RestSession::kPut, pause ? kPathActionsPause : kPathActionsResume,
                               kToken);
      !r) {
    co_return tl::unexpected(r.error());
  }
  auto details = co_await s.call(RestSession::kGet, kPathMinerDetails, kToken);
  if (!details) co_return tl::unexpected(details.error());
  const MinerStatus st = miner_status(&*details);
  auto state = co_await read_state(s);
  const DeviceState now = state ? *state : DeviceState::kIdle;
  if (pause) {
    const bool ok = st == MinerStatus::kPaused || st == MinerStatus::kSuspended;
    auto o = make_outcome(now, ok ? "mining paused" : "pause requested; miner not paused yet", ok);
    o.memo = json{{"mode", "normal"}};
    co_return o;
  }
  const bool ok = st == MinerStatus::kNormal;
  co_return make_outcome(now, ok ? "mining resumed" : "resume requested; miner not running yet",
                         ok);
}

asio::awaitable<Result<CommandOutcome>> set_power(RestSession& s, const json& params) {
  auto it = params.is_object() ? params.find("watts") : params.end();
  if (it == params.end() || !it->is_number()) co_return bad_param(s, "set_power needs \"watts\"");
  const double w = it->get<double>();
  if (!std::isfinite(w) || w < kMinPowerTargetW || w > kMaxPowerTargetW) {
    co_return bad_param(s, "set_power watts out of range 100..20000");
  }
  const auto watts = static_cast<int64_t>(std::llround(w));
  const json body{{"watt", watts}};
  if (auto r = co_await s.call(RestSession::kPut, kPathPerformancePowerTarget, kToken, body); !r) {
    co_return tl::unexpected(r.error());
  }
  auto tuner = co_await s.call(RestSession::kGet, kPathPerformanceTunerState, kToken);
  if (!tuner) co_return tl::unexpected(tuner.error());
  const auto target = power_target_w(&*tuner);
  auto state = co_await read_state(s);
  const bool ok = target && std::llround(*target) == watts;
  std::string detail = "power target " + std::to_string(watts) + " W";
  if (!ok) {
    detail += target ? "; firmware reports " + std::to_string(std::llround(*target)) + " W"
                     : "; firmware reports no power target";
  }
  co_return make_outcome(state ? *state : DeviceState::kIdle, detail, ok);
}

asio::awaitable<Result<CommandOutcome>> switch_pool(RestSession& s, const json& params) {
  auto url = asic::string_member(params, "url");
  auto user = asic::string_member(params, "user");
  if (!url || url->empty() || !user)
    co_return bad_param(s, "switch_pool needs \"url\" and \"user\"");
  const json pool = {{"url", *url},
                     {"user", *user},
                     {"password", asic::string_member(params, "password").value_or("")}};
  const json groups = json::array({{{"name", "rigkeeper"},
                                    {"pools", json::array({pool})},
                                    {"load_balance_strategy", {{"quota", {{"value", 1}}}}}}});
  if (auto r = co_await s.call(RestSession::kPut, kPathPoolsBatch, kToken, groups); !r)
    co_return tl::unexpected(r.error());
  auto back = co_await s.call(RestSession::kGet, kPathPools, kToken);
  if (!back) co_return tl::unexpected(back.error());
  std::optional<std::string> first;
  if (back->is_array() && !back->empty()) {
    const json& g = (*back)[0];
    if (g.is_object() && g.contains("pools") && g["pools"].is_array() && !g["pools"].empty())
      first = asic::string_member(g["pools"][0], "url");
  }
  auto state = co_await read_state(s);
  const bool ok = first && *first == *url;
  co_return make_outcome(
      state ? *state : DeviceState::kIdle,
      ok ? "pool " + *url : "pool change sent; firmware lists " + first.value_or("none"), ok);
}

asio::awaitable<Result<CommandOutcome>> reboot(RestSession& s) {
  auto before = co_await s.call(RestSession::kGet, kPathMinerDetails, kToken);
  if (!before) co_return tl::unexpected(before.error());
  const auto uptime_before = before->is_object() && before->contains("system_uptime_s") &&
                                     (*before)["system_uptime_s"].is_number()
                                 ? std::optional<double>((*before)["system_uptime_s"].get<double>())
                                 : std::nullopt;
  if (auto r = co_await s.call(RestSession::kPut, kPathActionsReboot, kToken); !r)
    co_return tl::unexpected(r.error());
  auto after = co_await s.call(RestSession::kGet, kPathMinerDetails, kToken);
  if (!after) {
    // Refused, reset or silent: the reboot took the API down.
    if (after.error().code == Errc::kUnreachable || after.error().code == Errc::kTimeout ||
        after.error().code == Errc::kProtocol) {
      co_return make_outcome(DeviceState::kOffline, "rebooting (API down)", true);
    }
    co_return tl::unexpected(after.error());
  }
  auto up = (*after).is_object() && after->contains("system_uptime_s") &&
                    (*after)["system_uptime_s"].is_number()
                ? std::optional<double>((*after)["system_uptime_s"].get<double>())
                : std::nullopt;
  const bool restarted = up && uptime_before && *up < *uptime_before;
  co_return make_outcome(restarted ? DeviceState::kStarting : DeviceState::kIdle,
                         restarted ? "rebooted" : "reboot requested; not restarted yet", restarted);
}

asio::awaitable<Result<CommandOutcome>> locate(RestSession& s) {
  if (auto r = co_await s.call(RestSession::kPut, kPathActionsLocate, kToken, json(true)); !r) {
    co_return tl::unexpected(r.error());
  }
  auto back = co_await s.call(RestSession::kGet, kPathActionsLocate, kToken);
  if (!back) co_return tl::unexpected(back.error());
  auto state = co_await read_state(s);
  const bool on = locate_on(&*back).value_or(false);
  co_return make_outcome(state ? *state : DeviceState::kIdle,
                         on ? "locate LED on" : "locate requested; LED reported off", on);
}

}  // namespace

asio::awaitable<Result<DeviceState>> read_state(RestSession& session) {
  RestReplies r;
  auto d = co_await session.call(RestSession::kGet, kPathMinerDetails, kToken);
  if (!d) co_return tl::unexpected(d.error());
  r.details = std::move(*d);
  if (auto st = co_await session.call(RestSession::kGet, kPathMinerStats, kToken))
    r.stats = std::move(*st);
  auto snap = parse_rest(r);
  if (!snap) co_return tl::unexpected(snap.error());
  co_return snap->state;
}

asio::awaitable<Result<CommandOutcome>> execute_rest(RestSession& s, const DeviceCommand& cmd) {
  if (cmd.type == "curtail") {
    auto mode = asic::string_member(cmd.params, "mode").value_or("sleep");
    if (mode != "sleep") co_return bad_param(s, "curtail mode must be \"sleep\"");
    co_return co_await pause_or_resume(s, true);
  }
  if (cmd.type == "resume") co_return co_await pause_or_resume(s, false);
  if (cmd.type == "set_power") co_return co_await set_power(s, cmd.params);
  if (cmd.type == "switch_pool") co_return co_await switch_pool(s, cmd.params);
  if (cmd.type == "reboot") co_return co_await reboot(s);
  if (cmd.type == "locate") co_return co_await locate(s);
  co_return fail(Errc::kUnsupported,
                 "device " + s.endpoint().device_id + ": " + cmd.type.substr(0, 40) +
                     " is not supported by Braiins OS (it tunes to power targets: use set_power)");
}

}  // namespace rigkeeper::drivers::braiins
