#pragma once
/// Repair of the malformed JSON that real cgminer-API firmware sends, then parsing.
/// Each rule exists because a shipped firmware needs it (docs/drivers/cgminer-api.md lists
/// them with their sources): trailing NUL, `,}` / `,]`, `}{` between sections, `[,{`,
/// btminer's `""temp0`, bare or quoted inf/nan, a reply starting with `,`, square-bracketed
/// `"error_code":[...]` objects, raw control characters, and truncated buffers.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "drivers/api/result.h"

namespace rigkeeper::drivers {

/// Returns `raw` with the known firmware defects repaired. Pure; never throws.
std::string repair_cgminer_json(std::string_view raw);

/// Parses a cgminer-API reply: tries it as-is, then repaired. Errc::kProtocol with a short
/// description (and a prefix of the bytes) when it still cannot be read.
Result<nlohmann::json> parse_cgminer_json(std::string_view raw);

}  // namespace rigkeeper::drivers
