#pragma once
/// Braiins OS+ (BOSer / BOSminer) read through its cgminer-compatible API: a pure parser from
/// the replies of one poll to a snapshot. Only `version` and `fans` replies are captured in
/// the shared fixtures; the shapes of summary, devs, devdetails, temps, tunerstatus follow
/// pyasic's bosminer backend (docs/drivers/braiins.md says which is which).
#include <string>
#include <vector>

#include "drivers/api/telemetry.h"
#include "drivers/asic/common/json_access.h"

namespace rigkeeper::drivers::braiins {

/// What one poll asks (version is added once by the driver and then cached).
const std::vector<std::string>& poll_commands();

/// Errc::kProtocol when neither summary nor devs is readable; any other missing or malformed
/// part leaves nulls and an errors[] entry.
Result<DeviceSnapshot> parse_replies(const asic::Replies& replies);

}  // namespace rigkeeper::drivers::braiins
