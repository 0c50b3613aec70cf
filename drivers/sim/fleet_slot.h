#pragma once
/// One device of the fleet with what surrounds it (fault book, endpoint, listener). Internal
/// to fleet.cpp and fleet_faults.cpp.
#include <cstdint>
#include <memory>
#include <vector>

#include "drivers/sim/fleet.h"
#include "drivers/sim/http_server.h"
#include "drivers/sim/web_responder.h"
#include "drivers/sim/whatsminer_v3_server.h"

namespace rigkeeper::drivers::sim {

struct Fleet::Slot {
  Slot(DeviceIdentity identity, SimTime boot, Delays delays, ListenEndpoint ep)
      : device(std::move(identity), boot, delays), endpoint(std::move(ep)) {}
  AsicDevice device;
  FaultBook faults;
  ListenEndpoint endpoint;
  std::unique_ptr<CgminerListener> listener;
  /// The device's HTTP personalities (web_responders_for its family), one server each.
  struct Web {
    const WebResponder* responder = nullptr;
    std::unique_ptr<HttpServer> server;
  };
  std::vector<Web> web;
  std::unique_ptr<WhatsminerV3Server> v3;  ///< Whatsminer API v3 (4433), when served
  uint64_t requests = 0;
};

}  // namespace rigkeeper::drivers::sim
