#include "drivers/asic/antminer/web_conf.h"

namespace rigkeeper::drivers::antminer {

namespace {

using Json = nlohmann::json;

std::optional<WorkMode> mode_of(const Json& value) {
  int n = -1;
  if (value.is_number_integer()) {
    n = value.get<int>();
  } else if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (s.size() == 1 && s[0] >= '0' && s[0] <= '9') n = s[0] - '0';
  }
  switch (n) {
    case 0:
      return WorkMode::kNormal;
    case 1:
      return WorkMode::kSleep;
    case 3:
      return WorkMode::kLowPower;
    default:
      return std::nullopt;
  }
}

std::string string_field(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string_view to_string(WorkMode mode) {
  switch (mode) {
    case WorkMode::kSleep:
      return "sleep";
    case WorkMode::kLowPower:
      return "low_power";
    case WorkMode::kNormal:
      break;
  }
  return "normal";
}

std::optional<WorkMode> parse_work_mode(std::string_view name) {
  if (name == "normal") return WorkMode::kNormal;
  if (name == "sleep") return WorkMode::kSleep;
  if (name == "low_power" || name == "low") return WorkMode::kLowPower;
  return std::nullopt;
}

Result<MinerConf> parse_miner_conf(std::string_view body) {
  Json j = Json::parse(body, nullptr, false);
  if (!j.is_object()) return fail(Errc::kProtocol, "get_miner_conf reply is not a JSON object");
  MinerConf conf;
  // Newer firmware may report "miner-mode" as well; the stored "bitmain-work-mode" wins.
  for (const char* key : {"bitmain-work-mode", "miner-mode"}) {
    if (auto it = j.find(key); it != j.end()) {
      conf.mode = mode_of(*it);
      break;
    }
  }
  if (auto it = j.find("pools"); it != j.end() && it->is_array()) {
    for (const auto& p : *it) {
      if (!p.is_object()) continue;
      WebPool pool{string_field(p, "url"), string_field(p, "user")};
      if (!pool.url.empty()) conf.pools.push_back(std::move(pool));
    }
  }
  conf.raw = std::move(j);
  return conf;
}

Json conf_with_mode(const MinerConf& conf, WorkMode mode) {
  Json out = conf.raw;
  const int n = static_cast<int>(mode);
  out["miner-mode"] = n;                         // newer firmware reads this
  out["bitmain-work-mode"] = std::to_string(n);  // older firmware reads this
  return out;
}

Json conf_with_pool(const MinerConf& conf, const std::string& url, const std::string& user,
                    const std::string& password) {
  Json out = conf.raw;
  Json pools = Json::array();
  pools.push_back({{"url", url}, {"user", user}, {"pass", password}});
  if (auto it = conf.raw.find("pools"); it != conf.raw.end() && it->is_array()) {
    for (const auto& p : *it) {
      if (pools.size() == 3) break;
      if (!p.is_object() || string_field(p, "url").empty()) continue;
      if (string_field(p, "url") == url && string_field(p, "user") == user) continue;
      pools.push_back(p);
    }
  }
  out["pools"] = std::move(pools);
  // Keep the work mode as it is: older firmware resets a missing mode to normal.
  if (conf.mode) out["miner-mode"] = static_cast<int>(*conf.mode);
  return out;
}

Result<void> check_set_reply(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return {};
  Json j = Json::parse(body, nullptr, false);
  if (!j.is_object()) return fail(Errc::kProtocol, "set_miner_conf reply is not a JSON object");
  const std::string stats = string_field(j, "stats");
  if (stats == "success") return {};
  const std::string code = string_field(j, "code");
  const std::string msg = string_field(j, "msg");
  return fail(Errc::kDeviceError,
              "set_miner_conf refused: " + (code.empty() ? std::string("no code") : code) +
                  (msg.empty() ? std::string() : " " + msg.substr(0, 120)));
}

std::optional<bool> parse_blink_status(std::string_view body) {
  Json j = Json::parse(body, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  auto it = j.find("blink");
  if (it == j.end()) return std::nullopt;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_string()) {
    if (*it == "true") return true;
    if (*it == "false") return false;
  }
  return std::nullopt;
}

}  // namespace rigkeeper::drivers::antminer
