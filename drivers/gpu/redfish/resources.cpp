#include "drivers/gpu/redfish/resources.h"

#include <algorithm>

namespace rigkeeper::drivers::redfish {
namespace {

const Json* field(const Json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(std::string(key));
  return it == obj.end() ? nullptr : &*it;
}

std::optional<int64_t> integer(const Json& obj, std::string_view key) {
  const Json* v = field(obj, key);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  const double d = v->get<double>();
  if (d < 0 || d > 9.0e18) return std::nullopt;
  return static_cast<int64_t>(d);
}

std::optional<bool> boolean(const Json& obj, std::string_view key) {
  const Json* v = field(obj, key);
  if (v == nullptr || !v->is_boolean()) return std::nullopt;
  return v->get<bool>();
}

const Json& sub(const Json& obj, std::string_view key) {
  static const Json kNull;
  const Json* v = field(obj, key);
  return v == nullptr ? kNull : *v;
}

std::optional<std::string> status_of(const Json& j, std::string_view key) {
  return string(sub(j, "Status"), key);
}

}  // namespace

Result<Json> parse_body(std::string_view body, std::string_view uri) {
  Json j = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return fail(Errc::kProtocol, std::string(uri) + ": not JSON");
  if (!j.is_object()) return fail(Errc::kProtocol, std::string(uri) + ": not a JSON object");
  return j;
}

std::optional<std::string> link(const Json& obj, std::string_view key) {
  return string(sub(obj, key), "@odata.id");
}

std::vector<std::string> members(const Json& collection, size_t cap) {
  std::vector<std::string> out;
  const Json& m = sub(collection, "Members");
  if (!m.is_array()) return out;
  for (const Json& e : m) {
    if (out.size() >= cap) break;
    if (auto id = string(e, "@odata.id")) out.push_back(std::move(*id));
  }
  return out;
}

std::optional<double> number(const Json& obj, std::string_view key) {
  const Json* v = field(obj, key);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  return v->get<double>();
}

std::optional<std::string> string(const Json& obj, std::string_view key) {
  const Json* v = field(obj, key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}

Result<ServiceRoot> parse_service_root(const Json& j) {
  ServiceRoot r;
  r.systems = link(j, "Systems");
  r.chassis = link(j, "Chassis");
  r.sessions = link(sub(j, "Links"), "Sessions");
  r.vendor = string(j, "Vendor");
  r.product = string(j, "Product");
  r.redfish_version = string(j, "RedfishVersion");
  if (!r.systems && !r.chassis) {
    return fail(Errc::kProtocol, "service root links neither Systems nor Chassis");
  }
  return r;
}

SystemInfo parse_system(const Json& j, std::string uri) {
  SystemInfo s;
  s.uri = std::move(uri);
  s.id = string(j, "Id");
  s.manufacturer = string(j, "Manufacturer");
  s.model = string(j, "Model");
  s.power_state = string(j, "PowerState");
  s.health = status_of(j, "Health");
  s.bios_version = string(j, "BiosVersion");
  s.processors = link(j, "Processors");
  const Json& chassis = sub(sub(j, "Links"), "Chassis");
  if (chassis.is_array()) {
    for (const Json& c : chassis) {
      if (auto id = string(c, "@odata.id")) s.chassis.push_back(std::move(*id));
    }
  }
  const Json& reset = sub(sub(j, "Actions"), "#ComputerSystem.Reset");
  s.reset_target = string(reset, "target");
  s.reset_action_info = string(reset, "@Redfish.ActionInfo");
  const Json& allowed = sub(reset, "ResetType@Redfish.AllowableValues");
  if (allowed.is_array()) {
    for (const Json& v : allowed) {
      if (v.is_string()) s.reset_types.push_back(v.get<std::string>());
    }
  }
  s.indicator_led = string(j, "IndicatorLED");
  s.location_indicator_active = boolean(j, "LocationIndicatorActive");
  return s;
}

std::vector<std::string> parse_reset_action_info(const Json& j) {
  std::vector<std::string> out;
  const Json& params = sub(j, "Parameters");
  if (!params.is_array()) return out;
  for (const Json& p : params) {
    if (string(p, "Name") != "ResetType") continue;
    const Json& allowed = sub(p, "AllowableValues");
    if (!allowed.is_array()) continue;
    for (const Json& v : allowed) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

std::optional<std::string> pick_reset_type(const std::vector<std::string>& allowed) {
  if (allowed.empty()) return std::string("GracefulRestart");
  for (const char* want : {"GracefulRestart", "ForceRestart", "PowerCycle"}) {
    if (std::find(allowed.begin(), allowed.end(), want) != allowed.end()) return want;
  }
  return std::nullopt;
}

ProcessorInfo parse_processor(const Json& j, std::string uri) {
  ProcessorInfo p;
  p.uri = std::move(uri);
  p.is_gpu = string(j, "ProcessorType") == "GPU";
  p.id = string(j, "Id");
  p.uuid = string(j, "UUID");
  p.model = string(j, "Model");
  p.manufacturer = string(j, "Manufacturer");
  p.state = status_of(j, "State");
  p.health = status_of(j, "Health");
  p.mem_total_mib = number(sub(j, "MemorySummary"), "TotalMemorySizeMiB");
  p.metrics = link(j, "Metrics");
  return p;
}

ProcessorMetricsInfo parse_processor_metrics(const Json& j) {
  ProcessorMetricsInfo m;
  m.temp_c = number(j, "TemperatureCelsius");
  m.power_w = number(j, "ConsumedPowerWatt");
  const Json& nvidia = sub(sub(j, "Oem"), "Nvidia");
  m.util_pct = number(nvidia, "SMUtilizationPercent");
  if (!m.util_pct) m.util_pct = number(j, "BandwidthPercent");
  const Json& life = sub(sub(j, "CacheMetricsTotal"), "LifeTime");
  m.ecc_corrected = integer(life, "CorrectableECCErrorCount");
  m.ecc_uncorrected = integer(life, "UncorrectableECCErrorCount");
  m.power_limit_w = number(sub(j, "PowerLimitWatts"), "SetPoint");
  const Json& reasons = sub(nvidia, "ThrottleReasons");
  if (reasons.is_array()) {
    for (const Json& r : reasons) {
      if (!r.is_string()) continue;
      const std::string s = r.get<std::string>();
      if (s != "NA" && s != "None" && !s.empty()) m.throttle_reasons.push_back(s);
    }
  }
  return m;
}

ChassisInfo parse_chassis(const Json& j, std::string uri) {
  ChassisInfo c;
  c.uri = std::move(uri);
  c.id = string(j, "Id");
  c.manufacturer = string(j, "Manufacturer");
  c.model = string(j, "Model");
  c.power = link(j, "Power");
  c.thermal = link(j, "Thermal");
  c.environment_metrics = link(j, "EnvironmentMetrics");
  c.controls = link(j, "Controls");
  c.thermal_subsystem = link(j, "ThermalSubsystem");
  c.indicator_led = string(j, "IndicatorLED");
  c.location_indicator_active = boolean(j, "LocationIndicatorActive");
  return c;
}

PowerInfo parse_power(const Json& j) {
  PowerInfo p;
  const Json& controls = sub(j, "PowerControl");
  if (!controls.is_array()) return p;
  for (size_t i = 0; i < controls.size(); ++i) {
    const Json& c = controls[i];
    auto watts = number(c, "PowerConsumedWatts");
    auto limit = number(sub(c, "PowerLimit"), "LimitInWatts");
    if (!watts && !limit) continue;
    p.power_w = watts;
    p.limit_w = limit;
    p.control_index = i;
    break;
  }
  return p;
}

ThermalInfo parse_thermal(const Json& j) {
  ThermalInfo t;
  const Json& temps = sub(j, "Temperatures");
  if (temps.is_array()) {
    for (const Json& s : temps) {
      if (status_of(s, "State") == "Absent") continue;
      if (auto c = number(s, "ReadingCelsius")) t.temps_c.push_back(*c);
    }
  }
  const Json& fans = sub(j, "Fans");
  if (fans.is_array()) {
    for (const Json& f : fans) {
      if (status_of(f, "State") == "Absent") continue;
      auto units = string(f, "ReadingUnits");
      if (units && *units != "RPM") continue;
      // Thermal.v1_0 fans used ReadingRPM before Reading/ReadingUnits.
      auto rpm = number(f, "Reading");
      if (!rpm) rpm = number(f, "ReadingRPM");
      if (rpm) t.fans_rpm.push_back(*rpm);
    }
  }
  return t;
}

EnvironmentInfo parse_environment_metrics(const Json& j) {
  EnvironmentInfo e;
  e.power_w = number(sub(j, "PowerWatts"), "Reading");
  e.temp_c = number(sub(j, "TemperatureCelsius"), "Reading");
  e.limit_w = number(sub(j, "PowerLimitWatts"), "SetPoint");
  e.limit_control = string(sub(j, "PowerLimitWatts"), "DataSourceUri");
  const Json& fans = sub(j, "FanSpeedsPercent");
  if (fans.is_array()) {
    for (const Json& f : fans) {
      if (auto rpm = number(f, "SpeedRPM")) e.fans_rpm.push_back(*rpm);
    }
  }
  return e;
}

ControlInfo parse_control(const Json& j) {
  ControlInfo c;
  c.is_power = string(j, "ControlType") == "Power";
  c.set_point = number(j, "SetPoint");
  c.allowable_min = number(j, "AllowableMin");
  c.allowable_max = number(j, "AllowableMax");
  return c;
}

std::optional<double> parse_fan_rpm(const Json& j) {
  if (status_of(j, "State") == "Absent") return std::nullopt;
  return number(sub(j, "SpeedPercent"), "SpeedRPM");
}

}  // namespace rigkeeper::drivers::redfish
