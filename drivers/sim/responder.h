#pragma once
/// A firmware family's cgminer-API personality: how it answers each report command, given a
/// reading of the device. Responders are pure (reading in, JSON out), so tests compare their
/// output with the real captures without any socket.
///
/// Thread-safety: responders are stateless singletons, safe from any thread.
#include <optional>
#include <string_view>

#include "drivers/sim/asic_device.h"
#include "drivers/sim/device_reading.h"
#include "drivers/sim/model_catalog.h"
#include "drivers/sim/reply_format.h"

namespace rigkeeper::drivers::sim {

/// The device behind a request and the instant, for commands that change it (LuxOS `curtail`,
/// Avalon `ascset`) or show firmware state kept in AsicDevice::extension<T>() (sessions, LED).
struct DeviceAccess {
  AsicDevice* device = nullptr;
  SimTime now;
};

class FamilyResponder {
 public:
  virtual ~FamilyResponder() = default;

  /// The STATUS "Description" this firmware puts in every reply ("cgminer 1.0.0").
  virtual std::string_view description() const = 0;

  /// The reply to one command, or nullopt when the firmware does not know it (the caller
  /// answers STATUS E code 14 "Invalid command"). Errors the firmware itself gives (access
  /// denied) come back as a reply with an E STATUS.
  virtual std::optional<Json> respond(std::string_view command, std::string_view parameter,
                                      const DeviceReading& reading) const = 0;

  /// As respond(), with the device at hand (see DeviceAccess); the fleet calls this one.
  /// Default: respond(), for firmware whose replies depend on the reading only.
  virtual std::optional<Json> respond_on(std::string_view command, std::string_view parameter,
                                         const DeviceReading& reading,
                                         const DeviceAccess& /*access*/) const {
    return respond(command, parameter, reading);
  }

  /// False when this device's firmware answers `a+b` multi-commands with code 14.
  virtual bool accepts_multi_command(const DeviceReading& reading) const {
    return reading.model().multi_command;
  }

  /// Whether the keys of this firmware's replies are sorted (the LuxOS captures are).
  virtual bool sorted_keys() const { return false; }
};

/// The responder of a family (static instances).
const FamilyResponder& responder_for(Family family);

/// The four personalities (one source file each).
const FamilyResponder& antminer_responder();    ///< stock bmminer (S19 Pro, S19j Pro, S21)
const FamilyResponder& luxos_responder();       ///< LUXminer
const FamilyResponder& braiins_responder();     ///< Braiins OS+ BOSer cgminer-compatible API
const FamilyResponder& cgminer_responder();     ///< upstream cgminer 4.11.1, unrecognised
const FamilyResponder& whatsminer_responder();  ///< MicroBT btminer (API v1.4/v2.0.5 reads)
const FamilyResponder& vnish_responder();       ///< VNish: bmminer with "(Vnish x.y.z)" in Type
const FamilyResponder& avalon_responder();      ///< Canaan cgminer 4.11.1 fork (ascset control)

}  // namespace rigkeeper::drivers::sim
