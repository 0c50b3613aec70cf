#include "drivers/sim/reply_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

namespace rigkeeper::drivers::sim {

Json status_entry(std::string_view status, int64_t when, int code, std::string_view msg,
                  std::string_view description) {
  Json s = Json::object();
  s["STATUS"] = status;
  s["When"] = when;
  s["Code"] = code;
  s["Msg"] = msg;
  s["Description"] = description;
  return s;
}

Json envelope(Json status, std::string_view section, Json items) {
  Json r = Json::object();
  r["STATUS"] = Json::array({std::move(status)});
  r[std::string(section)] = std::move(items);
  r["id"] = 1;
  return r;
}

Json error_reply(int code, std::string_view msg, std::string_view description, int64_t when) {
  Json r = Json::object();
  r["STATUS"] = Json::array({status_entry("E", when, code, msg, description)});
  r["id"] = 1;
  return r;
}

Json sorted_keys(const Json& value) {
  if (value.is_array()) {
    Json out = Json::array();
    for (const auto& v : value) out.push_back(sorted_keys(v));
    return out;
  }
  if (!value.is_object()) return value;
  std::vector<std::pair<std::string, const Json*>> items;
  for (auto it = value.begin(); it != value.end(); ++it) items.emplace_back(it.key(), &it.value());
  std::sort(items.begin(), items.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  Json out = Json::object();
  for (const auto& [k, v] : items) out[k] = sorted_keys(*v);
  return out;
}

double round2(double v) { return std::round(v * 100.0) / 100.0; }

std::string fixed2(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string dash_joined(const std::array<double, 4>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out.push_back('-');
    out += std::to_string(static_cast<int64_t>(std::lround(values[i])));
  }
  return out;
}

std::string chain_acs(int present, int group) {
  std::string out;
  group = std::max(group, 1);
  for (int i = 0; i < present; ++i) {
    if (i % group == 0) out.push_back(' ');
    out.push_back('o');
  }
  return out;
}

std::string short_difficulty(double diff) {
  // cgminer's suffix_string: integer division by 1000 per step, "524288" -> "524K".
  char buf[32];
  if (diff >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.3gM", diff / 1e6);
  } else if (diff >= 1000) {
    std::snprintf(buf, sizeof buf, "%lldK", static_cast<long long>(diff / 1000));
  } else {
    std::snprintf(buf, sizeof buf, "%.0f", diff);
  }
  return buf;
}

std::string share_age(int64_t seconds, bool two_digit_hours) {
  seconds = std::max<int64_t>(seconds, 0);
  char buf[32];
  std::snprintf(buf, sizeof buf, two_digit_hours ? "%02lld:%02lld:%02lld" : "%lld:%02lld:%02lld",
                static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60),
                static_cast<long long>(seconds % 60));
  return buf;
}

}  // namespace rigkeeper::drivers::sim
