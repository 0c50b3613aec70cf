#pragma once
/// Hashrate units: whatever the firmware sends (GHS 5s, MHS av, KHS, THS, a `rate_unit` of
/// "GH"), the snapshot carries TH/s.
#include <array>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace rigkeeper::drivers::asic {

enum class HashUnit { kHash, kKilo, kMega, kGiga, kTera, kPeta };

/// The unit named by a `rate_unit` value or a key prefix: "GH", "GH/s", "GHS", "mhs", "TH",
/// "KH", "PH", "H" (any case). nullopt for anything else.
std::optional<HashUnit> parse_hash_unit(std::string_view text);

/// `value` in `unit` converted to TH/s.
double to_ths(double value, HashUnit unit);

/// Averaging windows in the order a "current hashrate" prefers them: the shortest first, the
/// lifetime average last (a miner that stopped a minute ago still shows a lifetime average).
inline constexpr std::array<std::string_view, 5> kCurrentWindows = {"5s", "1m", "5m", "15m", "av"};

/// The hashrate for `window` of a cgminer entry, from whichever unit key it carries ("THS 5s",
/// "GHS 5s", "MHS 5s", "KHS 5s"), in TH/s.
std::optional<double> rate_for_window(const nlohmann::json* entry, std::string_view window);

/// The first window of kCurrentWindows that the entry reports, in TH/s.
std::optional<double> current_rate(const nlohmann::json* entry);

/// A bare number in the unit named by the entry's `rate_unit` (GH when absent, as bmminer
/// writes chain_rate and total_rateideal), in TH/s. nullopt if the value or unit is unusable.
std::optional<double> rate_in_entry_unit(const nlohmann::json* entry, std::string_view key);

}  // namespace rigkeeper::drivers::asic
