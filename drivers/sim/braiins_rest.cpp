// Braiins OS+ 25.07 public REST API personality: login, token check, control verbs. Paths and
// bodies as 256foundation/asic-rs' v25_07 backend sends them (PUT actions/pause|resume|reboot,
// PUT actions/locate <bool>, PUT performance/power-target {"watt"}, PUT pools/batch [groups]);
// `timeout_s` in the login reply as the bos-plus-api LoginResponse carries it.
#include "drivers/sim/braiins_rest.h"

#include <string>

#include "drivers/sim/braiins_rest_state.h"

namespace rigkeeper::drivers::sim {

namespace {

constexpr std::string_view kPrefix = "/api/v1/";
constexpr std::string_view kUser = "root";
constexpr std::string_view kPassword = "root";
constexpr int64_t kTokenTtlS = 3600;

HttpReply error(int status, std::string_view message) {
  return HttpReply::json(status, Json{{"message", message}}.dump());
}

Json body_of(const HttpRequest& req) {
  auto j = Json::parse(req.body, nullptr, false);
  return j.is_discarded() ? Json() : j;
}

BraiinsRestState& state_of(AsicDevice& device) { return braiins_rest_state(device); }

HttpReply login(const HttpRequest& req, AsicDevice& device, int64_t now_unix) {
  const Json b = body_of(req);
  if (!b.is_object() || !b.contains("username") || !b.contains("password") ||
      !b["username"].is_string() || !b["password"].is_string()) {
    return error(400, "username and password required");
  }
  if (b["username"].get<std::string>() != kUser || b["password"].get<std::string>() != kPassword) {
    return error(401, "Invalid credentials");
  }
  auto& st = state_of(device);
  const std::string token = "bos" + device.identity().miner_id.substr(0, 8) +
                            std::to_string(++st.issued) + std::to_string(now_unix % 100000);
  st.tokens[token] = now_unix + kTokenTtlS;
  return HttpReply::json(200, Json{{"timeout_s", kTokenTtlS}, {"token", token}}.dump());
}

bool authorized(const HttpRequest& req, AsicDevice& device, int64_t now_unix) {
  auto h = req.header("authorization");
  if (!h) return false;
  auto& st = state_of(device);
  auto it = st.tokens.find(*h);
  if (it == st.tokens.end()) return false;
  if (it->second <= now_unix) {
    st.tokens.erase(it);
    return false;
  }
  return true;
}

HttpReply control(std::string_view path, const HttpRequest& req, AsicDevice& device, SimTime now) {
  if (path == "actions/pause") {
    device.sleep(now);
    return HttpReply::json(200, "{}");
  }
  if (path == "actions/resume") {
    device.wake(now);
    return HttpReply::json(200, "{}");
  }
  if (path == "actions/reboot") {
    device.reboot(now);
    return HttpReply::json(200, "{}");
  }
  const Json b = body_of(req);
  if (path == "actions/locate") {
    if (!b.is_boolean()) return error(400, "expected a boolean");
    state_of(device).locate = b.get<bool>();
    return HttpReply::json(200, Json(b.get<bool>()).dump());
  }
  if (path == "performance/power-target") {
    if (!b.is_object() || !b.contains("watt") || !b["watt"].is_number()) {
      return error(400, "watt required");
    }
    const double w = b["watt"].get<double>();
    const double nominal = device.identity().model->nominal_power_w();
    if (w < nominal * 0.3 || w > nominal * 1.3) return error(400, "power target out of range");
    device.set_power_target(now, w);
    return HttpReply::json(200, Json{{"watt", static_cast<int64_t>(w)}}.dump());
  }
  if (path == "pools/batch") {
    if (!b.is_array() || b.empty() || !b[0].is_object() || !b[0].contains("pools") ||
        !b[0]["pools"].is_array() || b[0]["pools"].empty()) {
      return error(400, "pool groups required");
    }
    const Json& p = b[0]["pools"][0];
    if (!p.is_object() || !p.contains("url") || !p["url"].is_string()) return error(400, "url");
    device.set_pool(now, PoolConfig{p["url"].get<std::string>(), p.value("user", std::string())});
    return HttpReply::json(200, "{}");
  }
  return error(404, "Not Found");
}

class BraiinsRest final : public WebResponder {
 public:
  std::string_view name() const override { return "braiins-rest"; }
  uint16_t default_port() const override { return 80; }
  std::string_view config_key() const override { return "rest_port"; }

  HttpReply respond(const HttpRequest& req, AsicDevice& device, SimTime now,
                    int64_t now_unix) const override {
    const std::string_view full = req.path();
    if (!full.starts_with(kPrefix))
      return HttpReply::text(200, "<title>Braiins OS</title>", "text/html");
    const std::string_view path = full.substr(kPrefix.size());
    if (path == "auth/login" && req.method == "POST") return login(req, device, now_unix);
    if (!authorized(req, device, now_unix)) return error(401, "Unauthorized");
    if (req.method == "GET") {
      Json j = braiins_rest_read(path, device, now, now_unix);
      if (j.is_null()) return error(404, "Not Found");
      return HttpReply::json(200, j.dump());
    }
    if (req.method == "PUT" || req.method == "POST") return control(path, req, device, now);
    return error(405, "Method Not Allowed");
  }

  std::vector<std::pair<std::string, std::string>> config_options(
      const AsicDevice& /*device*/) const override {
    return {{"username", std::string(kUser)}, {"password", std::string(kPassword)}};
  }
};

}  // namespace

const WebResponder& braiins_rest() {
  static const BraiinsRest instance;
  return instance;
}

}  // namespace rigkeeper::drivers::sim
