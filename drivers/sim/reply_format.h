#pragma once
/// Building blocks of cgminer-API replies shared by the family responders: the STATUS
/// section, the reply envelope, and the odd value formats firmware uses (dash-joined sensor
/// strings, chip status strings, "524K" difficulties, "0:00:03" share ages).
///
/// Thread-safety: pure functions.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace rigkeeper::drivers::sim {

/// Replies keep insertion order so they can match the captures key for key.
using Json = nlohmann::ordered_json;

/// cgminer STATUS codes used by the simulator (kanoi/cgminer api.c and firmware captures).
namespace code {
inline constexpr int kPools = 7;
inline constexpr int kDevs = 9;
inline constexpr int kSummary = 11;
inline constexpr int kInvalidCommand = 14;
inline constexpr int kVersion = 22;
inline constexpr int kInvalidJson = 23;
inline constexpr int kMissingCommand = 24;
inline constexpr int kConfig = 33;
inline constexpr int kAccessDenied = 45;
inline constexpr int kDevDetails = 69;
inline constexpr int kStats = 70;
}  // namespace code

/// {"STATUS": s, "When": when, "Code": c, "Msg": msg, "Description": description}
Json status_entry(std::string_view status, int64_t when, int code, std::string_view msg,
                  std::string_view description);

/// {"STATUS":[status], "<section>": items, "id": 1}
Json envelope(Json status, std::string_view section, Json items);

/// A reply carrying only an error STATUS: {"STATUS":[{"STATUS":"E",...}],"id":1}.
Json error_reply(int code, std::string_view msg, std::string_view description, int64_t when);

/// Recursively orders every object's keys bytewise (how the LuxOS captures are stored).
Json sorted_keys(const Json& value);

/// Rounds to two decimals (firmware prints hashrates that way).
double round2(double v);

/// "37603.30": two decimals, as a string.
std::string fixed2(double v);

/// "73-45-64-65" from four sensor values (rounded to integers).
std::string dash_joined(const std::array<double, 4>& values);

/// The chip status string of a chain: `present` chips as 'o', in groups of `group`, each
/// group preceded by a space (" ooo ooo ... o").
std::string chain_acs(int present, int group);

/// "524K", "32K", "2.1M": cgminer's short difficulty format.
std::string short_difficulty(double diff);

/// "0:00:03" (stock) or "00:00:03" (LuxOS, `two_digit_hours`) from seconds.
std::string share_age(int64_t seconds, bool two_digit_hours);

}  // namespace rigkeeper::drivers::sim
