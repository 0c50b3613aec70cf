#pragma once
/// One reading of a simulated miner at one instant: everything a family responder needs to
/// fill its reply, in the units the firmware itself uses (GH/s, degrees C, W, rpm).
/// Responders are pure functions of a reading; the reading is computed by AsicDevice.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/sim/device_identity.h"
#include "drivers/sim/power_profile.h"

namespace rigkeeper::drivers::sim {

/// The miner's operating state. Control verbs move it; the read side reports it.
enum class PowerState { kMining, kSleeping, kStarting, kRebooting };

std::string_view to_string(PowerState state);

struct BoardReading {
  int index = 0;
  bool alive = true;  ///< false: board_dead fault (no chips answer)
  int chips_expected = 0;
  int chips_present = 0;  ///< chips that enumerate (chips_missing lowers it)
  double ghs = 0;         ///< current ("5s") hashrate, GH/s
  double ghs_ideal = 0;   ///< what this board should do at the current profile
  int freq_mhz = 0;
  double voltage = 0;
  std::array<double, 4> temp_pcb{};   ///< hot outlet, inlet, and two mid-board sensors
  std::array<double, 4> temp_chip{};  ///< the matching chip sensors
  double power_w = 0;
  int64_t hw_errors = 0;
  double hot() const { return temp_pcb[0]; }
  double chip_hot() const { return temp_chip[0]; }
  double inlet() const { return temp_pcb[1]; }
};

struct FanReading {
  int rpm = 0;
  int duty_pct = 0;
};

struct PoolReading {
  std::string url;
  std::string user;
  std::string status;   ///< "Alive" or "Dead"
  bool active = false;  ///< the pool shares are going to
  int priority = 0;
  int64_t accepted = 0;
  int64_t rejected = 0;
  int64_t getworks = 0;
  double difficulty_accepted = 0;
  double difficulty_rejected = 0;
};

struct DeviceReading {
  const DeviceIdentity* identity = nullptr;  ///< never null; outlives the reading
  PowerState state = PowerState::kMining;
  int64_t elapsed_s = 0;     ///< since the firmware (re)started
  int64_t when_unix = 0;     ///< wall clock, for STATUS "When"
  PowerProfile profile;      ///< current clock profile
  bool curtailed = false;    ///< a sleep is in force (persists across reboots)
  double power_limit_w = 0;  ///< the target in force (nominal when none set)

  double ghs_5s = 0, ghs_1m = 0, ghs_5m = 0, ghs_15m = 0, ghs_30m = 0, ghs_24h = 0;
  double ghs_av = 0;     ///< average since start
  double ghs_ideal = 0;  ///< sum of the boards' ideal
  double total_mh = 0;   ///< megahashes done since start
  double power_w = 0;

  std::vector<BoardReading> boards;
  std::vector<FanReading> fans;
  std::vector<PoolReading> pools;

  int64_t accepted = 0, rejected = 0, stale = 0, getworks = 0, hw_errors = 0;
  double pool_difficulty = 0;  ///< share difficulty the pool set
  double best_share = 0;
  int64_t last_share_unix = 0;
  std::vector<std::string> active_faults;  ///< health faults in force, for LuxOS `events`

  const ModelSpec& model() const { return *identity->model; }
  double temp_max() const;
  double chip_temp_max() const;
  bool hashing() const { return state == PowerState::kMining || state == PowerState::kStarting; }
};

}  // namespace rigkeeper::drivers::sim
