#include "agent/commands/curtailment.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace rigkeeper::agent::commands {

using nlohmann::json;

namespace {

json to_json(const Curtailment& c) {
  return {{"command_id", c.command_id},
          {"since_ms", c.since_ms},
          {"expires_ms", c.expires_ms ? json(*c.expires_ms) : json(nullptr)},
          {"ramp_s", c.ramp_s},
          {"memo", c.memo},
          {"resume_failed", c.resume_failed}};
}

}  // namespace

Result<void> CurtailmentBook::load() {
  entries_.clear();
  if (!store_) return {};
  auto text = store_->get_meta(kMetaKey);
  if (!text) return tl::unexpected(text.error());
  if (!*text) return {};
  const json j = json::parse(**text, nullptr, false);
  if (!j.is_object())
    return fail(Errc::kStorage, "stored curtailments are not a JSON object; ignoring them");
  for (const auto& [id, v] : j.items()) {
    if (!v.is_object()) continue;
    Curtailment c;
    c.device_id = id;
    c.command_id = v.value("command_id", "");
    c.since_ms = v.value("since_ms", int64_t{0});
    if (v.contains("expires_ms") && v["expires_ms"].is_number_integer())
      c.expires_ms = v["expires_ms"].get<int64_t>();
    c.ramp_s = v.value("ramp_s", 0.0);
    c.memo = v.value("memo", json());
    c.resume_failed = v.value("resume_failed", false);
    entries_[id] = std::move(c);
  }
  return {};
}

const Curtailment* CurtailmentBook::find(const std::string& device_id) const {
  auto it = entries_.find(device_id);
  return it == entries_.end() ? nullptr : &it->second;
}

Result<void> CurtailmentBook::put(Curtailment c) {
  std::string id = c.device_id;
  entries_[id] = std::move(c);
  return save();
}

Result<void> CurtailmentBook::erase(const std::string& device_id) {
  if (entries_.erase(device_id) == 0) return {};
  return save();
}

std::optional<int64_t> CurtailmentBook::next_expiry_ms() const {
  std::optional<int64_t> out;
  for (const auto& [id, c] : entries_)
    if (c.expires_ms && (!out || *c.expires_ms < *out)) out = c.expires_ms;
  return out;
}

Result<void> CurtailmentBook::save() {
  if (!store_) return {};
  json j = json::object();
  for (const auto& [id, c] : entries_) j[id] = to_json(c);
  return store_->set_meta(kMetaKey, j.dump(), /*durable=*/true);
}

BudgetPlan plan_budget(double rack_power_w, double budget_w,
                       std::vector<BudgetCandidate> candidates) {
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const BudgetCandidate& a, const BudgetCandidate& b) {
                     if (a.efficiency_jth.has_value() != b.efficiency_jth.has_value())
                       return a.efficiency_jth.has_value();
                     if (a.efficiency_jth && *a.efficiency_jth != *b.efficiency_jth)
                       return *a.efficiency_jth > *b.efficiency_jth;
                     return a.power_w > b.power_w;
                   });
  BudgetPlan plan;
  plan.rack_power_w = rack_power_w;
  plan.expected_w = rack_power_w;
  for (const auto& c : candidates) {
    if (plan.expected_w <= budget_w) break;
    plan.to_sleep.push_back(c.device_id);
    plan.expected_w -= c.power_w;
  }
  plan.fits = plan.expected_w <= budget_w;
  return plan;
}

}  // namespace rigkeeper::agent::commands
