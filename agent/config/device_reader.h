#pragma once
/// Reads one [[devices]] table into a DeviceEntry: the fixed device keys from the schema, the
/// driver's own keys into DeviceEntry::options, required keys and driver defaults.
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "agent/config/config_builder.h"

namespace rigkeeper::agent::config {

struct DeviceContext {
  Location origin;    ///< the file being read
  std::string label;  ///< "devices[2]"
  const DriverList& drivers;
  const std::vector<std::string>& driver_names;
};

/// Fills `entry` and `source` from `table`; every problem goes to `problems`. Returns whether
/// the entry is free of problems.
bool read_device(const toml::table& table, const DeviceContext& ctx, DeviceEntry& entry,
                 DeviceSource& source, Diagnostics& problems);

}  // namespace rigkeeper::agent::config
