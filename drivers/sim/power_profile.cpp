#include "drivers/sim/power_profile.h"

#include <algorithm>
#include <cmath>

namespace rigkeeper::drivers::sim {

namespace {

// Power ~ clock^1.25 reproduces the LuxOS S19k Pro capture closely (290 MHz: 1188 W in the
// capture, 1160 W here).
constexpr double kPowerExponent = 1.25;
constexpr double kControlWatts = 60.0;  // control board, fans at idle, PSU losses

double round_to(double v, double step) { return std::round(v / step) * step; }

double min_fraction(const ModelSpec& m) {
  return static_cast<double>(m.freq_mhz + kMinProfileStep * kProfileStepMhz) / m.freq_mhz;
}

double max_fraction(const ModelSpec& m) {
  return static_cast<double>(m.freq_mhz + kMaxProfileStep * kProfileStepMhz) / m.freq_mhz;
}

}  // namespace

double power_at_fraction(const ModelSpec& model, double fraction) {
  const double hashing = model.nominal_power_w() - kControlWatts;
  return kControlWatts + hashing * std::pow(std::max(fraction, 0.0), kPowerExponent);
}

double fraction_for_power(const ModelSpec& model, double watts) {
  const double hashing = model.nominal_power_w() - kControlWatts;
  const double f = std::pow(std::max(watts - kControlWatts, 1.0) / hashing, 1.0 / kPowerExponent);
  return std::clamp(f, min_fraction(model), max_fraction(model));
}

PowerProfile profile_at(const ModelSpec& model, int step) {
  step = std::clamp(step, kMinProfileStep, kMaxProfileStep);
  PowerProfile p;
  p.step = step;
  p.freq_mhz = model.freq_mhz + step * kProfileStepMhz;
  p.name = step == 0 ? "default" : std::to_string(p.freq_mhz) + "MHz";
  const double fraction = static_cast<double>(p.freq_mhz) / model.freq_mhz;
  // 0.15 V per step, floored (the LuxOS S19k Pro capture: 13.5 V at default, 11.88 V for
  // every profile at or under 315 MHz).
  p.voltage =
      round_to(std::max(model.board_voltage + 0.15 * step, model.board_voltage - 1.62), 0.01);
  p.hashrate_ths = round_to(model.nominal_ths * fraction, 0.1);
  p.watts = std::round(power_at_fraction(model, fraction));
  return p;
}

std::vector<PowerProfile> profiles_for(const ModelSpec& model) {
  std::vector<PowerProfile> out;
  for (int s = kMinProfileStep; s <= kMaxProfileStep; ++s) out.push_back(profile_at(model, s));
  return out;
}

std::optional<int> find_profile_step(const ModelSpec& model, std::string_view name) {
  for (int s = kMinProfileStep; s <= kMaxProfileStep; ++s) {
    if (profile_at(model, s).name == name) return s;
  }
  return std::nullopt;
}

}  // namespace rigkeeper::drivers::sim
