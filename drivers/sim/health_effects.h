#pragma once
/// What the health faults in force do to a miner's hardware at one instant: failed fans,
/// dead boards, missing chips, extra heat, lost hashrate. Computed by the fault book from the
/// active faults, consumed by AsicDevice when it computes a reading.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace rigkeeper::drivers::sim {

inline constexpr int kMaxBoards = 4;
inline constexpr int kMaxFans = 8;

struct HealthEffects {
  std::array<bool, kMaxFans> fan_failed{};
  std::array<bool, kMaxBoards> board_dead{};
  std::array<int, kMaxBoards> chips_missing{};
  double overheat_c = 0;            ///< added to every temperature target
  double hashrate_factor = 1.0;     ///< multiplies every board's hashrate
  std::vector<std::string> labels;  ///< "fan_fail:1", ... for firmware event lists

  bool any() const { return !labels.empty(); }
};

}  // namespace rigkeeper::drivers::sim
