#include "agent/cli/json_fields.h"

#include <cmath>

namespace rigkeeper::cli {

namespace {

const nlohmann::json* field(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

}  // namespace

std::optional<std::string> str_field(const nlohmann::json& j, const char* key) {
  const auto* v = field(j, key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}

std::optional<double> num_field(const nlohmann::json& j, const char* key) {
  const auto* v = field(j, key);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  return v->get<double>();
}

std::optional<int64_t> int_field(const nlohmann::json& j, const char* key) {
  const auto* v = field(j, key);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  if (v->is_number_integer()) return v->get<int64_t>();
  const double d = v->get<double>();
  if (!std::isfinite(d) || std::abs(d) > 9e18) return std::nullopt;
  return static_cast<int64_t>(d);
}

std::optional<bool> bool_field(const nlohmann::json& j, const char* key) {
  const auto* v = field(j, key);
  if (v == nullptr || !v->is_boolean()) return std::nullopt;
  return v->get<bool>();
}

std::optional<Timestamp> ts_field(const nlohmann::json& j, const char* key) {
  const auto text = str_field(j, key);
  if (!text) return std::nullopt;
  auto ts = parse_rfc3339(*text);
  if (!ts) return std::nullopt;
  return *ts;
}

const nlohmann::json& obj_field(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const auto* v = field(j, key);
  return v != nullptr && v->is_object() ? *v : kEmpty;
}

}  // namespace rigkeeper::cli
