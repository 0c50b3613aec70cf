#pragma once
/// Number coercion for cgminer-API firmware, which sends numbers as numbers, as strings
/// ("37603.30"), as empty strings for "not measured", and sentinels such as -273 or 0 for
/// absent temperature sensors. Every function returns nullopt rather than inventing a value.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace rigkeeper::drivers::asic {

/// A JSON number, or a string holding exactly one decimal number (surrounding spaces allowed).
/// Booleans, empty strings, NaN and infinities give nullopt.
std::optional<double> to_number(const nlohmann::json& v);

/// Parses text as one finite decimal number (locale-independent), or nullopt.
std::optional<double> parse_number(std::string_view text);

/// `obj[key]` coerced with to_number; nullopt when obj is not an object or lacks the key.
std::optional<double> number_at(const nlohmann::json* obj, std::string_view key);

/// The first of `keys` that `obj` holds as a usable number (for firmware typos such as
/// `Tenperature` next to `Temperature`).
std::optional<double> number_at_any(const nlohmann::json* obj,
                                    std::initializer_list<std::string_view> keys);

/// number_at rounded to an integer; nullopt if it does not fit in int64_t.
std::optional<int64_t> integer_at(const nlohmann::json* obj, std::string_view key);

/// integer_at narrowed to int (chip counts, indexes); nullopt if out of range.
std::optional<int> int_at(const nlohmann::json* obj, std::string_view key);

/// `obj[key]` when it is a string (numbers are not turned into text), else nullopt.
std::optional<std::string> string_at(const nlohmann::json* obj, std::string_view key);

/// A boolean written as true/false, "true"/"false", "Y"/"N", "yes"/"no" (any case), or 1/0.
std::optional<bool> flag_at(const nlohmann::json* obj, std::string_view key);

/// A temperature in degrees C, or nullopt for the sentinels firmware sends when a sensor is
/// absent or unread: 0, anything at or below -100 (Avalon's -273) and anything at or above
/// 200. A hash board at exactly 0 C while powered is not physically plausible.
std::optional<double> plausible_temp(std::optional<double> celsius);

/// Splits an Antminer sensor string "73-45-64-65" into numbers (one per sensor); an empty or
/// malformed part becomes nullopt. A JSON number is read as a one-sensor list.
std::vector<std::optional<double>> dash_separated(const nlohmann::json& v);

/// The highest plausible temperature among several readings, or nullopt.
std::optional<double> hottest(const std::vector<std::optional<double>>& readings);

}  // namespace rigkeeper::drivers::asic
