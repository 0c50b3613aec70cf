#pragma once
/// One device of the fleet with what surrounds it (fault book, endpoint, listener). Internal
/// to fleet.cpp and fleet_faults.cpp.
#include <cstdint>
#include <memory>

#include "drivers/sim/fleet.h"

namespace rigkeeper::drivers::sim {

struct Fleet::Slot {
  Slot(DeviceIdentity identity, SimTime boot, Delays delays, ListenEndpoint ep)
      : device(std::move(identity), boot, delays), endpoint(std::move(ep)) {}
  AsicDevice device;
  FaultBook faults;
  ListenEndpoint endpoint;
  std::unique_ptr<CgminerListener> listener;
  uint64_t requests = 0;
};

}  // namespace rigkeeper::drivers::sim
