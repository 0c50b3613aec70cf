// RedfishDriver's control verbs (set_power, reboot, locate), each read back by a poll.
#include <cmath>

#include "drivers/gpu/redfish/driver.h"

namespace rigkeeper::drivers::redfish {

asio::awaitable<Result<std::string>> RedfishDriver::expect_ok(std::string method, std::string path,
                                                              Json body) {
  auto resp = co_await send(method, path, body.dump());
  if (!resp) co_return tl::unexpected(on_device(resp.error()));
  if (resp->status == 401 || resp->status == 403) {
    co_return tl::unexpected(on_device(Error{
        Errc::kAuth, method + " " + path + " answered HTTP " + std::to_string(resp->status)}));
  }
  if (!resp->ok()) {
    std::string why = resp->body.substr(0, 200);
    co_return tl::unexpected(
        on_device(Error{Errc::kDeviceError, method + " " + path + " answered HTTP " +
                                                std::to_string(resp->status) + ": " + why}));
  }
  co_return resp->body;
}

asio::awaitable<Result<CommandOutcome>> RedfishDriver::execute_other(const DeviceCommand& cmd) {
  if (!last_) {
    auto snap = co_await poll();
    if (!snap) co_return tl::unexpected(snap.error());
  }
  if (cmd.type == "set_power") {
    const auto& w = cmd.params.is_object() ? cmd.params.value("watts", Json()) : Json();
    if (!w.is_number() || w.get<double>() <= 0) {
      co_return fail(Errc::kInvalidArgument,
                     "device " + device_id_ + ": set_power needs a positive \"watts\"");
    }
    co_return co_await set_power(w.get<double>());
  }
  if (cmd.type == "reboot") co_return co_await reboot();
  if (cmd.type == "locate") co_return co_await locate();
  co_return co_await gpu::GpuNodeDriver::execute_other(cmd);
}

asio::awaitable<Result<CommandOutcome>> RedfishDriver::set_power(double watts) {
  if (!last_->limit_target) {
    co_return fail(Errc::kUnsupported, "device " + device_id_ +
                                           ": the BMC exposes no writable power limit "
                                           "(no PowerControl PowerLimit nor Power Control)");
  }
  const PowerLimitTarget t = *last_->limit_target;
  if ((t.min_w && watts < *t.min_w) || (t.max_w && watts > *t.max_w)) {
    co_return fail(Errc::kInvalidArgument,
                   "device " + device_id_ + ": " + std::to_string(std::lround(watts)) +
                       " W is outside the BMC's range " + std::to_string(std::lround(*t.min_w)) +
                       "-" + std::to_string(std::lround(*t.max_w)) + " W");
  }
  Json body;
  if (t.kind == PowerLimitTarget::Kind::kControl) {
    body = Json{{"SetPoint", watts}};
  } else {
    Json controls = Json::array();
    for (size_t i = 0; i < t.control_index; ++i) controls.push_back(Json::object());
    controls.push_back(Json{{"PowerLimit", {{"LimitInWatts", watts}}}});
    body = Json{{"PowerControl", controls}};
  }
  const std::string method = "PATCH";
  auto ok = co_await expect_ok(method, t.uri, body);
  if (!ok) co_return tl::unexpected(ok.error());
  CommandOutcome out;
  auto snap = co_await poll();
  out.state = snap ? snap->state : DeviceState::kOffline;
  const auto got = snap ? snap->power_limit_w : std::nullopt;
  out.confirmed = got && std::fabs(*got - watts) < 1.0;
  out.detail = "power limit " + (got ? std::to_string(std::lround(*got)) + " W" : "unknown") +
               " (asked " + std::to_string(std::lround(watts)) + " W)";
  co_return out;
}

asio::awaitable<Result<CommandOutcome>> RedfishDriver::reboot() {
  const SystemInfo& s = last_->system;
  if (!s.reset_target) {
    co_return fail(Errc::kUnsupported,
                   "device " + device_id_ + ": the system has no #ComputerSystem.Reset action");
  }
  std::vector<std::string> allowed = s.reset_types;
  if (allowed.empty() && s.reset_action_info) {
    if (auto info = co_await get_json(*s.reset_action_info)) {
      allowed = parse_reset_action_info(*info);
    }
  }
  auto type = pick_reset_type(allowed);
  if (!type) {
    co_return fail(Errc::kUnsupported,
                   "device " + device_id_ + ": ComputerSystem.Reset offers no restart type");
  }
  const std::string target = *s.reset_target;
  const std::string method = "POST";
  Json body{{"ResetType", *type}};
  auto ok = co_await expect_ok(method, target, body);
  if (!ok) co_return tl::unexpected(ok.error());
  CommandOutcome out;
  co_await read_back(out);
  out.detail = "ComputerSystem.Reset " + *type + " accepted";
  out.confirmed = true;
  co_return out;
}

asio::awaitable<Result<CommandOutcome>> RedfishDriver::locate() {
  const SystemInfo& s = last_->system;
  std::string uri = s.uri;
  Json body{{"LocationIndicatorActive", true}};
  if (!s.location_indicator_active && s.indicator_led) {
    body = Json{{"IndicatorLED", "Blinking"}};  // schemas before ComputerSystem v1_13
  } else if (!s.location_indicator_active && last_->chassis &&
             last_->chassis->location_indicator_active) {
    uri = last_->chassis->uri;
  }
  const std::string method = "PATCH";
  auto ok = co_await expect_ok(method, uri, body);
  if (!ok) co_return tl::unexpected(ok.error());
  CommandOutcome out;
  auto after = co_await get_json(uri);
  if (after) {
    const SystemInfo now = parse_system(*after, uri);
    out.confirmed = now.location_indicator_active.value_or(false) ||
                    now.indicator_led == std::optional<std::string>("Blinking");
  } else {
    out.confirmed = false;
  }
  co_await read_back(out);
  out.detail = std::string("locate indicator ") + (out.confirmed ? "on" : "not confirmed");
  co_return out;
}

}  // namespace rigkeeper::drivers::redfish
