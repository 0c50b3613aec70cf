#pragma once
/// The firmware's request handling above the socket: parse the request, answer each command
/// through the family's responder, wrap multi-commands the way real firmware does
/// (`{"summary":[{...}],"stats":[{...}],"id":1}`), reject them where the firmware does, and
/// frame the result with cgminer's trailing NUL.
///
/// Thread-safety: pure function.
#include <string>
#include <string_view>

#include "drivers/sim/device_reading.h"
#include "drivers/sim/responder.h"

namespace rigkeeper::drivers::sim {

/// The reply as JSON (without framing), for tests and for the transport faults that damage it.
/// With `access`, commands go through FamilyResponder::respond_on (control verbs, firmware state).
Json answer_json(std::string_view request, const DeviceReading& reading,
                 const FamilyResponder& responder, const DeviceAccess* access = nullptr);

/// The exact bytes the device sends: compact JSON followed by one NUL.
std::string answer(std::string_view request, const DeviceReading& reading,
                   const FamilyResponder& responder);

/// Compact serialisation that never throws (invalid UTF-8 from a request echo is replaced).
std::string to_wire(const Json& reply);

}  // namespace rigkeeper::drivers::sim
