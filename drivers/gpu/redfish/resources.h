#pragma once
/// Pure parsers of the Redfish resources the redfish driver reads: the service root, a
/// collection, a ComputerSystem, a Processor and its ProcessorMetrics, a Chassis with its
/// Power / Thermal (older schemas) or EnvironmentMetrics / Controls / ThermalSubsystem fans
/// (newer ones). JSON in, typed values out; a field the BMC lacks or sends with the wrong type
/// is nullopt, never an invented 0.
///
/// Thread-safety: pure functions on values.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/api/result.h"

namespace rigkeeper::drivers::redfish {

using Json = nlohmann::json;

/// Parses a resource body (size already capped by the transport). kProtocol when it is not a
/// JSON object; `uri` names the resource in the message.
Result<Json> parse_body(std::string_view body, std::string_view uri);

/// obj[key]["@odata.id"] when it is a string.
std::optional<std::string> link(const Json& obj, std::string_view key);
/// The @odata.id of each member of a collection (Members[]), at most `cap`.
std::vector<std::string> members(const Json& collection, size_t cap = 64);
/// A number at obj[key] (nullopt when absent, null or not a number).
std::optional<double> number(const Json& obj, std::string_view key);
std::optional<std::string> string(const Json& obj, std::string_view key);

struct ServiceRoot {
  std::optional<std::string> systems;   ///< link to the Systems collection
  std::optional<std::string> chassis;   ///< link to the Chassis collection
  std::optional<std::string> sessions;  ///< Links.Sessions (SessionService/Sessions)
  std::optional<std::string> vendor;
  std::optional<std::string> product;
  std::optional<std::string> redfish_version;
};
/// kProtocol when neither Systems nor Chassis is linked (not a Redfish service root).
Result<ServiceRoot> parse_service_root(const Json& j);

struct SystemInfo {
  std::string uri;
  std::optional<std::string> id;
  std::optional<std::string> manufacturer;
  std::optional<std::string> model;
  std::optional<std::string> power_state;  ///< On, Off, PoweringOn, PoweringOff, Paused
  std::optional<std::string> health;       ///< Status.Health: OK, Warning, Critical
  std::optional<std::string> bios_version;
  std::optional<std::string> processors;  ///< link to the Processors collection
  std::vector<std::string> chassis;       ///< Links.Chassis[]
  std::optional<std::string> reset_target;
  std::vector<std::string> reset_types;          ///< ResetType@Redfish.AllowableValues, if inline
  std::optional<std::string> reset_action_info;  ///< @Redfish.ActionInfo link, if given
  std::optional<std::string> indicator_led;      ///< deprecated IndicatorLED
  std::optional<bool> location_indicator_active;
};
SystemInfo parse_system(const Json& j, std::string uri);

/// AllowableValues of the ResetType parameter in an ActionInfo resource.
std::vector<std::string> parse_reset_action_info(const Json& j);
/// The ResetType to use for a reboot: GracefulRestart, else ForceRestart, else PowerCycle;
/// with no list known, GracefulRestart. nullopt when the list offers none of them.
std::optional<std::string> pick_reset_type(const std::vector<std::string>& allowed);

struct ProcessorInfo {
  std::string uri;
  bool is_gpu = false;  ///< ProcessorType == "GPU"
  std::optional<std::string> id;
  std::optional<std::string> uuid;
  std::optional<std::string> model;
  std::optional<std::string> manufacturer;
  std::optional<std::string> state;   ///< Status.State: Enabled, Absent, UnavailableOffline
  std::optional<std::string> health;  ///< Status.Health
  std::optional<double> mem_total_mib;
  std::optional<std::string> metrics;  ///< link to ProcessorMetrics
};
ProcessorInfo parse_processor(const Json& j, std::string uri);

struct ProcessorMetricsInfo {
  std::optional<double> temp_c;            ///< TemperatureCelsius (older ProcessorMetrics)
  std::optional<double> power_w;           ///< ConsumedPowerWatt (older) or Oem.Nvidia power
  std::optional<double> util_pct;          ///< BandwidthPercent, or Oem.Nvidia SMUtilizationPercent
  std::optional<int64_t> ecc_corrected;    ///< CacheMetricsTotal.LifeTime / MemorySummary
  std::optional<int64_t> ecc_uncorrected;  ///< same
  std::optional<double> power_limit_w;     ///< Oem.Rigkeeper / PowerLimitWatts if present
  std::vector<std::string> throttle_reasons;  ///< Oem.Nvidia.ThrottleReasons less "NA"/"None"
};
ProcessorMetricsInfo parse_processor_metrics(const Json& j);

struct ChassisInfo {
  std::string uri;
  std::optional<std::string> id;
  std::optional<std::string> manufacturer;
  std::optional<std::string> model;
  std::optional<std::string> power;    ///< Power (deprecated schema)
  std::optional<std::string> thermal;  ///< Thermal (deprecated schema)
  std::optional<std::string> environment_metrics;
  std::optional<std::string> controls;
  std::optional<std::string> thermal_subsystem;
  std::optional<std::string> indicator_led;
  std::optional<bool> location_indicator_active;
};
ChassisInfo parse_chassis(const Json& j, std::string uri);

/// Power (deprecated): the first PowerControl that reports a consumption.
struct PowerInfo {
  std::optional<double> power_w;        ///< PowerControl[i].PowerConsumedWatts
  std::optional<double> limit_w;        ///< PowerControl[i].PowerLimit.LimitInWatts
  std::optional<size_t> control_index;  ///< i, for a PATCH of the limit
};
PowerInfo parse_power(const Json& j);

/// Thermal (deprecated): temperatures and fan speeds in RPM (fans in percent are skipped).
struct ThermalInfo {
  std::vector<double> temps_c;
  std::vector<double> fans_rpm;
};
ThermalInfo parse_thermal(const Json& j);

/// EnvironmentMetrics: PowerWatts.Reading, TemperatureCelsius.Reading,
/// PowerLimitWatts.SetPoint, FanSpeedsPercent[].SpeedRPM.
struct EnvironmentInfo {
  std::optional<double> power_w;
  std::optional<double> temp_c;
  std::optional<double> limit_w;
  std::optional<std::string> limit_control;  ///< PowerLimitWatts.DataSourceUri
  std::vector<double> fans_rpm;
};
EnvironmentInfo parse_environment_metrics(const Json& j);

/// A Control resource: ControlType "Power" with SetPoint (watts).
struct ControlInfo {
  bool is_power = false;
  std::optional<double> set_point;
  std::optional<double> allowable_min;
  std::optional<double> allowable_max;
};
ControlInfo parse_control(const Json& j);

/// A ThermalSubsystem Fan: SpeedPercent.SpeedRPM (nullopt when only a percent is given).
std::optional<double> parse_fan_rpm(const Json& j);

}  // namespace rigkeeper::drivers::redfish
