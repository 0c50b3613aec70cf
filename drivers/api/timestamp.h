#pragma once
/// Wall-clock timestamps as the contract writes them: RFC 3339 UTC with milliseconds.
#include <chrono>
#include <string>
#include <string_view>

#include "drivers/api/result.h"

namespace rigkeeper {

using Clock = std::chrono::system_clock;
using Timestamp = std::chrono::time_point<Clock, std::chrono::milliseconds>;

/// Now, truncated to milliseconds.
Timestamp now_ms();

/// "2026-11-22T02:21:09.123Z"
std::string format_rfc3339(Timestamp ts);

/// Parses RFC 3339 ("Z" or "+hh:mm" offsets, optional fraction). Errc::kInvalidArgument if not.
Result<Timestamp> parse_rfc3339(std::string_view text);

/// Milliseconds since the Unix epoch, for storage.
inline int64_t to_unix_ms(Timestamp ts) { return ts.time_since_epoch().count(); }
inline Timestamp from_unix_ms(int64_t ms) { return Timestamp(std::chrono::milliseconds(ms)); }

}  // namespace rigkeeper
