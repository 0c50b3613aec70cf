#include "drivers/asic/common/numbers.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "drivers/asic/common/json_access.h"

namespace rigkeeper::drivers::asic {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<double> parse_number(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  double v = 0.0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<double> to_number(const nlohmann::json& v) {
  if (v.is_number()) {
    const double d = v.get<double>();
    return std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
  }
  if (v.is_string()) return parse_number(v.get_ref<const std::string&>());
  return std::nullopt;
}

std::optional<double> number_at(const nlohmann::json* obj, std::string_view key) {
  const auto* v = member(obj, key);
  return v ? to_number(*v) : std::nullopt;
}

std::optional<double> number_at_any(const nlohmann::json* obj,
                                    std::initializer_list<std::string_view> keys) {
  for (auto k : keys)
    if (auto v = number_at(obj, k)) return v;
  return std::nullopt;
}

std::optional<int64_t> integer_at(const nlohmann::json* obj, std::string_view key) {
  const auto* v = member(obj, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number_integer()) return v->get<int64_t>();
  auto d = to_number(*v);
  // 9.2e18 is the largest double safely below INT64_MAX.
  if (!d || std::fabs(*d) > 9.2e18) return std::nullopt;
  return static_cast<int64_t>(std::llround(*d));
}

std::optional<int> int_at(const nlohmann::json* obj, std::string_view key) {
  auto v = integer_at(obj, key);
  if (!v || *v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max())
    return std::nullopt;
  return static_cast<int>(*v);
}

std::optional<std::string> string_at(const nlohmann::json* obj, std::string_view key) {
  const auto* v = member(obj, key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}

std::optional<bool> flag_at(const nlohmann::json* obj, std::string_view key) {
  const auto* v = member(obj, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_number_integer()) {
    const auto i = v->get<int64_t>();
    if (i == 0 || i == 1) return i == 1;
    return std::nullopt;
  }
  if (!v->is_string()) return std::nullopt;
  const auto s = lower(trim(v->get_ref<const std::string&>()));
  if (s == "true" || s == "y" || s == "yes") return true;
  if (s == "false" || s == "n" || s == "no") return false;
  return std::nullopt;
}

std::optional<double> plausible_temp(std::optional<double> celsius) {
  if (!celsius || *celsius == 0.0 || *celsius <= -100.0 || *celsius >= 200.0) return std::nullopt;
  return celsius;
}

std::vector<std::optional<double>> dash_separated(const nlohmann::json& v) {
  std::vector<std::optional<double>> out;
  if (v.is_number()) {
    out.push_back(to_number(v));
    return out;
  }
  if (!v.is_string()) return out;
  std::string_view s = v.get_ref<const std::string&>();
  if (trim(s).empty()) return out;
  constexpr size_t kMaxSensors = 64;  // a board has a handful; bound the work on garbage
  while (out.size() < kMaxSensors) {
    const auto dash = s.find('-');
    out.push_back(parse_number(s.substr(0, dash)));
    if (dash == std::string_view::npos) break;
    s.remove_prefix(dash + 1);
  }
  return out;
}

std::optional<double> hottest(const std::vector<std::optional<double>>& readings) {
  std::optional<double> best;
  for (const auto& r : readings) {
    auto t = plausible_temp(r);
    if (t && (!best || *t > *best)) best = t;
  }
  return best;
}

}  // namespace rigkeeper::drivers::asic
