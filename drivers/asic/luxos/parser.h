#pragma once
/// LuxOS (LUXminer) read over its cgminer-style API: a pure parser from the replies of one
/// poll to a snapshot. Per-board hashrate, temperature and user shutdown come from `devs`;
/// chip counts from the `stats` chain_* keys (its `total rate` and `total_acn` do not match
/// the real totals and are never used); power from `power`; curtailment and the active
/// profile from `config`. docs/drivers/luxos.md maps every field.
#include <string>
#include <vector>

#include "drivers/api/telemetry.h"
#include "drivers/asic/common/json_access.h"

namespace rigkeeper::drivers::luxos {

/// What one poll asks (version is added once by the driver and then cached).
const std::vector<std::string>& poll_commands();

/// Errc::kProtocol when none of summary, devs and stats is readable; any other missing or
/// malformed part leaves nulls and an errors[] entry.
Result<DeviceSnapshot> parse_replies(const asic::Replies& replies);

}  // namespace rigkeeper::drivers::luxos
