#pragma once
/// Frequency profiles of a simulated miner (LuxOS `profiles`, and the scaling every family
/// uses when a power target or profile changes): clock steps of 25 MHz around the stock clock,
/// with hashrate proportional to the clock and power growing slightly faster than it.
///
/// Thread-safety: pure functions.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/sim/model_catalog.h"

namespace rigkeeper::drivers::sim {

struct PowerProfile {
  std::string name;  ///< "default" at step 0, else "<MHz>MHz" ("290MHz")
  int step = 0;      ///< -16 .. +8, as LuxOS numbers them
  int freq_mhz = 0;
  double voltage = 0;
  double hashrate_ths = 0;
  double watts = 0;
};

inline constexpr int kMinProfileStep = -16;
inline constexpr int kMaxProfileStep = 8;
inline constexpr int kProfileStepMhz = 25;

/// The profile at `step` (clamped to the valid range).
PowerProfile profile_at(const ModelSpec& model, int step);

/// Every profile, lowest clock first.
std::vector<PowerProfile> profiles_for(const ModelSpec& model);

/// The step of the profile called `name`, or nullopt.
std::optional<int> find_profile_step(const ModelSpec& model, std::string_view name);

/// Power drawn at a given fraction of the stock clock (1.0 = stock): efficiency improves when
/// underclocked, like real chips at lower voltage.
double power_at_fraction(const ModelSpec& model, double fraction);

/// The clock fraction whose power is `watts` (inverse of power_at_fraction), clamped to the
/// profile range.
double fraction_for_power(const ModelSpec& model, double watts);

}  // namespace rigkeeper::drivers::sim
