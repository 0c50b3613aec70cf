#include "drivers/api/registry.h"

namespace rigkeeper::drivers {

const DriverInfo* find_driver(std::string_view name) {
  for (const auto* d : all_drivers())
    if (d->name == name) return d;
  return nullptr;
}

const DriverInfo* best_match(const Probe& probe) {
  const DriverInfo* best = nullptr;
  int best_score = 0;
  for (const auto* d : all_drivers()) {
    if (!d->match) continue;
    const int score = d->match(probe);
    if (score > best_score) {
      best = d;
      best_score = score;
    }
  }
  return best;
}

}  // namespace rigkeeper::drivers
