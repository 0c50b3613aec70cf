#include "drivers/sim/antminer_web.h"

#include <nlohmann/json.hpp>

#include "drivers/sim/power_profile.h"

namespace rigkeeper::drivers::sim {

namespace {

using Json = nlohmann::json;

// Low-power mode runs this many 25 MHz steps below the stock clock.
constexpr int kLowPowerStep = -4;

// The per-device state of the web CGI: the saved config and the locate LED.
struct AntminerWebState {
  bool initialised = false;
  int boots_seen = 0;
  Json conf;
  bool blinking = false;
};

Json initial_conf(const AsicDevice& device) {
  Json pools = Json::array();
  for (const auto& p : device.pools()) {
    if (pools.size() == 3) break;
    pools.push_back({{"url", p.url}, {"user", p.user}, {"pass", "x"}});
  }
  return {{"pools", pools},
          {"api-listen", true},
          {"api-network", true},
          {"api-groups", "A:stats:pools:devs:summary:version"},
          {"api-allow", "A:0/0,W:*"},
          {"bitmain-fan-ctrl", false},
          {"bitmain-fan-pwm", "100"},
          {"bitmain-use-vil", true},
          {"bitmain-freq", std::to_string(device.identity().model->freq_mhz)},
          {"bitmain-voltage", "1400"},
          {"bitmain-ccdelay", "0"},
          {"bitmain-pwth", "0"},
          {"bitmain-work-mode", "0"},
          {"bitmain-freq-level", "100"}};
}

// Brings the saved state up to date: first use, and what a reboot loses (the work mode).
AntminerWebState& state_of(AsicDevice& device, SimTime now) {
  auto& s = device.extension<AntminerWebState>();
  if (!s.initialised) {
    s.initialised = true;
    s.boots_seen = device.boots();
    s.conf = initial_conf(device);
  }
  if (device.boots() != s.boots_seen) {
    s.boots_seen = device.boots();
    s.blinking = false;
    if (s.conf.value("bitmain-work-mode", "0") != "0") {
      s.conf["bitmain-work-mode"] = "0";
      device.wake(now);
      device.set_profile(now, "default");
    }
  }
  // Pools changed by another path (control port) show up in the config.
  if (!device.pools().empty() && s.conf["pools"].is_array() && !s.conf["pools"].empty() &&
      s.conf["pools"][0].value("url", "") != device.pools().front().url) {
    s.conf["pools"] = initial_conf(device)["pools"];
  }
  return s;
}

// "miner-mode" (newer firmware, int or string) wins over "bitmain-work-mode" (older).
std::optional<int> requested_mode(const Json& body) {
  for (const char* key : {"miner-mode", "bitmain-work-mode"}) {
    auto it = body.find(key);
    if (it == body.end()) continue;
    if (it->is_number_integer()) {
      const auto n = it->get<int64_t>();
      return n == 0 || n == 1 || n == 3 ? static_cast<int>(n) : -1;
    }
    if (it->is_string()) {
      const auto& s = it->get_ref<const std::string&>();
      if (s == "0" || s == "1" || s == "3") return s[0] - '0';
    }
    return -1;
  }
  return std::nullopt;
}

HttpReply result(bool ok, const std::string& code, const std::string& msg) {
  return HttpReply::json(
      200, Json{{"stats", ok ? "success" : "error"}, {"code", code}, {"msg", msg}}.dump());
}

void apply_mode(AsicDevice& device, AntminerWebState& s, int mode, SimTime now) {
  const std::string before = s.conf.value("bitmain-work-mode", "0");
  s.conf["bitmain-work-mode"] = std::to_string(mode);
  if (mode == 1) {
    device.sleep(now);
    return;
  }
  if (before == "1") device.wake(now);
  if (mode == 3) {
    device.set_profile(now, profile_at(*device.identity().model, kLowPowerStep).name);
  } else if (before == "3") {
    device.set_profile(now, "default");
  }
}

HttpReply set_conf(const HttpRequest& request, AsicDevice& device, AntminerWebState& s,
                   SimTime now) {
  Json body = Json::parse(request.body, nullptr, false);
  if (!body.is_object()) return result(false, "M001", "Illegal json!");
  const auto mode = requested_mode(body);
  if (mode && *mode < 0) return result(false, "M002", "Illegal work mode!");
  if (auto pools = body.find("pools"); pools != body.end()) {
    if (!pools->is_array() || pools->size() > 3) return result(false, "M003", "Illegal pools!");
    for (const auto& p : *pools) {
      if (!p.is_object() || !p.value("url", Json()).is_string()) {
        return result(false, "M003", "Illegal pools!");
      }
    }
    s.conf["pools"] = *pools;
    if (!pools->empty() && !pools->front().value("url", std::string()).empty()) {
      const auto& first = pools->front();
      device.set_pool(
          now, PoolConfig{first.value("url", std::string()), first.value("user", std::string())});
    }
  }
  for (const char* key : {"bitmain-fan-ctrl", "bitmain-fan-pwm", "bitmain-freq-level"}) {
    if (body.contains(key)) s.conf[key] = body[key];
  }
  if (mode) apply_mode(device, s, *mode, now);
  return result(true, "M000", "OK!");
}

HttpReply system_info(const AsicDevice& device) {
  const auto& id = device.identity();
  return HttpReply::json(200, Json{{"minertype", id.model->name},
                                   {"nettype", "DHCP"},
                                   {"netdevice", "eth0"},
                                   {"macaddr", id.mac},
                                   {"hostname", id.hostname},
                                   {"ipaddress", id.ip},
                                   {"netmask", "255.0.0.0"},
                                   {"gateway", ""},
                                   {"dnsservers", ""},
                                   {"system_mode", "GNU/Linux"},
                                   {"system_kernel_version", "Linux 4.9.113 #1 SMP PREEMPT"},
                                   {"system_filesystem_version", "Sim-1.0(rigkeeper-sim)"},
                                   {"firmware_type", "Release"},
                                   {"serinum", id.serial}}
                                  .dump());
}

std::optional<bool> blink_flag(const Json& body) {
  auto it = body.find("blink");
  if (it == body.end()) return std::nullopt;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_string()) {
    if (*it == "true") return true;
    if (*it == "false") return false;
  }
  return std::nullopt;
}

}  // namespace

