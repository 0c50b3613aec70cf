#pragma once
/// One simulated ASIC miner: its identity, its operating state machine
/// (mining / sleeping / starting / rebooting), its settings (profile, power target, pool) and
/// the slowly evolving physics behind its readings (board temperatures that follow load,
/// megahashes done, hardware errors). Readings are computed lazily when a request arrives.
///
/// The control methods (sleep, wake, reboot, set_power_target, set_profile, set_pool) are the
/// hooks the firmware control verbs (LuxOS curtail, Antminer CGI, ...) call; each takes effect
/// after a realistic delay.
///
/// Thread-safety: none; one AsicDevice belongs to the simulator's io_context thread.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <typeindex>
#include <typeinfo>
#include <unordered_map>
#include <vector>

#include "drivers/sim/device_identity.h"
#include "drivers/sim/device_reading.h"
#include "drivers/sim/health_effects.h"

namespace rigkeeper::drivers::sim {

using SimClock = std::chrono::steady_clock;
using SimTime = SimClock::time_point;

/// Seconds each transition takes on real hardware (approximate, from field experience:
/// LuxOS wakeup "ramps like a reboot", Antminers take about a minute to boot and another to
/// reach full hashrate). `--delay-scale` multiplies them all, so tests can run them fast.
struct Delays {
  double sleep_s = 5;         ///< curtail request to hashing stopped
  double wake_s = 3;          ///< wake request to the ramp starting
  double ramp_s = 90;         ///< starting to full hashrate
  double reboot_s = 60;       ///< API unreachable during a reboot
  double settle_s = 15;       ///< a profile or power target change reaches its new clock
  double thermal_tau_s = 40;  ///< board temperature time constant

  Delays scaled(double factor) const;
};

class AsicDevice {
 public:
  AsicDevice(DeviceIdentity identity, SimTime boot, Delays delays = {});

  const DeviceIdentity& identity() const { return identity_; }
  const std::string& id() const { return identity_.id; }

  /// The reading at `now` (monotonic; never earlier than a previous call's `now`).
  /// `when_unix` is the wall clock for STATUS "When".
  DeviceReading read(SimTime now, int64_t when_unix, const HealthEffects& effects);

  /// The state at `now` after pending transitions; false from reachable() while rebooting.
  PowerState state(SimTime now);
  bool reachable(SimTime now) { return state(now) != PowerState::kRebooting; }

  // ---- control hooks ----
  /// Stop hashing (curtail to sleep); stays asleep across reboots until wake().
  void sleep(SimTime now);
  /// End a sleep: ramps back to full hashrate.
  void wake(SimTime now);
  /// Unreachable for Delays::reboot_s, then boots (uptime restarts) into starting or sleeping.
  void reboot(SimTime now);
  /// Power target in watts (nullopt: none); the clock follows over Delays::settle_s.
  void set_power_target(SimTime now, std::optional<double> watts);
  /// Selects a profile by name ("default", "290MHz"); false if the model has none such.
  bool set_profile(SimTime now, std::string_view name);
  /// Puts `pool` first in the pool list.
  void set_pool(SimTime now, PoolConfig pool);

  std::optional<double> power_target() const { return power_target_w_; }
  /// Times the device has booted since the simulator started (0 before the first reboot);
  /// firmware personalities compare it to drop what a reboot loses (sessions, modes).
  int boots() const { return boots_; }

  /// Firmware-personality state kept per device (sessions, tokens, saved web config): one
  /// object of each type, default-constructed on first use. Each responder owns its types.
  template <class T>
  T& extension() {
    auto& slot = extensions_[std::type_index(typeid(T))];
    if (!slot) slot = std::make_shared<T>();
    return *static_cast<T*>(slot.get());
  }
  const std::vector<PoolConfig>& pools() const { return pools_; }

 private:
  void apply_transitions(SimTime now);
  void schedule(SimTime at, PowerState to);
  void retarget_clock(SimTime now, double fraction);
  double clock_fraction(SimTime now) const;
  double ramp_factor(SimTime now) const;
  void advance(SimTime now, const HealthEffects& effects);
  void compute_boards(SimTime now, const HealthEffects& effects, DeviceReading& r) const;
  void compute_cooling(SimTime now, const HealthEffects& effects, DeviceReading& r) const;
  void compute_counters(SimTime now, DeviceReading& r) const;
  double board_target_temp(int board, double load, const HealthEffects& effects) const;

  DeviceIdentity identity_;
  Delays delays_;
  SimTime boot_;
  SimTime last_;
  PowerState state_ = PowerState::kMining;
  SimTime state_since_;
  struct Pending {
    SimTime at;
    PowerState to;
  };
  std::optional<Pending> pending_;
  bool curtailed_ = false;

  int profile_step_ = 0;
  std::optional<double> power_target_w_;
  double fraction_from_ = 1.0;  // clock fraction ramps from..to after a settings change
  double fraction_to_ = 1.0;
  SimTime fraction_since_;

  std::vector<PoolConfig> pools_;
  std::vector<double> board_temp_;  // hot PCB sensor per board, integrated
  std::vector<double> board_hw_;    // hardware errors per board, integrated
  std::vector<double> board_load_;  // last computed load, for the thermal integration
  double total_mh_ = 0;
  int boots_ = 0;
  std::unordered_map<std::type_index, std::shared_ptr<void>> extensions_;
};

}  // namespace rigkeeper::drivers::sim
