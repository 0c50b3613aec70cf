#pragma once
/// Whatsminer (MicroBT btminer) replies to a snapshot: pure functions, no I/O.
///
/// API v2 (port 4028, cgminer-shaped): `summary` (hashrate in MH/s, Power, Power Limit, Fan
/// Speed In/Out, Factory GHS), `devs` (one entry per hash board: MHS, Effective Chips,
/// Temperature, Chip Temp Max), `pools`, and the flat-STATUS `get_*` replies `status`
/// (btmineroff / mineroff), `get_version` (fw_ver) and `devdetails` (Model).
/// API v3 (port 4433): `get.device.info` and the summary / edevs / pools sections of
/// `get.miner.status`, hashrates already in TH/s. docs/drivers/whatsminer.md maps each field.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/api/telemetry.h"
#include "drivers/asic/common/json_access.h"

namespace rigkeeper::drivers::whatsminer {

/// The report commands of one v2 poll (get_version and devdetails are asked once).
const std::vector<std::string>& v2_poll_commands();

/// Errc::kProtocol when neither summary nor devs is readable; anything else missing or
/// malformed leaves nulls and an errors[] entry.
Result<DeviceSnapshot> parse_v2(const asic::Replies& replies);

/// The `msg` objects of one v3 poll (absent ones are null JSON).
struct V3Replies {
  asic::json device_info;  ///< get.device.info -> msg
  asic::json summary;      ///< get.miner.status summary -> msg.summary
  asic::json edevs;        ///< get.miner.status edevs -> msg.edevs (array)
  asic::json pools;        ///< get.miner.status pools -> msg.pools (array)
};

/// Errc::kProtocol when neither the summary nor the device info is an object.
Result<DeviceSnapshot> parse_v3(const V3Replies& replies);

/// A btminer model string as a snapshot model: "M60S_VK40" -> "Whatsminer M60S VK40",
/// "M30S++_VH63" -> "Whatsminer M30S++ VH60" (the variant's last digit is a revision that
/// pyasic also drops). "" for an empty or implausible string.
std::string display_model(std::string_view raw);

/// The build date of a firmware version ("20210322.22.REL", "'20251209.16.Rel2'") as
/// yyyymmdd, or nullopt when it does not start with a plausible date.
std::optional<int> firmware_date(std::string_view fw_ver);

/// Firmware dated after 2024-11 serves API v3 on 4433 (pyasic BTMiner.__new__: newer than
/// "2024-11-00"); older firmware serves API v2 on 4028.
inline constexpr int kV3FirstDate = 20241101;
bool firmware_speaks_v3(std::optional<int> date);

/// True when a v2 or v3 reply says the API is switched off or the account is refused:
/// "can't access write cmd", "API is not enabled", code 45 / v3 code -4.
bool says_api_disabled(std::string_view msg);

}  // namespace rigkeeper::drivers::whatsminer
