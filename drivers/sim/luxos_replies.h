#pragma once
/// LuxOS (LUXminer) reply builders, split across luxos_responder.cpp (cgminer report commands)
/// and luxos_extras.cpp (LuxOS's own commands). Internal to the simulator.
#include <string_view>

#include "drivers/sim/device_reading.h"
#include "drivers/sim/reply_format.h"

namespace rigkeeper::drivers::sim::luxos {

inline constexpr std::string_view kDescription = "LUXminer 2025.4.8.220305-57b389c7";

/// {"STATUS": [...], "<section>": items, "id": 1} with a LuxOS STATUS.
Json reply(const DeviceReading& r, int code, std::string_view msg, std::string_view section,
           Json items);

Json fans(const DeviceReading& r);
Json temps(const DeviceReading& r);
Json power(const DeviceReading& r);
Json profiles(const DeviceReading& r);
Json config(const DeviceReading& r);
Json events(const DeviceReading& r);
/// `parameter` is the board index; an E reply names a bad one.
Json healthchipget(const DeviceReading& r, std::string_view parameter);
Json voltageget(const DeviceReading& r, std::string_view parameter);

}  // namespace rigkeeper::drivers::sim::luxos
