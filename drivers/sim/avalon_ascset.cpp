// Avalon's `ascset|0,<option>,...` settings in the simulator. Replies follow the captures
// (shared/fixtures/asic/avalon/ascset_*.json): "I" 118 "ASC 0 set info: success softoff:<t>",
// "S" 119 "ASC 0 set OK" for workmode; the led query's "ASC 0 set info: LED[n]" is pyasic's.
// Error replies ("E" 120) are the simulator's own: no capture of one was available.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "drivers/sim/avalon_state.h"

namespace rigkeeper::drivers::sim::avalon {

namespace {

constexpr int kCodeInfo = 118;
constexpr int kCodeOk = 119;
constexpr int kCodeError = 120;
constexpr std::string_view kHelp =
    "help|voltage|fan-spd|lcd|hash-sn-read|hash-sn-write|volt-tuning|workmode|worklevel|"
    "work_mode_lvl|reboot|softon|softoff|filter-clean|facopts|faclock|activate|solo-allowed|"
    "frequency|loop|password|qr_auth|time|";

std::vector<std::string> split(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t comma = s.find(',', start);
    out.emplace_back(s.substr(start, comma == std::string_view::npos ? s.npos : comma - start));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

std::optional<int64_t> integer(const std::string& s) {
  if (s.empty() || s.size() > 12 || !std::all_of(s.begin(), s.end(), ::isdigit))
    return std::nullopt;
  return std::stoll(s);
}

Json info(const DeviceReading& r, const std::string& msg) {
  return ascset_reply(r, "I", kCodeInfo, "ASC 0 set info: " + msg);
}
Json ok(const DeviceReading& r) { return ascset_reply(r, "S", kCodeOk, "ASC 0 set OK"); }
Json error(const DeviceReading& r, const std::string& msg) {
  return ascset_reply(r, "E", kCodeError, "ASC 0 set info: " + msg);
}

// softoff/softon "1:<unix time>": the time the switch happens (applied at once here).
std::optional<int64_t> switch_time(const std::vector<std::string>& a) {
  if (a.size() < 3 || a[2].rfind("1:", 0) != 0) return std::nullopt;
  return integer(a[2].substr(2));
}

Json workmode(const std::vector<std::string>& a, const DeviceReading& r, FirmwareState& st,
              AsicDevice& device, SimTime now) {
  // 0,workmode,set,<n> (Avalon Q tools) or 0,workmode,<n> (Canaan's 1246 notes); 255 queries.
  const std::string value = a.size() >= 4 && a[2] == "set" ? a[3] : a.size() >= 3 ? a[2] : "";
  const auto n = integer(value);
  if (n == 255) return info(r, "WORKMODE[" + std::to_string(workmode_of(r, st)) + "]");
  if (!n || *n >= work_modes(r)) return error(r, "invalid workmode " + value.substr(0, 16));
  st.workmode = static_cast<int>(*n);
  const double frac = workmode_fraction(r, st.workmode.value());
  device.set_power_target(now, r.model().nominal_power_w() * frac);
  return ok(r);
}

Json led(const std::vector<std::string>& a, const DeviceReading& r, FirmwareState& st) {
  if (is_q(r)) return error(r, "unknown option led");  // the Q has an LCD, no locate LED
  const std::string v = a.size() >= 3 ? a[2] : "";
  if (v == "1-255") return info(r, std::string("LED[") + (st.led ? "1" : "0") + "]");
  if (v != "1-1" && v != "1-0") return error(r, "invalid led " + v.substr(0, 16));
  st.led = v == "1-1";
  return ok(r);
}

Json setpool(const std::vector<std::string>& a, const DeviceReading& r, FirmwareState& st,
             const AsicDevice& device) {
  // 0,setpool,<web user>,<web password>,<url>,<worker>,<worker password>
  if (a.size() < 6 || a[4].empty()) return error(r, "invalid setpool");
  if (a[2] != "root" || a[3] != "root") return error(r, "setpool password error");
  st.pending_pool = PoolConfig{a[4], a[5]};
  st.pending_since_boot = device.boots();
  return info(r, "success setpool");
}

}  // namespace

void settle_pending_pool(AsicDevice& device, SimTime now) {
  auto& st = device.extension<FirmwareState>();
  if (st.pending_pool && device.boots() > st.pending_since_boot) {
    device.set_pool(now, *st.pending_pool);
    st.pending_pool.reset();
  }
}

Json ascset(std::string_view parameter, const DeviceReading& r, AsicDevice& device, SimTime now) {
  auto& st = device.extension<FirmwareState>();
  const auto a = split(parameter.substr(0, 1024));
  if (a.size() < 2 || a[0] != "0") return error(r, "invalid ASC " + a[0].substr(0, 8));
  const std::string& option = a[1];
  if (option == "softoff" || option == "softon") {
    const auto t = switch_time(a);
    if (!t) return error(r, "invalid " + option + " time");
    if (option == "softoff") {
      device.sleep(now);
      st.soft_off_time = *t;
    } else {
      device.wake(now);
      st.soft_on_time = *t;
    }
    return info(r, "success " + option + ":" + std::to_string(*t));
  }
  if (option == "workmode") return workmode(a, r, st, device, now);
  if (option == "led") return led(a, r, st);
  if (option == "setpool") return setpool(a, r, st, device);
  if (option == "reboot") {
    device.reboot(now);
    return ok(r);
  }
  if (option == "hashpower") return info(r, "PS[" + ps_vector(r) + "]");
  if (option == "help") return info(r, std::string(kHelp));
  return error(r, "unknown option " + option.substr(0, 24));
}

}  // namespace rigkeeper::drivers::sim::avalon
