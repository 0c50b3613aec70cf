#pragma once
/// Time arguments of the CLI (`history --since 2h`, `--until 2026-11-22T10:00:00Z`).
#include <chrono>
#include <string_view>

#include "drivers/api/result.h"
#include "drivers/api/timestamp.h"

namespace rigkeeper::cli {

/// "90s", "15m", "2h", "1d", "1w", and sums of them ("1h30m"). A unit is required.
/// Errc::kInvalidArgument otherwise.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);

/// A duration back from `now` ("2h" = two hours ago) or an RFC 3339 timestamp.
Result<Timestamp> parse_time_arg(std::string_view text, Timestamp now);

}  // namespace rigkeeper::cli
