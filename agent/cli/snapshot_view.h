#pragma once
/// The readable form of one device snapshot (`rigkeeper probe` without --json).
#include <iosfwd>
#include <string_view>

#include "drivers/api/telemetry.h"

namespace rigkeeper::cli {

/// Identity, state, hashrate against nominal, power, efficiency, temperatures, fans, pool,
/// one row per hash board (chips found/expected) and per GPU, and the device's errors.
/// `driver` is the registry name of the driver that read it.
void print_snapshot(std::ostream& out, const drivers::DeviceSnapshot& snap,
                    std::string_view driver);

}  // namespace rigkeeper::cli
