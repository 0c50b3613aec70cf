#pragma once
/// Avalon (Canaan cgminer 4.11.1 fork: AvalonMiner 1246, Avalon Q, ...) read over the
/// cgminer API: a pure parser from the replies of one poll to a snapshot.
///
/// Sources: `version` (PROD, MODEL, VERSION/CGVERSION), `summary` (MHS, Elapsed), `stats` or
/// `estats` (the bracket string of module 0, bracket.h: GHSspd current and GHSmm nominal
/// hashrate, MGHS per board (its share of GHSspd), MTmax/MTavg or HBITemp/HBOTemp temperatures,
/// Fan1..4, PS[] power supply vector whose 5th element is the power in W, MPO power limit, PVT_T<i>
/// per-chip temperatures giving the chip count, SoftOFF and SYSTEMSTATU for soft-off), `pools`.
/// docs/drivers/avalon.md maps every field.
#include <optional>
#include <string>
#include <vector>

#include "drivers/api/telemetry.h"
#include "drivers/asic/avalon/bracket.h"
#include "drivers/asic/common/json_access.h"

namespace rigkeeper::drivers::avalon {

/// What one poll asks (version is added once by the driver and then cached).
const std::vector<std::string>& poll_commands();

/// The bracket fields of module 0 ("MM ID0" or "MM ID0:Summary") of a stats/estats reply,
/// with the "HBinfo" fields added; nullopt when the reply carries no module string.
std::optional<BracketFields> module_fields(const nlohmann::json* stats_reply);

/// "AvalonMiner 1246" from PROD "AvalonMiner 1246-81"; "Avalon Q" from "Avalon Q"; from the
/// bracket Ver ("1246-83-2107..." -> "AvalonMiner 1246", "Q-2505..." -> "Avalon Q") when the
/// version reply is missing. "" when neither says.
std::string model_name(const nlohmann::json* version_entry, const BracketFields* fields);

/// True when the module is soft-off (SoftOFF non-zero) or idle with the PSU delivering 0 W.
bool soft_off(const BracketFields& fields);

/// Errc::kProtocol when none of summary, stats/estats and devs is readable; any other
/// missing or malformed part leaves nulls and an errors[] entry.
Result<DeviceSnapshot> parse_replies(const asic::Replies& replies);

}  // namespace rigkeeper::drivers::avalon
