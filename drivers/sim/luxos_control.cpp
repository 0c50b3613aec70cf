// LuxOS session and control commands in the simulator (see luxos_control.h).
#include "drivers/sim/luxos_control.h"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdio>

#include "drivers/sim/luxos_replies.h"
#include "drivers/sim/noise.h"

namespace rigkeeper::drivers::sim::luxos {

namespace {

constexpr int kCodeNoSession = 401;
constexpr int kCodeSessionActive = 402;  // luxos-tooling asyncops.logon checks this code
constexpr int kCodeBadParameter = 403;
constexpr int kCodeCurtail = 335;  // LuxOS docs example
constexpr int kCodeAtm = 339;

Json error(const DeviceReading& r, int code, std::string_view msg) {
  return error_reply(code, msg, kDescription, r.when_unix);
}

std::vector<std::string> split(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t comma = s.find(',', start);
    out.emplace_back(s.substr(start, comma == std::string_view::npos ? s.npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

// Ends a session that timed out or did not survive a reboot.
void expire(FirmwareState& st, const AsicDevice& device, SimTime now) {
  if (st.session_id.empty()) return;
  if (device.boots() != st.session_boot) {
    st.session_id.clear();
  } else if (now - st.last_used >= st.session_timeout) {
    st.expired_id = st.session_id;
    st.session_id.clear();
  }
}

Json session_reply(const DeviceReading& r, int code, std::string_view msg, const std::string& id) {
  Json s = Json::object();
  s["SessionID"] = id;
  return reply(r, code, msg, "SESSION", Json::array({s}));
}

Json logon(const DeviceReading& r, FirmwareState& st, const AsicDevice& device, SimTime now) {
  if (!st.session_id.empty()) return error(r, kCodeSessionActive, "Another session is active");
  char id[16];
  std::snprintf(id, sizeof id, "%08llx",
                static_cast<unsigned long long>(hash_of({r.identity->noise_key, ++st.next_token}) &
                                                0xffffffffULL));
  st.session_id = id;
  st.expired_id.clear();
  st.last_used = now;
  st.session_boot = device.boots();
  ++st.logons;
  return session_reply(r, 300, "Session created", st.session_id);
}

// Checks the session id in front of a privileged command's parameters; on success returns
// nullopt and drops the id from `args`.
std::optional<Json> check_session(const DeviceReading& r, FirmwareState& st,
                                  std::vector<std::string>& args, SimTime now) {
  const std::string given = args.empty() ? "" : args.front();
  if (!st.session_id.empty() && given == st.session_id) {
    st.last_used = now;
    args.erase(args.begin());
    return std::nullopt;
  }
  if (!given.empty() && given == st.expired_id)
    return error(r, kCodeNoSession, "Session timed out: log on again");
  return error(r, kCodeNoSession, "Invalid session id");
}

Json ok(const DeviceReading& r, int code, std::string_view msg, std::string_view section,
        Json entry) {
  return reply(r, code, msg, section, Json::array({std::move(entry)}));
}

Json curtail(const DeviceReading& r, const std::vector<std::string>& args, AsicDevice& device,
             SimTime now) {
  const std::string action = args.empty() ? "" : args.front();
  Json a = Json::object();
  if (action == "sleep") {
    device.sleep(now);
    a["Action"] = "sleep mode";
  } else if (action == "wakeup") {
    device.wake(now);
    a["Action"] = "wake up";
  } else {
    return error(r, kCodeBadParameter, "Invalid curtail action '" + action.substr(0, 32) + "'");
  }
  return ok(r, kCodeCurtail, "Curtailment command sent", "CURTAIL", std::move(a));
}

Json profileset(const DeviceReading& r, const FirmwareState& st,
                const std::vector<std::string>& args, AsicDevice& device, SimTime now) {
  // `<sid>,<profile>` (all boards) or pyasic's `<sid>,<board>,<profile>`: the name is last.
  const std::string name = args.empty() ? "" : args.back();
  if (st.atm_enabled) return error(r, kCodeBadParameter, "Cannot set profile while ATM is enabled");
  if (!device.set_profile(now, name))
    return error(r, kCodeBadParameter, "Invalid profile '" + name.substr(0, 32) + "'");
  Json p = Json::object();
  p["Profile"] = name;
  return ok(r, 325, "Profile set", "PROFILE", std::move(p));
}

Json atm(const DeviceReading& r, const FirmwareState& st) {
  Json a = Json::object();
  a["Enabled"] = st.atm_enabled;
  a["MaxProfile"] = "default";
  a["MinProfile"] = "190MHz";
  a["PostRampMinutes"] = 15;
  a["StartupMinutes"] = 15;
  a["TempWindow"] = 7;
  return ok(r, kCodeAtm, "ATM configuration values", "ATM", std::move(a));
}

Json atmset(const DeviceReading& r, FirmwareState& st, const std::vector<std::string>& args) {
  for (const auto& kv : args) {
    if (kv == "enabled=true" || kv == "enabled=false") {
      st.atm_enabled = kv == "enabled=true";
    } else if (kv.rfind("enabled=", 0) == 0) {
      return error(r, kCodeBadParameter, "Invalid value for enabled");
    }
  }
  return atm(r, st);
}

Json ledset(const DeviceReading& r, FirmwareState& st, const std::vector<std::string>& args) {
  if (args.size() != 2 || args[0] != "red" ||
      (args[1] != "on" && args[1] != "off" && args[1] != "blink" && args[1] != "auto"))
    return error(r, kCodeBadParameter, "Usage: ledset <session>,red,on|off|blink|auto");
  st.red_led = args[1];
  Json l = Json::object();
  l["Color"] = "red";
  l["State"] = st.red_led;
  return ok(r, 328, "LED set", "LED", std::move(l));
}

Json addpool(const DeviceReading& r, FirmwareState& st, const std::vector<std::string>& args,
             const AsicDevice& device) {
  if (args.size() < 2 || args[0].empty())
    return error(r, kCodeBadParameter, "Usage: addpool <session>,<url>,<user>[,<password>]");
  st.added_pools.push_back(PoolConfig{args[0], args[1]});
  Json p = Json::object();
  p["POOL"] = static_cast<int>(device.pools().size() + st.added_pools.size() - 1);
  p["URL"] = args[0];
  return ok(r, 55, "Added pool", "POOL", std::move(p));
}

Json switchpool(const DeviceReading& r, FirmwareState& st, const std::vector<std::string>& args,
                AsicDevice& device, SimTime now) {
  const auto& pools = device.pools();
  const size_t total = pools.size() + st.added_pools.size();
  size_t n = total;
  if (args.size() == 1 && !args[0].empty() && args[0].size() < 4 &&
      std::all_of(args[0].begin(), args[0].end(), ::isdigit))
    n = static_cast<size_t>(std::stoi(args[0]));
  if (n >= total) return error(r, kCodeBadParameter, "Invalid pool id");
  if (n < pools.size()) {
    device.set_pool(now, pools[n]);
  } else {
    const auto it = st.added_pools.begin() + static_cast<std::ptrdiff_t>(n - pools.size());
    device.set_pool(now, *it);
    st.added_pools.erase(it);
  }
  Json p = Json::object();
  p["POOL"] = static_cast<int>(n);
  return ok(r, 27, "Switching to pool", "POOL", std::move(p));
}

// `config` and `pools` show what the pure reading cannot: ATM, the LED, added pools.
Json patched_report(std::string_view command, const FirmwareState& st, Json report) {
  if (command == "config" && report.contains("CONFIG") && !report["CONFIG"].empty()) {
    report["CONFIG"][0]["IsAtmEnabled"] = st.atm_enabled;
    report["CONFIG"][0]["RedLed"] = st.red_led;
  }
  if (command == "pools" && report.contains("POOLS") && !report["POOLS"].empty()) {
    auto& list = report["POOLS"];
    const Json model = list.back();
    for (const auto& added : st.added_pools) {
      Json e = model;
      e["POOL"] = static_cast<int>(list.size());
      e["URL"] = added.url;
      e["User"] = added.user;
      if (e.contains("Stratum URL")) e["Stratum URL"] = "";
      if (e.contains("Stratum Active")) e["Stratum Active"] = false;
      if (e.contains("Priority")) e["Priority"] = static_cast<int>(list.size());
      list.push_back(std::move(e));
    }
  }
  return report;
}

}  // namespace

std::optional<Json> control(std::string_view command, std::string_view parameter,
                            const DeviceReading& r, AsicDevice& device, SimTime now,
                            const std::optional<Json>& report) {
  auto& st = device.extension<FirmwareState>();
  expire(st, device, now);
  if (command == "config" || command == "pools") {
    if (!report) return std::nullopt;
    return patched_report(command, st, *report);
  }
  if (command == "atm") return atm(r, st);
  if (command == "logon") return logon(r, st, device, now);
  if (command == "session") return session_reply(r, 301, "Session", st.session_id);

  static constexpr std::string_view kPrivileged[] = {"logoff",  "curtail",   "profileset",
                                                     "atmset",  "ledset",    "rebootdevice",
                                                     "addpool", "switchpool"};
  if (std::find(std::begin(kPrivileged), std::end(kPrivileged), command) == std::end(kPrivileged))
    return std::nullopt;
  auto args = split(parameter);
  if (auto denied = check_session(r, st, args, now)) return denied;

  if (command == "logoff") {
    st.session_id.clear();
    return session_reply(r, 302, "Session ended", "");
  }
  if (command == "curtail") return curtail(r, args, device, now);
  if (command == "profileset") return profileset(r, st, args, device, now);
  if (command == "atmset") return atmset(r, st, args);
  if (command == "ledset") return ledset(r, st, args);
  if (command == "addpool") return addpool(r, st, args, device);
  if (command == "switchpool") return switchpool(r, st, args, device, now);
  if (command == "rebootdevice") {
    device.reboot(now);  // ends the session: boots() changes
    Json b = Json::object();
    b["Action"] = "reboot";
    return ok(r, 333, "Rebooting device", "REBOOT", std::move(b));
  }
  return std::nullopt;
}

}  // namespace rigkeeper::drivers::sim::luxos
