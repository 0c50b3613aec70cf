// Fleet: fault injection, clearing and the JSON views the control port returns.
#include <cmath>

#include "drivers/sim/fleet.h"
#include "drivers/sim/fleet_slot.h"

namespace rigkeeper::drivers::sim {

namespace {

// Health faults name a fan or board by 0-based index; it must exist on the model.
Result<void> check_indices(const FaultSpec& spec, const AsicDevice& device) {
  const auto& m = *device.identity().model;
  const auto index = spec.arg(0, 0);
  const auto bad = [&](const std::string& what, int limit) {
    return fail(Errc::kInvalidArgument, "fault '" + spec.text() + "': " + device.id() + " (" +
                                            std::string(m.name) + ") has " + what + " 0.." +
                                            std::to_string(limit - 1));
  };
  switch (spec.kind) {
    case FaultKind::kFanFail:
      if (index >= m.fans || index != std::floor(index)) return bad("fans", m.fans);
      break;
    case FaultKind::kBoardDead:
    case FaultKind::kChipsMissing:
      if (index >= m.boards || index != std::floor(index)) return bad("boards", m.boards);
      break;
    default:
      break;
  }
  return {};
}

}  // namespace

Result<size_t> Fleet::inject(const FaultSpec& spec, SimTime now) {
  std::vector<Slot*> targets;
  if (spec.target == "*") {
    for (auto& s : slots_) targets.push_back(s.get());
  } else {
    auto s = slot_for(spec.target);
    if (!s) return tl::unexpected(s.error());
    targets.push_back(*s);
  }
  for (Slot* s : targets) {
    if (auto ok = check_indices(spec, s->device); !ok) return tl::unexpected(ok.error());
  }
  for (Slot* s : targets) s->faults.add(spec, now);
  reconcile(now);  // a refuse takes effect at once
  return targets.size();
}

Result<size_t> Fleet::clear(std::string_view target) {
  size_t removed = 0;
  if (target == "*" || target == "all") {
    for (auto& s : slots_) removed += s->faults.clear();
  } else {
    auto s = slot_for(target);
    if (!s) return tl::unexpected(s.error());
    removed = (*s)->faults.clear();
  }
  reconcile(SimClock::now());
  return removed;
}

nlohmann::json Fleet::faults(SimTime now) const {
  auto out = nlohmann::json::object();
  for (const auto& s : slots_) {
    if (!s->faults.empty()) out[s->device.id()] = s->faults.describe(now);
  }
  return out;
}

Result<nlohmann::json> Fleet::describe(std::string_view id, SimTime now) {
  auto s = slot_for(id);
  if (!s) return tl::unexpected(s.error());
  Slot& slot = **s;
  const auto r = slot.device.read(now, 0, slot.faults.health(now));
  nlohmann::json j;
  j["id"] = slot.device.id();
  j["driver"] = driver_name(slot.device.identity().family);
  j["model"] = slot.device.identity().model->name;
  j["serial"] = slot.device.identity().serial;
  j["host"] = slot.endpoint.host;
  j["port"] = slot.endpoint.port;
  j["state"] = to_string(r.state);
  j["curtailed"] = r.curtailed;
  j["hashrate_ths"] = std::round(r.ghs_5s / 10.0) / 100.0;
  j["power_w"] = r.power_w;
  j["power_limit_w"] = r.power_limit_w;
  j["profile"] = r.profile.name;
  j["pool"] = nullptr;
  if (!r.pools.empty()) j["pool"] = {{"url", r.pools[0].url}, {"user", r.pools[0].user}};
  j["elapsed_s"] = r.elapsed_s;
  j["requests"] = slot.requests;
  j["listening"] = slot.listener && slot.listener->is_open();
  j["faults"] = slot.faults.describe(now);
  return j;
}

}  // namespace rigkeeper::drivers::sim
