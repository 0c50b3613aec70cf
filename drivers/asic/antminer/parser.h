#pragma once
/// Stock Antminer firmware (bmminer / Bitmain cgminer) read over the cgminer API: a pure
/// parser from the replies of one poll to a snapshot. Per-board data comes from the `stats`
/// chain_* keys; `devs` on stock S19 is a single BTM_SOC pseudo-device and is not used.
/// docs/drivers/antminer.md maps every field.
#include <string>
#include <vector>

#include "drivers/api/telemetry.h"
#include "drivers/asic/common/json_access.h"

namespace rigkeeper::drivers::antminer {

/// What one poll asks (version is added once by the driver and then cached).
const std::vector<std::string>& poll_commands();

/// summary + stats (+ pools, + version) -> snapshot. Errc::kProtocol when neither summary nor
/// stats is readable; any other missing or malformed part leaves nulls and an errors[] entry.
Result<DeviceSnapshot> parse_replies(const asic::Replies& replies);

}  // namespace rigkeeper::drivers::antminer
