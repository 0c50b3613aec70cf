#include "agent/commands/command.h"

#include <algorithm>
#include <set>

namespace rigkeeper::agent::commands {
namespace {

using nlohmann::json;

bool is_number(const json& v) { return v.is_number() && !v.is_boolean(); }

/// Keys of `params` outside `allowed`, as the reason to reject them (empty when none).
std::string unknown_keys(const json& params, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : params.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      return "unknown param '" + key + "'";
  }
  return {};
}

std::string check_ramp(const json& params) {
  if (!params.contains("ramp_s")) return {};
  const json& r = params["ramp_s"];
  if (!is_number(r) || r.get<double>() < 0 || r.get<double>() > 86400)
    return "params.ramp_s must be a number of seconds from 0 to 86400";
  return {};
}

std::string check_string(const json& params, const char* key, std::size_t max, bool allow_empty) {
  if (!params.contains(key) || !params[key].is_string())
    return std::string("params.") + key + " must be a string";
  const auto& s = params[key].get_ref<const std::string&>();
  if (!allow_empty && s.empty()) return std::string("params.") + key + " must not be empty";
  if (s.size() > max)
    return std::string("params.") + key + " is longer than " + std::to_string(max) + " bytes";
  return {};
}

std::string check_targets(const json& t, const ParseLimits& limits, Targets& out) {
  if (!t.is_object() || t.size() != 1)
    return "targets must be one of {\"all\":true}, {\"devices\":[...]} or {\"kind\":...}";
  if (t.contains("all")) {
    if (t["all"] != true) return "targets.all must be true";
    out.all = true;
    return {};
  }
  if (t.contains("devices")) {
    const json& d = t["devices"];
    if (!d.is_array() || d.empty()) return "targets.devices must be a non-empty array";
    if (d.size() > limits.max_targets) return "targets.devices lists too many devices";
    std::set<std::string> seen;
    for (const json& v : d) {
      if (!v.is_string() || v.get_ref<const std::string&>().empty() ||
          v.get_ref<const std::string&>().size() > 64)
        return "targets.devices must hold device ids (strings of 1 to 64 bytes)";
      if (seen.insert(v.get<std::string>()).second) out.devices.push_back(v.get<std::string>());
    }
    return {};
  }
  if (t.contains("kind")) {
    const json& k = t["kind"];
    auto kind = k.is_string() ? drivers::parse_device_kind(k.get<std::string>()) : std::nullopt;
    if (!kind) return "targets.kind must be \"asic\" or \"gpu_node\"";
    out.kind = kind;
    return {};
  }
  return "targets must be one of {\"all\":true}, {\"devices\":[...]} or {\"kind\":...}";
}

std::optional<Timestamp> read_ts(const json& j, const char* key, std::string& reason) {
  if (!j.contains(key) || !j[key].is_string()) {
    reason = std::string(key) + " must be an RFC 3339 timestamp";
    return std::nullopt;
  }
  auto ts = parse_rfc3339(j[key].get<std::string>());
  if (!ts) {
    reason = std::string(key) + " is not an RFC 3339 timestamp: " + ts.error().message;
    return std::nullopt;
  }
  return *ts;
}

}  // namespace

std::string check_params(std::string_view type, const json& p) {
  if (!p.is_object()) return "params must be an object";
  if (type == "curtail") {
    if (auto r = unknown_keys(p, {"mode", "rack_power_w", "ramp_s"}); !r.empty()) return r;
    const bool mode = p.contains("mode");
    const bool budget = p.contains("rack_power_w");
    if (mode == budget) return "curtail needs exactly one of params.mode or params.rack_power_w";
    if (mode && p["mode"] != "sleep") return "params.mode must be \"sleep\"";
    if (budget && (!is_number(p["rack_power_w"]) || p["rack_power_w"].get<double>() < 0))
      return "params.rack_power_w must be a number of watts >= 0";
    return check_ramp(p);
  }
  if (type == "resume") {
    if (auto r = unknown_keys(p, {"ramp_s"}); !r.empty()) return r;
    return check_ramp(p);
  }
  if (type == "set_power") {
    if (auto r = unknown_keys(p, {"watts"}); !r.empty()) return r;
    if (!p.contains("watts") || !is_number(p["watts"]) || p["watts"].get<double>() <= 0 ||
        p["watts"].get<double>() > 100000)
      return "params.watts must be a number of watts above 0 and at most 100000";
    return {};
  }
  if (type == "switch_pool") {
    if (auto r = unknown_keys(p, {"url", "user", "password"}); !r.empty()) return r;
    if (auto r = check_string(p, "url", 512, false); !r.empty()) return r;
    if (auto r = check_string(p, "user", 256, false); !r.empty()) return r;
    return check_string(p, "password", 256, true);
  }
  if (type == "switch_profile") {
    if (auto r = unknown_keys(p, {"profile"}); !r.empty()) return r;
    return check_string(p, "profile", 64, false);
  }
  if (type == "switch_workload") {
    if (auto r = unknown_keys(p, {"workload"}); !r.empty()) return r;
    const json& w = p.contains("workload") ? p["workload"] : json();
    if (w != "ai" && w != "mining" && w != "idle")
      return "params.workload must be \"ai\", \"mining\" or \"idle\"";
    return {};
  }
  if (type == "reboot") return unknown_keys(p, {});
  if (type == "locate") {
    if (auto r = unknown_keys(p, {"seconds"}); !r.empty()) return r;
    if (p.contains("seconds") && (!is_number(p["seconds"]) || p["seconds"].get<double>() < 1 ||
                                  p["seconds"].get<double>() > 3600))
      return "params.seconds must be a number from 1 to 3600";
    return {};
  }
  if (type == "diagnose") {
    if (auto r = unknown_keys(p, {"level"}); !r.empty()) return r;
    if (p.contains("level") && !p["level"].is_string() && !p["level"].is_number_integer())
      return "params.level must be a string or an integer";
    return {};
  }
  return "unknown command type '" + std::string(type) + "'";
}

