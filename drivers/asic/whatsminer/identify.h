#pragma once
/// Recognising a Whatsminer (btminer) from a detection probe.
#include "drivers/api/driver.h"

namespace rigkeeper::drivers::whatsminer {

/// 30 when a cgminer reply carries BTMINER, BITMICRO or "whatsminer" (btminer's STATUS
/// Description), or when the probe holds an API v3 get.device.info reply; 0 otherwise.
int match(const Probe& probe);

/// Make MicroBT; model from devdetails Model or the v3 miner.type; firmware version from
/// the v3 system.fwversion or the version reply.
Identity identify(const Probe& probe);

}  // namespace rigkeeper::drivers::whatsminer
