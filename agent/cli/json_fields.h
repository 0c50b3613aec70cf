#pragma once
/// Defensive reads of JSON the CLI did not produce (daemon replies, stored snapshots): a
/// missing key, a null or a value of another type reads as nullopt, never an exception.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "drivers/api/timestamp.h"

namespace rigkeeper::cli {

std::optional<std::string> str_field(const nlohmann::json& j, const char* key);
std::optional<double> num_field(const nlohmann::json& j, const char* key);
std::optional<int64_t> int_field(const nlohmann::json& j, const char* key);
std::optional<bool> bool_field(const nlohmann::json& j, const char* key);
/// An RFC 3339 string field.
std::optional<Timestamp> ts_field(const nlohmann::json& j, const char* key);
/// The object under `key`, or an empty object.
const nlohmann::json& obj_field(const nlohmann::json& j, const char* key);

}  // namespace rigkeeper::cli
