#pragma once
/// The rack summary published on `P/rack` every cycle, computed from the devices' latest
/// snapshots. Pure; no I/O.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "drivers/api/telemetry.h"
#include "drivers/api/timestamp.h"

namespace rigkeeper::agent {

struct RackSummary {
  Timestamp ts{};
  std::optional<double> power_w;       ///< sum over devices that report power; null if none do
  std::optional<double> hashrate_ths;  ///< sum over devices that report hashrate; null if none do
  std::optional<double> power_budget_w;
  int total = 0;
  int online = 0;  ///< anything but offline
  int mining = 0;
  int curtailed = 0;  ///< sleeping
  int faulted = 0;
};

/// `latest` holds each configured device's latest snapshot, or nullptr if it has none yet
/// (counted in total, not online).
RackSummary summarize_rack(const std::vector<const drivers::DeviceSnapshot*>& latest, Timestamp ts,
                           std::optional<double> power_budget_w);

nlohmann::json to_json(const RackSummary& r);

}  // namespace rigkeeper::agent
