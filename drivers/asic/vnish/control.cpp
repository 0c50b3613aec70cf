#include "drivers/asic/vnish/control.h"

#include <cmath>

#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/numbers.h"
#include "drivers/asic/vnish/parser.h"
#include "drivers/asic/vnish/presets.h"

namespace rigkeeper::drivers::vnish {

namespace {

using nlohmann::json;

constexpr std::string_view kSummary = "summary";
constexpr std::string_view kSettings = "settings";
constexpr std::string_view kPresets = "autotune/presets";
constexpr std::string_view kPause = "mining/pause";
constexpr std::string_view kResume = "mining/resume";
constexpr std::string_view kReboot = "system/reboot";
constexpr std::string_view kFindMiner = "find-miner";
constexpr std::string_view kStatus = "status";
constexpr auto kGet = WebSession::kGet;
constexpr auto kPost = WebSession::kPost;

tl::unexpected<Error> named(const WebSession& s, Errc code, const std::string& what) {
  return fail(code, "device " + s.endpoint().device_id + ": " + what);
}

// The state the summary shows now, and its miner_state word.
asio::awaitable<Result<std::pair<DeviceState, std::string>>> read_state(WebSession& s) {
  auto summary = co_await s.call(kGet, kSummary, kNone);
  if (!summary) co_return tl::unexpected(summary.error());
  WebReplies r;
  r.summary = *summary;
  auto snap = parse_web(r);
  if (!snap) co_return tl::unexpected(snap.error());
  co_return std::make_pair(snap->state, miner_state(&*summary));
}

asio::awaitable<Result<CommandOutcome>> pause_or_resume(WebSession& s, bool pause) {
  if (auto r = co_await s.call(kPost, pause ? kPause : kResume, kToken); !r) {
    co_return tl::unexpected(r.error());
  }
  auto st = co_await read_state(s);
  if (!st) co_return tl::unexpected(st.error());
  const bool stopped = st->second == "paused" || st->second == "stopped";
  if (pause) {
    auto o = make_outcome(
        st->first, stopped ? "mining paused" : "pause sent; miner state " + st->second, stopped);
    o.memo = json{{"mode", "normal"}};
    co_return o;
  }
  co_return make_outcome(
      st->first,
      !stopped ? "mining resumed (" + st->second + ")" : "resume sent; miner still " + st->second,
      !stopped);
}

asio::awaitable<Result<CommandOutcome>> apply_preset(WebSession& s, const Preset& preset,
                                                     std::string what) {
  const json body = {{"miner", {{"overclock", {{"preset", preset.name}}}}}};
  if (auto r = co_await s.call(kPost, kSettings, kToken, body); !r)
    co_return tl::unexpected(r.error());
  auto back = co_await s.call(kGet, kSettings, kNone);
  if (!back) co_return tl::unexpected(back.error());
  const auto now = selected_preset(&*back);
  auto st = co_await read_state(s);
  const bool ok = now && *now == preset.name;
  what += " (preset " + preset.name + (preset.pretty.empty() ? "" : ", " + preset.pretty) + ")";
  if (!ok) what += "; settings show preset " + now.value_or("none");
  co_return make_outcome(st ? st->first : DeviceState::kIdle, what, ok);
}

asio::awaitable<Result<std::vector<Preset>>> presets(WebSession& s) {
  auto reply = co_await s.call(kGet, kPresets, kNone);
  if (!reply) co_return tl::unexpected(reply.error());
  co_return parse_presets(*reply);
}

asio::awaitable<Result<CommandOutcome>> set_power(WebSession& s, const json& params) {
  auto it = params.is_object() ? params.find("watts") : params.end();
  if (it == params.end() || !it->is_number() || !std::isfinite(it->get<double>()) ||
      it->get<double>() <= 0) {
    co_return named(s, Errc::kInvalidArgument, "set_power needs \"watts\" above 0");
  }
  const double target = it->get<double>();
  auto list = co_await presets(s);
  if (!list) co_return tl::unexpected(list.error());
  auto settings = co_await s.call(kGet, kSettings, kNone);
  const json* oc =
      settings ? asic::member(asic::member(&*settings, "miner"), "overclock") : nullptr;
  auto chosen = choose_for_power(*list, target, asic::flag_at(oc, "modded_psu").value_or(false));
  if (!chosen) co_return named(s, chosen.error().code, chosen.error().message);
  co_return co_await apply_preset(s, *chosen,
                                  "power target " + std::to_string(std::llround(*chosen->watts)) +
                                      " W for " + std::to_string(std::llround(target)) +
                                      " W asked");
}

asio::awaitable<Result<CommandOutcome>> switch_profile(WebSession& s, const json& params) {
  auto name = asic::string_member(params, "profile");
  if (!name || name->empty())
    co_return named(s, Errc::kInvalidArgument, "switch_profile needs \"profile\"");
  auto list = co_await presets(s);
  if (!list) co_return tl::unexpected(list.error());
  auto chosen = choose_by_name(*list, *name);
  if (!chosen) co_return named(s, chosen.error().code, chosen.error().message);
  co_return co_await apply_preset(s, *chosen, "profile " + chosen->name);
}

asio::awaitable<Result<CommandOutcome>> switch_pool(WebSession& s, const json& params) {
  auto url = asic::string_member(params, "url");
  auto user = asic::string_member(params, "user");
  if (!url || url->empty() || !user) {
    co_return named(s, Errc::kInvalidArgument, "switch_pool needs \"url\" and \"user\"");
  }
  const json pool = {{"url", *url},
                     {"user", *user},
                     {"pass", asic::string_member(params, "password").value_or("")}};
  const json body = {{"miner", {{"pools", json::array({pool})}}}};
  if (auto r = co_await s.call(kPost, kSettings, kToken, body); !r)
    co_return tl::unexpected(r.error());
  auto back = co_await s.call(kGet, kSettings, kNone);
  if (!back) co_return tl::unexpected(back.error());
  const auto first = first_pool_url(&*back);
  auto st = co_await read_state(s);
  const bool ok = first && *first == *url;
  co_return make_outcome(st ? st->first : DeviceState::kIdle,
                         ok ? "pool " + *url : "pool sent; settings list " + first.value_or("none"),
                         ok);
}

std::optional<int64_t> uptime_of(const json& summary) {
  auto up = asic::string_at(asic::member(&summary, "system"), "uptime");
  return up ? parse_uptime(*up) : std::nullopt;
}

asio::awaitable<Result<CommandOutcome>> reboot(WebSession& s) {
  auto before = co_await s.call(kGet, kSummary, kNone);
  if (!before) co_return tl::unexpected(before.error());
  if (auto r = co_await s.call(kPost, kReboot, kToken); !r) co_return tl::unexpected(r.error());
  auto after = co_await s.call(kGet, kSummary, kNone);
  if (!after) {
    // Refused, reset or silent: the reboot took the API down.
    if (after.error().code == Errc::kUnreachable || after.error().code == Errc::kTimeout ||
        after.error().code == Errc::kProtocol) {
      co_return make_outcome(DeviceState::kOffline, "rebooting (API down)", true);
    }
    co_return tl::unexpected(after.error());
  }
  const auto up0 = uptime_of(*before), up1 = uptime_of(*after);
  const bool restarted = up0 && up1 && *up1 < *up0;
  co_return make_outcome(restarted ? DeviceState::kStarting : DeviceState::kIdle,
                         restarted ? "rebooted" : "reboot sent; not restarted yet", restarted);
}

asio::awaitable<Result<CommandOutcome>> locate(WebSession& s) {
  const json body = {{"on", true}};
  if (auto r = co_await s.call(kPost, kFindMiner, kToken, body); !r)
    co_return tl::unexpected(r.error());
  auto status = co_await s.call(kGet, kStatus, kNone);
  if (!status) co_return tl::unexpected(status.error());
  const bool on = asic::flag_at(&*status, "find_miner").value_or(false);
  auto st = co_await read_state(s);
  co_return make_outcome(st ? st->first : DeviceState::kIdle,
                         on ? "locate on (find-miner)" : "locate sent; find_miner reads off", on);
}

}  // namespace

asio::awaitable<Result<CommandOutcome>> execute_web(WebSession& s, const DeviceCommand& cmd) {
  if (cmd.type == "curtail") {
    if (asic::string_member(cmd.params, "mode").value_or("sleep") != "sleep") {
      co_return named(s, Errc::kInvalidArgument, "curtail mode must be \"sleep\"");
    }
    co_return co_await pause_or_resume(s, true);
  }
  if (cmd.type == "resume") co_return co_await pause_or_resume(s, false);
  if (cmd.type == "set_power") co_return co_await set_power(s, cmd.params);
  if (cmd.type == "switch_profile") co_return co_await switch_profile(s, cmd.params);
  if (cmd.type == "switch_pool") co_return co_await switch_pool(s, cmd.params);
  if (cmd.type == "reboot") co_return co_await reboot(s);
  if (cmd.type == "locate") co_return co_await locate(s);
  co_return named(s, Errc::kUnsupported, cmd.type.substr(0, 40) + " is not supported by VNish");
}

}  // namespace rigkeeper::drivers::vnish
