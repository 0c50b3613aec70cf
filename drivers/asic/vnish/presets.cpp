#include "drivers/asic/vnish/presets.h"

#include <algorithm>

#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/numbers.h"

namespace rigkeeper::drivers::vnish {

namespace {

constexpr size_t kMaxPresets = 64;

std::optional<double> leading_number(std::string_view text) {
  size_t n = 0;
  while (n < text.size() && n < 8 && text[n] >= '0' && text[n] <= '9') ++n;
  if (n == 0) return std::nullopt;
  return asic::parse_number(text.substr(0, n));
}

std::string describe(const Preset& p) {
  return p.name + (p.pretty.empty() ? "" : " (" + p.pretty + ")");
}

std::string tuned_list(const std::vector<Preset>& presets) {
  std::string out;
  for (const auto& p : presets) {
    if (!p.tuned) continue;
    if (!out.empty()) out += ", ";
    out += p.name;
  }
  return out.empty() ? "none" : out;
}

}  // namespace

std::vector<Preset> parse_presets(const nlohmann::json& reply) {
  const nlohmann::json* list = &reply;
  if (reply.is_object()) list = asic::member(reply, "presets");
  std::vector<Preset> out;
  if (list == nullptr || !list->is_array()) return out;
  for (const auto& j : *list) {
    if (out.size() >= kMaxPresets) break;
    auto name = asic::string_at(&j, "name");
    if (!name || name->empty() || name->size() > 64) continue;
    Preset p;
    p.name = *name;
    p.pretty = asic::string_at(&j, "pretty").value_or("").substr(0, 80);
    p.watts = asic::parse_number(p.name);
    if (!p.watts) p.watts = leading_number(p.pretty);
    if (p.watts && (*p.watts <= 0 || *p.watts > 100000)) p.watts.reset();
    p.tuned = asic::string_at(&j, "status").value_or("") == "tuned";
    p.modded_psu_required = asic::flag_at(&j, "modded_psu_required").value_or(false);
    out.push_back(std::move(p));
  }
  return out;
}

Result<Preset> choose_for_power(const std::vector<Preset>& presets, double target_w,
                                bool modded_psu) {
  const Preset* best = nullptr;
  for (const auto& p : presets) {
    if (!p.tuned || !p.watts || *p.watts > target_w) continue;
    if (p.modded_psu_required && !modded_psu) continue;
    if (best == nullptr || *p.watts > *best->watts) best = &p;
  }
  if (best == nullptr) {
    return fail(Errc::kDeviceError,
                "no tuned preset at or below " + std::to_string(static_cast<int64_t>(target_w)) +
                    " W (tuned presets: " + tuned_list(presets) +
                    "); untuned presets are not applied because they start an autotune run");
  }
  return *best;
}

Result<Preset> choose_by_name(const std::vector<Preset>& presets, std::string_view name) {
  auto it = std::find_if(presets.begin(), presets.end(),
                         [&](const Preset& p) { return p.name == name || p.pretty == name; });
  if (it == presets.end()) {
    return fail(Errc::kInvalidArgument, "no preset '" + std::string(name.substr(0, 64)) +
                                            "' (tuned presets: " + tuned_list(presets) + ")");
  }
  if (!it->tuned) {
    return fail(Errc::kDeviceError, "preset " + describe(*it) +
                                        " is not tuned; tune it on the miner first (tuned "
                                        "presets: " +
                                        tuned_list(presets) + ")");
  }
  return *it;
}

}  // namespace rigkeeper::drivers::vnish
