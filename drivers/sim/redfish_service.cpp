#include "drivers/sim/redfish_service.h"

#include <nlohmann/json.hpp>

namespace rigkeeper::drivers::sim {
namespace {

using Json = nlohmann::json;
constexpr const char* kRoot = "/redfish/v1";

Json odata(const std::string& path) { return Json{{"@odata.id", std::string(kRoot) + path}}; }

HttpReply ok(Json j) { return HttpReply::json(200, j.dump()); }
HttpReply error(int status, const std::string& msg) {
  return HttpReply::json(
      status, Json{{"error", {{"code", "Base.1.0.GeneralError"}, {"message", msg}}}}.dump());
}

std::string base64_decode(std::string_view in) {
  static const std::string chars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0, bits = -8;
  for (char c : in) {
    const auto pos = chars.find(c);
    if (pos == std::string::npos) break;
    val = (val << 6) + static_cast<int>(pos);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((val >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

Json collection(const std::string& path, const std::vector<std::string>& members) {
  Json m = Json::array();
  for (const auto& id : members) m.push_back(odata(path + "/" + id));
  return Json{{"@odata.id", std::string(kRoot) + path},
              {"Members", m},
              {"Members@odata.count", members.size()}};
}

Json system_json(const GpuNode& node, double t) {
  return Json{{"@odata.id", std::string(kRoot) + "/Systems/1"},
              {"@odata.type", "#ComputerSystem.v1_20_0.ComputerSystem"},
              {"Id", "1"},
              {"Manufacturer", "rigkeeper-sim"},
              {"Model", "HGX H100 " + std::to_string(node.gpus().size()) + "-GPU"},
              {"PowerState", node.power_state(t)},
              {"Status", {{"State", "Enabled"}, {"Health", "OK"}}},
              {"BiosVersion", "sim-1." + std::to_string(node.boots())},
              {"LocationIndicatorActive", node.locate},
              {"Processors", odata("/Systems/1/Processors")},
              {"Links", {{"Chassis", Json::array({odata("/Chassis/1")})}}},
              {"Actions",
               {{"#ComputerSystem.Reset",
                 {{"target", std::string(kRoot) + "/Systems/1/Actions/ComputerSystem.Reset"},
                  {"ResetType@Redfish.AllowableValues",
                   {"On", "ForceOff", "GracefulRestart", "ForceRestart"}}}}}}};
}

Json gpu_json(const SimGpu& g) {
  const std::string path = "/Systems/1/Processors/GPU_" + std::to_string(g.index);
  Json status = g.fallen ? Json{{"State", "UnavailableOffline"}, {"Health", "Critical"}}
                         : Json{{"State", "Enabled"}, {"Health", "OK"}};
  return Json{{"@odata.id", std::string(kRoot) + path},
              {"@odata.type", "#Processor.v1_20_0.Processor"},
              {"Id", "GPU_" + std::to_string(g.index)},
              {"ProcessorType", "GPU"},
              {"Manufacturer", "NVIDIA"},
              {"Model", kGpuModel},
              {"UUID", g.uuid.substr(4)},
              {"MemorySummary", {{"TotalMemorySizeMiB", kGpuMemMib}}},
              {"Status", status},
              {"Metrics", odata(path + "/ProcessorMetrics")}};
}

Json gpu_metrics_json(const GpuNode& node, size_t i, double t) {
  const SimGpu& g = node.gpus()[i];
  const GpuSample s = node.sample(i, t);
  Json reasons = Json::array();
  for (const auto& r : s.throttle_reasons) reasons.push_back(r);
  return Json{
      {"@odata.type", "#ProcessorMetrics.v1_6_1.ProcessorMetrics"},
      {"TemperatureCelsius", s.temp_c},
      {"ConsumedPowerWatt", s.power_w},
      {"PowerLimitWatts", {{"SetPoint", g.limit_w}}},
      {"CacheMetricsTotal",
       {{"LifeTime",
         {{"CorrectableECCErrorCount", s.ecc_corrected},
          {"UncorrectableECCErrorCount", g.ecc_uncorrected}}}}},
      {"Oem", {{"Nvidia", {{"SMUtilizationPercent", s.util_pct}, {"ThrottleReasons", reasons}}}}}};
}

Json chassis_json() {
  return Json{{"@odata.id", std::string(kRoot) + "/Chassis/1"},
              {"Id", "1"},
              {"Manufacturer", "rigkeeper-sim"},
              {"EnvironmentMetrics", odata("/Chassis/1/EnvironmentMetrics")},
              {"Controls", odata("/Chassis/1/Controls")},
              {"Power", odata("/Chassis/1/Power")},
              {"Thermal", odata("/Chassis/1/Thermal")},
              {"Links", {{"ComputerSystems", Json::array({odata("/Systems/1")})}}}};
}

Json fans(const GpuNode& node, double t) {
  const double rpm = std::round(3000 + node.power_w(t) * 1.5);
  Json out = Json::array();
  for (int i = 0; i < 6; ++i) {
    out.push_back(Json{{"Name", "Fan " + std::to_string(i)},
                       {"Reading", rpm},
                       {"ReadingUnits", "RPM"},
                       {"Status", {{"State", "Enabled"}}}});
  }
  return out;
}

}  // namespace

bool RedfishService::authorized(const HttpRequest& request) const {
  if (auto token = request.header("x-auth-token")) return tokens_.count(*token) > 0;
  auto auth = request.header("authorization");
  if (!auth || !auth->starts_with("Basic ")) return false;
  return base64_decode(auth->substr(6)) == user_ + ":" + password_;
}

HttpReply RedfishService::respond(const HttpRequest& request, GpuNode& node, double t,
                                  double delay_scale) {
  std::string path(request.path());
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  const std::string& m = request.method;
  if (path == kRoot && m == "GET") {
    return ok(Json{{"@odata.id", kRoot},
                   {"@odata.type", "#ServiceRoot.v1_15_0.ServiceRoot"},
                   {"Id", "RootService"},
                   {"RedfishVersion", "1.15.0"},
                   {"Vendor", "rigkeeper-sim"},
                   {"Product", "HGX H100 sim"},
                   {"Systems", odata("/Systems")},
                   {"Chassis", odata("/Chassis")},
                   {"SessionService", odata("/SessionService")},
                   {"Links", {{"Sessions", odata("/SessionService/Sessions")}}}});
  }
  const std::string sessions = std::string(kRoot) + "/SessionService/Sessions";
  if (path == sessions && m == "POST") {
    Json body = Json::parse(request.body, nullptr, false);
    if (!body.is_object() || body.value("UserName", "") != user_ ||
        body.value("Password", "") != password_) {
      return error(401, "invalid credentials");
    }
    const std::string id = std::to_string(next_session_++);
    const std::string token = "sim-" + node.id() + "-" + id + "-" +
                              std::to_string(std::hash<std::string>{}(node.id() + id));
    tokens_.insert(token);
    HttpReply r = HttpReply::json(
        201, Json{{"@odata.id", sessions + "/" + id}, {"Id", id}, {"UserName", user_}}.dump());
    r.headers.emplace_back("X-Auth-Token", token);
    r.headers.emplace_back("Location", sessions + "/" + id);
    return r;
  }
  if (!authorized(request)) {
    HttpReply r = error(401, "authentication required");
    r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"Redfish\"");
    return r;
  }
  if (path.starts_with(sessions + "/") && m == "DELETE") {
    if (auto token = request.header("x-auth-token")) tokens_.erase(*token);
    return HttpReply::text(204, "");
  }
  if (path == std::string(kRoot) + "/Systems") return ok(collection("/Systems", {"1"}));
  if (path == std::string(kRoot) + "/Chassis") return ok(collection("/Chassis", {"1"}));
  if (path == std::string(kRoot) + "/Systems/1") {
    if (m == "PATCH") {
      Json body = Json::parse(request.body, nullptr, false);
      if (!body.is_object() || !body.contains("LocationIndicatorActive") ||
          !body["LocationIndicatorActive"].is_boolean()) {
        return error(400, "only LocationIndicatorActive (bool) is writable");
      }
      node.locate = body["LocationIndicatorActive"].get<bool>();
      return HttpReply::text(204, "");
    }
    return ok(system_json(node, t));
  }
  if (path == std::string(kRoot) + "/Systems/1/Actions/ComputerSystem.Reset" && m == "POST") {
    Json body = Json::parse(request.body, nullptr, false);
    const std::string type = body.is_object() ? body.value("ResetType", "") : "";
    if (type != "GracefulRestart" && type != "ForceRestart") {
      return error(400, "ResetType " + type + " not supported");
    }
    node.reset(t, delay_scale);
    return HttpReply::text(204, "");
  }
  std::vector<std::string> gpu_ids;
  for (const auto& g : node.gpus()) gpu_ids.push_back("GPU_" + std::to_string(g.index));
  const std::string procs = std::string(kRoot) + "/Systems/1/Processors";
  if (path == procs) return ok(collection("/Systems/1/Processors", gpu_ids));
  for (size_t i = 0; i < node.gpus().size(); ++i) {
    const std::string p = procs + "/" + gpu_ids[i];
    if (path == p) return ok(gpu_json(node.gpus()[i]));
    if (path == p + "/ProcessorMetrics") {
      if (node.gpus()[i].fallen) return error(503, "GPU not responding");
      return ok(gpu_metrics_json(node, i, t));
    }
  }
  const std::string chassis = std::string(kRoot) + "/Chassis/1";
  if (path == chassis) return ok(chassis_json());
  if (path == chassis + "/EnvironmentMetrics") {
    return ok(Json{
        {"PowerWatts", {{"Reading", node.power_w(t)}}},
        {"PowerLimitWatts",
         {{"SetPoint", node.limit_w()}, {"DataSourceUri", chassis + "/Controls/PowerLimit"}}}});
  }
  if (path == chassis + "/Controls") return ok(collection("/Chassis/1/Controls", {"PowerLimit"}));
  if (path == chassis + "/Controls/PowerLimit") {
    if (m == "PATCH") {
      Json body = Json::parse(request.body, nullptr, false);
      if (!body.is_object() || !body.contains("SetPoint") || !body["SetPoint"].is_number() ||
          !node.set_limit_w(body["SetPoint"].get<double>())) {
        return error(400, "SetPoint must be a number of watts within AllowableMin..Max");
      }
      return HttpReply::text(204, "");
    }
    return ok(Json{{"Id", "PowerLimit"},
                   {"ControlType", "Power"},
                   {"SetPoint", node.limit_w()},
                   {"SetPointUnits", "W"},
                   {"AllowableMin", node.min_limit_w()},
                   {"AllowableMax", node.max_limit_w()},
                   {"Sensor", {{"Reading", node.power_w(t)}}}});
  }
  if (path == chassis + "/Power") {
    return ok(Json{{"PowerControl",
                    {{{"MemberId", "0"},
                      {"PowerConsumedWatts", node.power_w(t)},
                      {"PowerLimit", {{"LimitInWatts", node.limit_w()}}}}}}});
  }
  if (path == chassis + "/Thermal") {
    Json temps = Json::array();
    for (size_t i = 0; i < node.gpus().size(); ++i) {
      if (node.gpus()[i].fallen) continue;
      temps.push_back(
          Json{{"Name", gpu_ids[i] + " Temp"}, {"ReadingCelsius", node.sample(i, t).temp_c}});
    }
    return ok(Json{{"Temperatures", temps}, {"Fans", fans(node, t)}});
  }
  return error(404, "no resource " + path);
}

}  // namespace rigkeeper::drivers::sim
