#include "agent/commands/ack.h"

#include <random>

#include <fmt/format.h>

namespace rigkeeper::agent::commands {

using nlohmann::json;

json to_json(const Ack& ack) {
  json results = json::array();
  for (const auto& r : ack.results) {
    results.push_back({{"device_id", r.device_id},
                       {"status", r.status},
                       {"detail", r.detail},
                       {"state", r.state ? json(*r.state) : json(nullptr)}});
  }
  return {{"id", ack.id},
          {"ts", format_rfc3339(ack.ts)},
          {"status", ack.status},
          {"reason", ack.reason ? json(*ack.reason) : json(nullptr)},
          {"results", std::move(results)},
          {"rack_power_w", ack.rack_power_w ? json(*ack.rack_power_w) : json(nullptr)}};
}

bool is_final(std::string_view s) {
  return s == "done" || s == "partial" || s == "failed" || s == "expired";
}

std::string final_status(const std::vector<DeviceResult>& results) {
  std::size_t ok = 0, expired = 0;
  for (const auto& r : results) {
    if (r.status == "done" || r.status == "unchanged") ++ok;
    if (r.status == "expired") ++expired;
  }
  if (ok == results.size()) return "done";
  if (expired == results.size()) return "expired";
  if (ok == 0) return "failed";
  return "partial";
}

json make_event(std::string_view device_id, std::string_view severity, std::string_view code,
                std::string message, json evidence, std::string action) {
  static std::mt19937_64 rng{std::random_device{}()};
  const auto ts = now_ms();
  return {{"id", fmt::format("{}-{}-{}-{:08x}", device_id, code, to_unix_ms(ts),
                             static_cast<uint32_t>(rng()))},
          {"ts", format_rfc3339(ts)},
          {"device_id", device_id},
          {"severity", severity},
          {"code", code},
          {"component", nullptr},
          {"message", std::move(message)},
          {"evidence", evidence.is_null() ? json::object() : std::move(evidence)},
          {"predicted_failure_at", nullptr},
          {"action", std::move(action)}};
}

}  // namespace rigkeeper::agent::commands
