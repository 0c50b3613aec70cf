// VNish web API personality: unlock, token check, privileged verbs. Endpoints and bodies as
// public clients send them (notes section 2.5; 256foundation/asic-rs vnish v1_2_0 web.rs):
// POST unlock {"pw"}, POST mining/{pause,resume,stop,start}, POST settings (partial: only the
// sections sent change), POST system/reboot, POST find-miner {"on"}.
#include "drivers/sim/vnish_rest.h"

#include <string>

#include "drivers/sim/vnish_rest_state.h"

namespace rigkeeper::drivers::sim {

namespace {

constexpr std::string_view kPrefix = "/api/v1/";
constexpr std::string_view kPassword = "admin";
constexpr int64_t kUnlockTtlS = 1800;

HttpReply error(int status, std::string_view message) {
  return HttpReply::json(status, Json{{"err", message}}.dump());
}

Json body_of(const HttpRequest& req) {
  auto j = Json::parse(req.body, nullptr, false);
  return j.is_discarded() ? Json() : j;
}

HttpReply unlock(const HttpRequest& req, AsicDevice& device, int64_t now_unix) {
  const Json b = body_of(req);
  if (!b.is_object() || !b.contains("pw") || !b["pw"].is_string()) return error(400, "pw required");
  if (b["pw"].get<std::string>() != kPassword) return error(403, "wrong password");
  auto& st = vnish_state(device);
  const std::string token = "vn" + device.identity().miner_id.substr(0, 10) +
                            std::to_string(++st.issued) + std::to_string(now_unix % 10000);
  st.tokens[token] = now_unix + kUnlockTtlS;
  return HttpReply::json(200, Json{{"token", token}}.dump());
}

bool authorized(const HttpRequest& req, AsicDevice& device, int64_t now_unix) {
  auto h = req.header("authorization");
  if (!h) return false;
  std::string token = *h;
  if (token.starts_with("Bearer ")) token = token.substr(7);
  auto& st = vnish_state(device);
  auto it = st.tokens.find(token);
  if (it == st.tokens.end()) return false;
  if (it->second <= now_unix) {
    st.tokens.erase(it);
    return false;
  }
  return true;
}

HttpReply apply_settings(const Json& b, AsicDevice& device, SimTime now) {
  if (!b.is_object()) return error(400, "settings object required");
  auto& st = vnish_state(device);
  const Json* miner = b.contains("miner") && b["miner"].is_object() ? &b["miner"] : nullptr;
  if (miner != nullptr && miner->contains("overclock") && (*miner)["overclock"].is_object() &&
      (*miner)["overclock"].contains("preset")) {
    const Json& p = (*miner)["overclock"]["preset"];
    if (!p.is_string()) return error(400, "preset must be a string");
    const std::string name = p.get<std::string>();
    bool found = false;
    for (const auto& preset : vnish_presets(*device.identity().model)) {
      if (preset.name != name) continue;
      found = true;
      device.set_power_target(
          now, name == "disabled" ? std::nullopt : std::optional<double>(preset.watts));
    }
    if (!found) return error(400, "unknown preset");
    st.preset = name;
  }
  if (miner != nullptr && miner->contains("pools") && (*miner)["pools"].is_array() &&
      !(*miner)["pools"].empty()) {
    const Json& p = (*miner)["pools"][0];
    if (!p.is_object() || !p.contains("url") || !p["url"].is_string()) return error(400, "url");
    device.set_pool(now, PoolConfig{p["url"].get<std::string>(), p.value("user", std::string())});
  }
  return HttpReply::json(200, Json{{"restart_required", false}, {"reboot_required", false}}.dump());
}

HttpReply privileged(std::string_view path, const HttpRequest& req, AsicDevice& device,
                     SimTime now) {
  auto& st = vnish_state(device);
  if (path == "mining/pause" || path == "mining/stop") {
    st.stopped = path == "mining/stop";
    device.sleep(now);
    return HttpReply::json(200, "{}");
  }
  if (path == "mining/resume" || path == "mining/start") {
    device.wake(now);
    return HttpReply::json(200, "{}");
  }
  if (path == "mining/restart" || path == "system/reboot") {
    device.reboot(now);
    return HttpReply::json(200, "{}");
  }
  const Json b = body_of(req);
  if (path == "find-miner") {
    st.find_miner = b.is_object() && b.contains("on") && b["on"].is_boolean() ? b["on"].get<bool>()
                                                                              : !st.find_miner;
    return HttpReply::json(200, Json{{"on", st.find_miner}}.dump());
  }
  if (path == "settings") return apply_settings(b, device, now);
  return error(404, "not found");
}

class VnishRest final : public WebResponder {
 public:
  std::string_view name() const override { return "vnish-rest"; }
  uint16_t default_port() const override { return 80; }
  std::string_view config_key() const override { return "web_port"; }

  HttpReply respond(const HttpRequest& req, AsicDevice& device, SimTime now,
                    int64_t now_unix) const override {
    const std::string_view full = req.path();
    if (!full.starts_with(kPrefix)) {
      return HttpReply::text(200, "<html><title>AnthillOS</title></html>", "text/html");
    }
    const std::string_view path = full.substr(kPrefix.size());
    if (req.method == "GET") {
      Json j = vnish_rest_read(path, device, now, now_unix);
      if (j.is_null()) return error(404, "not found");
      return HttpReply::json(200, j.dump());
    }
    if (req.method != "POST") return error(405, "method not allowed");
    if (path == "unlock") return unlock(req, device, now_unix);
    if (!authorized(req, device, now_unix)) return error(401, "unauthorized");
    return privileged(path, req, device, now);
  }

  std::vector<std::pair<std::string, std::string>> config_options(
      const AsicDevice& /*device*/) const override {
    return {{"web_password", std::string(kPassword)}};
  }
};

}  // namespace

const WebResponder& vnish_rest() {
  static const VnishRest instance;
  return instance;
}

}  // namespace rigkeeper::drivers::sim
