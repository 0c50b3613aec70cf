#pragma once
/// VNish (AnthillOS) web API read side: a pure parser from the replies of one poll to a
/// snapshot. Shapes follow the captures in shared/fixtures/asic/vnish/ (GET /api/v1/summary
/// of 1.2.x, /api/v1/settings, /api/v1/autotune/presets); /api/v1/info and /api/v1/status
/// carry the fields public clients read (fw_name, fw_version, miner; miner_state,
/// find_miner). docs/drivers/vnish.md maps each field.
///
/// Thread-safety: pure functions. Errors: Errc::kProtocol when the summary is unreadable;
/// anything else missing leaves nulls and an errors[] entry. Never throws on device input.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "drivers/api/telemetry.h"

namespace rigkeeper::drivers::vnish {

struct WebReplies {
  std::optional<nlohmann::json> summary;   ///< GET /api/v1/summary (required)
  std::optional<nlohmann::json> info;      ///< GET /api/v1/info
  std::optional<nlohmann::json> settings;  ///< GET /api/v1/settings
};

/// `miner.miner_status.miner_state` ("mining", "paused", "stopped", "failure", ...), or "".
std::string miner_state(const nlohmann::json* summary);

/// The device state a miner_state word means (hashing decides between starting and mining).
DeviceState state_of(std::string_view miner_state, bool hashing);

/// "9 days,  3:58", "3:58", "1 day, 0:01" -> seconds; nullopt for anything else.
std::optional<int64_t> parse_uptime(std::string_view text);

/// The firmware version in a miner_type such as "Antminer S19 (Vnish 1.2.0-beta10)".
std::optional<std::string> version_in_type(std::string_view miner_type);

/// The preset name selected in settings (`miner.overclock.preset`), or nullopt.
std::optional<std::string> selected_preset(const nlohmann::json* settings);

/// The url of the first pool in settings (`miner.pools[0].url`), or nullopt.
std::optional<std::string> first_pool_url(const nlohmann::json* settings);

/// The whole snapshot (device_id, host, ts left for the driver).
Result<DeviceSnapshot> parse_web(const WebReplies& replies);

}  // namespace rigkeeper::drivers::vnish