HttpReply AntminerWeb::respond(const HttpRequest& request, AsicDevice& device, SimTime now,
                               int64_t now_unix) const {
  const DigestRealm realm{std::string(kAntminerRealm), std::string(kAntminerWebUser),
                          std::string(kAntminerWebPassword), device.identity().serial, 300};
  if (!realm.authorized(request, now_unix)) return realm.challenge(now_unix);
  auto& s = state_of(device, now);
  const auto path = request.path();
  if (path == "/cgi-bin/get_system_info.cgi") return system_info(device);
  if (path == "/cgi-bin/get_miner_conf.cgi") return HttpReply::json(200, s.conf.dump());
  if (path == "/cgi-bin/get_blink_status.cgi") {
    return HttpReply::json(200, Json{{"blink", s.blinking}}.dump());
  }
  if (path == "/cgi-bin/set_miner_conf.cgi") {
    if (request.method != "POST") return HttpReply::text(405, "method not allowed\n");
    return set_conf(request, device, s, now);
  }
  if (path == "/cgi-bin/blink.cgi") {
    const auto flag = blink_flag(Json::parse(request.body, nullptr, false));
    if (!flag) return HttpReply::json(200, Json{{"code", "B001"}}.dump());
    s.blinking = *flag;
    return HttpReply::json(200, Json{{"code", "B000"}}.dump());
  }
  if (path == "/cgi-bin/reboot.cgi") {
    device.reboot(now);
    // Stock firmware keeps no work mode over a reboot: it boots in normal mode and hashes.
    s.boots_seen = device.boots();
    s.blinking = false;
    if (s.conf.value("bitmain-work-mode", "0") != "0") {
      s.conf["bitmain-work-mode"] = "0";
      device.wake(now);
      device.set_profile(now, "default");
    }
    return HttpReply::json(200, Json{{"code", "R000"}}.dump());
  }
  return HttpReply::text(404, "404 - Not Found\n", "text/html");
}

std::vector<std::pair<std::string, std::string>> AntminerWeb::config_options(
    const AsicDevice& device) const {
  (void)device;
  return {{"web_user", std::string(kAntminerWebUser)},
          {"web_password", std::string(kAntminerWebPassword)}};
}

const WebResponder& antminer_web() {
  static const AntminerWeb kWeb;
  return kWeb;
}

}  // namespace rigkeeper::drivers::sim
