#include "drivers/sim/fault_book.h"

#include <algorithm>
#include <cmath>

namespace rigkeeper::drivers::sim {

namespace {

double seconds(SimClock::duration d) { return std::chrono::duration<double>(d).count(); }

// Overheat climbs this fast until it reaches its ceiling.
constexpr double kOverheatRateCPerS = 0.25;

int index_arg(const FaultSpec& s) { return static_cast<int>(s.arg(0, 0)); }

}  // namespace

void FaultBook::add(const FaultSpec& spec, SimTime now) {
  Entry e{spec, now + spec.delay, std::nullopt};
  if (spec.duration) e.end = e.start + *spec.duration;
  entries_.push_back(std::move(e));
}

size_t FaultBook::clear() {
  const size_t n = entries_.size();
  entries_.clear();
  return n;
}

bool FaultBook::active(const Entry& e, SimTime now) {
  return now >= e.start && (!e.end || now < *e.end);
}

void FaultBook::expire(SimTime now) {
  std::erase_if(entries_, [&](const Entry& e) { return e.end && now >= *e.end; });
}

std::optional<FaultSpec> FaultBook::transport(SimTime now) const {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (is_transport(it->spec.kind) && active(*it, now)) return it->spec;
  }
  return std::nullopt;
}

bool FaultBook::refusing(SimTime now) const {
  const auto t = transport(now);
  return t && t->kind == FaultKind::kRefuse;
}

HealthEffects FaultBook::health(SimTime now) const {
  HealthEffects h;
  for (const auto& e : entries_) {
    if (is_transport(e.spec.kind) || !active(e, now)) continue;
    const int idx = index_arg(e.spec);
    switch (e.spec.kind) {
      case FaultKind::kFanFail:
        if (idx >= 0 && idx < kMaxFans) h.fan_failed[static_cast<size_t>(idx)] = true;
        break;
      case FaultKind::kBoardDead:
        if (idx >= 0 && idx < kMaxBoards) h.board_dead[static_cast<size_t>(idx)] = true;
        break;
      case FaultKind::kChipsMissing:
        if (idx >= 0 && idx < kMaxBoards) {
          h.chips_missing[static_cast<size_t>(idx)] += static_cast<int>(e.spec.arg(1, 12));
        }
        break;
      case FaultKind::kOverheat: {
        const double ceiling = e.spec.arg(0, 35);
        h.overheat_c += std::min(ceiling, kOverheatRateCPerS * seconds(now - e.start));
        break;
      }
      case FaultKind::kHashrateDrop:
        h.hashrate_factor *= std::clamp(1.0 - e.spec.arg(0, 30) / 100.0, 0.0, 1.0);
        break;
      default:
        break;
    }
    std::string label(to_string(e.spec.kind));
    for (double a : e.spec.args) label += ":" + std::to_string(static_cast<int64_t>(a));
    h.labels.push_back(std::move(label));
  }
  return h;
}

nlohmann::json FaultBook::describe(SimTime now) const {
  auto out = nlohmann::json::array();
  for (const auto& e : entries_) {
    nlohmann::json j;
    j["fault"] = e.spec.text();
    j["active"] = active(e, now);
    j["starts_in_s"] = std::max(0.0, seconds(e.start - now));
    j["ends_in_s"] =
        e.end ? nlohmann::json(std::max(0.0, seconds(*e.end - now))) : nlohmann::json();
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace rigkeeper::drivers::sim
