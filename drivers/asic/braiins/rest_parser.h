#pragma once
/// Braiins OS+ public REST API (`/api/v1`, Braiins OS 25.07 and later) read side: a pure
/// parser from the replies of one poll to a snapshot. Shapes follow the 25.07 captures
/// (shared/fixtures/asic/braiins/rest_v25_07_*.json); docs/drivers/braiins.md maps each field.
///
/// Thread-safety: pure functions. Errors: Errc::kProtocol when neither miner/details nor
/// miner/stats is readable; any other missing or malformed part leaves nulls and an errors[]
/// entry. Never throws on device input.
#include <array>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "drivers/api/telemetry.h"

namespace rigkeeper::drivers::braiins {

/// The GET endpoints one REST poll reads, relative to /api/v1/.
inline constexpr std::array<std::string_view, 7> kRestReadPaths = {
    "miner/details", "miner/stats", "miner/hw/hashboards",    "cooling/state",
    "miner/errors",  "pools",       "performance/tuner-state"};

/// One poll's replies; nullopt where the endpoint did not answer with JSON.
struct RestReplies {
  std::optional<nlohmann::json> details;     ///< GET miner/details
  std::optional<nlohmann::json> stats;       ///< GET miner/stats
  std::optional<nlohmann::json> hashboards;  ///< GET miner/hw/hashboards
  std::optional<nlohmann::json> cooling;     ///< GET cooling/state
  std::optional<nlohmann::json> errors;      ///< GET miner/errors
  std::optional<nlohmann::json> pools;       ///< GET pools
  std::optional<nlohmann::json> tuner;       ///< GET performance/tuner-state

  /// The slot of one of kRestReadPaths.
  std::optional<nlohmann::json>* slot(std::string_view path);
};

/// miner/details `status` (bos-plus-api MinerStatus): 1 not started, 2 normal, 3 paused,
/// 4 suspended (DPS shut the hashboards down).
enum class MinerStatus { kUnknown = 0, kNotStarted = 1, kNormal = 2, kPaused = 3, kSuspended = 4 };

/// The status of a miner/details reply (kUnknown when absent or out of range).
MinerStatus miner_status(const nlohmann::json* details);

/// The power target in watts of a performance/tuner-state reply (power-target mode), or nullopt.
std::optional<double> power_target_w(const nlohmann::json* tuner);

/// The locate LED state of a GET actions/locate reply (a bare boolean), or nullopt.
std::optional<bool> locate_on(const nlohmann::json* reply);

/// The whole snapshot (device_id, host, ts left for the driver).
Result<DeviceSnapshot> parse_rest(const RestReplies& replies);

}  // namespace rigkeeper::drivers::braiins
