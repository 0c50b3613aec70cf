#pragma once
/// Reads one Redfish node by following @odata.id links from the service root: the chosen
/// ComputerSystem (PowerState, health, reset action), its Processors of type GPU with their
/// ProcessorMetrics, and its Chassis (Power/Thermal or EnvironmentMetrics, Controls and
/// ThermalSubsystem fans). At most `max_resources` GETs per read. Only the service root and
/// the system are required: any other resource that fails becomes a line of `errors` and its
/// fields stay null (vendors differ; a BMC without Thermal still yields GPUs).
///
/// The transport is injected (`Fetch`), so the same code reads a live BMC over HTTP and a
/// mockup tree from disk in the golden tests.
///
/// Thread-safety: one crawl per call; `fetch` is called sequentially on the caller's executor.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "drivers/api/asio.h"
#include "drivers/api/telemetry.h"
#include "drivers/gpu/redfish/resources.h"

namespace rigkeeper::drivers::redfish {

/// GET of one resource path ("/redfish/v1/Systems"), parsed to a JSON object.
using Fetch = std::function<asio::awaitable<Result<Json>>(std::string uri)>;

inline constexpr size_t kDefaultMaxResources = 64;
inline constexpr const char* kServiceRoot = "/redfish/v1";

/// Where the node's power limit can be written.
struct PowerLimitTarget {
  enum class Kind { kPowerControl, kControl } kind = Kind::kControl;
  std::string uri;           ///< Power resource or Control resource
  size_t control_index = 0;  ///< PowerControl[i] (kPowerControl)
  std::optional<double> min_w;
  std::optional<double> max_w;
};

struct NodeRead {
  ServiceRoot root;
  std::vector<std::string> systems;  ///< every system of the service
  SystemInfo system;
  std::optional<ChassisInfo> chassis;
  std::vector<ProcessorInfo> gpus;
  std::vector<std::optional<ProcessorMetricsInfo>> gpu_metrics;  ///< parallel to gpus
  std::optional<double> power_w;                                 ///< node input power
  std::optional<double> power_limit_w;
  std::optional<PowerLimitTarget> limit_target;
  std::vector<double> temps_c;  ///< chassis sensors
  std::vector<double> fans_rpm;
  std::vector<std::string> errors;
  size_t fetched = 0;  ///< resources read
};

/// Reads the node. `system_id` picks a system by its Id or the last segment of its URI
/// (blades, HGX baseboards); nullopt: the first member of Systems.
/// Errors: the service root's or the system's fetch error; kProtocol when the service root
/// is not Redfish or names no system; kInvalidArgument when `system_id` is not among them.
asio::awaitable<Result<NodeRead>> crawl(Fetch fetch, std::optional<std::string> system_id,
                                        size_t max_resources = kDefaultMaxResources);

/// The contract snapshot: kind gpu_node, firmware "redfish", gpus from the GPU processors,
/// node power and limit from the chassis (GPU sum when the chassis reports none), fans,
/// state from PowerState and health (Off: offline; PoweringOn: starting; a Critical system
/// or GPU, or a GPU absent/offline: fault; otherwise serving). derive_fields applied.
DeviceSnapshot make_snapshot(const NodeRead& node);

}  // namespace rigkeeper::drivers::redfish
