#pragma once
/// The faults injected into one simulated device, with when each was added: which transport
/// fault is in force now, and what the health faults in force do to the hardware.
///
/// Thread-safety: none; owned by the simulator's io_context thread.
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/sim/asic_device.h"
#include "drivers/sim/fault_spec.h"
#include "drivers/sim/health_effects.h"

namespace rigkeeper::drivers::sim {

class FaultBook {
 public:
  /// Adds a fault whose delay and duration count from `now`.
  void add(const FaultSpec& spec, SimTime now);
  /// Removes every fault; returns how many there were.
  size_t clear();

  /// The transport fault in force at `now` (the most recently added one when several are).
  std::optional<FaultSpec> transport(SimTime now) const;

  /// The combined effect of the health faults in force at `now`.
  HealthEffects health(SimTime now) const;

  /// True while a `refuse` fault is in force (the listener must be closed).
  bool refusing(SimTime now) const;

  /// [{"fault": "asic-003:hang@30s", "active": bool, "starts_in_s": x, "ends_in_s": y|null}]
  nlohmann::json describe(SimTime now) const;

  /// Drops faults whose duration has passed.
  void expire(SimTime now);

  bool empty() const { return entries_.empty(); }

 private:
  struct Entry {
    FaultSpec spec;
    SimTime start;
    std::optional<SimTime> end;
  };
  static bool active(const Entry& e, SimTime now);
  std::vector<Entry> entries_;
};

}  // namespace rigkeeper::drivers::sim
