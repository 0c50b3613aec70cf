#pragma once
/// Recognising stock Antminer firmware from a detection probe.
#include "drivers/api/driver.h"

namespace rigkeeper::drivers::antminer {

/// 10 when VERSION[0].Type names an Antminer, the reply comes from bmminer or Bitmain's
/// cgminer, and no other firmware's token (Braiins, LuxOS, Hiveon, VNish, Marathon,
/// Whatsminer) appears in either reply; 0 otherwise.
int match(const Probe& probe);

/// Make, model (Type without its " (…)" suffix) and firmware version (`Miner`).
Identity identify(const Probe& probe);

}  // namespace rigkeeper::drivers::antminer
