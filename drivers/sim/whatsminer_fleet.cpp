// The Whatsminer API v3 listener in the fleet: devices whose firmware serves API v3 (dated
// from 2024-11) get a second listener, on 4433 under a per-device-address plan and on a
// kernel-chosen port otherwise; it follows the cgminer socket through reboots and refusals.
#include <chrono>

#include "drivers/sim/fleet.h"
#include "drivers/sim/fleet_slot.h"
#include "drivers/sim/whatsminer_firmware.h"

namespace rigkeeper::drivers::sim {

Result<void> Fleet::start_v3(size_t i) {
  auto& slot = *slots_[i];
  const auto& id = slot.device.identity();
  if (id.family != Family::kWhatsminer || !whatsminer::firmware_of_model(id.model->name).v3)
    return {};
  const bool own_address = per_device_addresses(options_.listen);
  slot.v3 = std::make_unique<WhatsminerV3Server>(
      executor_, ListenEndpoint{slot.endpoint.host, own_address ? kWhatsminerV3Port : uint16_t{0}},
      [this, i](std::string_view body) { return handle_v3(i, body, SimClock::now()); },
      options_.timeouts.request);
  if (auto ok = slot.v3->open(); !ok)
    return fail(ok.error().code, slot.device.id() + ": " + ok.error().message);
  return {};
}

std::optional<std::string> Fleet::handle_v3(size_t index, std::string_view body, SimTime now) {
  auto& s = *slots_.at(index);
  ++s.requests;
  if (!s.device.reachable(now)) return std::nullopt;
  if (const auto fault = s.faults.transport(now); fault && fault->kind != FaultKind::kSlow)
    return std::nullopt;  // the v3 port simply drops what the cgminer port would damage
  const auto when = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  const auto reading = s.device.read(now, when, s.faults.health(now));
  const DeviceAccess access{&s.device, now};
  return whatsminer::v3_answer(body, reading, access)
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace rigkeeper::drivers::sim
