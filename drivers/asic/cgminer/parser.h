#pragma once
/// The generic fallback for any cgminer-API firmware no family claims: summary (+devs, +pools,
/// +stats when present), hashrate units taken from the key names, everything it cannot know
/// left null. docs/drivers/cgminer.md maps every field.
#include <string>
#include <vector>

#include "drivers/api/telemetry.h"
#include "drivers/asic/common/json_access.h"

namespace rigkeeper::drivers::cgminer {

/// What one poll asks (version is added once by the driver and then cached). A command the
/// firmware does not know is simply absent from the replies.
const std::vector<std::string>& poll_commands();

/// The errors[] line every generic snapshot carries.
inline constexpr const char* kUnrecognisedNote =
    "unrecognised firmware: read through the generic cgminer driver";

/// Errc::kProtocol when neither summary nor devs is readable.
Result<DeviceSnapshot> parse_replies(const asic::Replies& replies);

}  // namespace rigkeeper::drivers::cgminer
