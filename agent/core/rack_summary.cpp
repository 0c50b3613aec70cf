#include "agent/core/rack_summary.h"

#include <nlohmann/json.hpp>

namespace rigkeeper::agent {

using drivers::DeviceState;

RackSummary summarize_rack(const std::vector<const drivers::DeviceSnapshot*>& latest, Timestamp ts,
                           std::optional<double> power_budget_w) {
  RackSummary r;
  r.ts = ts;
  r.power_budget_w = power_budget_w;
  r.total = static_cast<int>(latest.size());
  for (const auto* s : latest) {
    if (s == nullptr || s->state == DeviceState::kOffline) continue;
    ++r.online;
    if (s->state == DeviceState::kMining) ++r.mining;
    if (s->state == DeviceState::kSleeping) ++r.curtailed;
    if (s->state == DeviceState::kFault) ++r.faulted;
    if (s->power_w) r.power_w = r.power_w.value_or(0.0) + *s->power_w;
    if (s->hashrate_ths) r.hashrate_ths = r.hashrate_ths.value_or(0.0) + *s->hashrate_ths;
  }
  return r;
}

nlohmann::json to_json(const RackSummary& r) {
  auto opt = [](const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  return {{"ts", format_rfc3339(r.ts)},
          {"power_w", opt(r.power_w)},
          {"hashrate_ths", opt(r.hashrate_ths)},
          {"power_budget_w", opt(r.power_budget_w)},
          {"devices",
           {{"total", r.total},
            {"online", r.online},
            {"mining", r.mining},
            {"curtailed", r.curtailed},
            {"faulted", r.faulted}}}};
}

}  // namespace rigkeeper::agent