std::string peek_id(std::string_view body, std::size_t max_id_bytes) {
  const json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("id") || !j["id"].is_string()) return {};
  const auto& id = j["id"].get_ref<const std::string&>();
  return id.size() <= max_id_bytes ? id : std::string();
}

ParseResult parse_command(std::string_view body, Timestamp now, const ParseLimits& limits) {
  ParseResult out;
  auto reject = [&](std::string reason) {
    out.reason = std::move(reason);
    return out;
  };
  if (body.size() > limits.max_bytes)
    return reject("command is " + std::to_string(body.size()) + " bytes, more than the " +
                  std::to_string(limits.max_bytes) + " allowed");
  const json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return reject("command is not valid JSON");
  if (!j.is_object()) return reject("command must be a JSON object");
  if (!j.contains("id") || !j["id"].is_string() || j["id"].get_ref<const std::string&>().empty())
    return reject("id must be a non-empty string");
  if (j["id"].get_ref<const std::string&>().size() > limits.max_id_bytes)
    return reject("id is longer than " + std::to_string(limits.max_id_bytes) + " bytes");
  out.id = j["id"].get<std::string>();
  for (const auto& [key, value] : j.items()) {
    static const std::set<std::string> kKeys = {"id",         "type",    "issued_at",
                                                "expires_at", "targets", "params"};
    if (!kKeys.count(key)) return reject("unknown field '" + key + "'");
  }
  if (!j.contains("type") || !j["type"].is_string()) return reject("type must be a string");
  const std::string type = j["type"].get<std::string>();
  if (std::find(std::begin(kCommandTypes), std::end(kCommandTypes), type) ==
      std::end(kCommandTypes))
    return reject("unknown command type '" + type + "'");

  Command cmd;
  cmd.id = out.id;
  cmd.type = type;
  std::string reason;
  auto issued = read_ts(j, "issued_at", reason);
  if (!issued) return reject(reason);
  cmd.issued_at = *issued;
  if (cmd.issued_at > now + limits.clock_skew)
    return reject("issued_at " + format_rfc3339(cmd.issued_at) +
                  " is in the future beyond the allowed clock skew of " +
                  std::to_string(limits.clock_skew.count()) + " s");
  if (j.contains("expires_at") && !j["expires_at"].is_null()) {
    auto expires = read_ts(j, "expires_at", reason);
    if (!expires) return reject(reason);
    if (*expires <= now) return reject("expires_at " + format_rfc3339(*expires) + " has passed");
    if (*expires <= cmd.issued_at) return reject("expires_at is not after issued_at");
    cmd.expires_at = expires;
  }
  if (!j.contains("targets")) return reject("targets is missing");
  if (auto r = check_targets(j["targets"], limits, cmd.targets); !r.empty()) return reject(r);
  if (j.contains("params")) cmd.params = j["params"];
  if (auto r = check_params(type, cmd.params); !r.empty()) return reject(r);
  cmd.body = std::string(body);
  out.command = std::move(cmd);
  return out;
}

bool repeatable(std::string_view type) {
  return type == "curtail" || type == "resume" || type == "set_power" || type == "switch_pool" ||
         type == "switch_profile" || type == "locate";
}

}  // namespace rigkeeper::agent::commands
