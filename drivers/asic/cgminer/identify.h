#pragma once
/// The generic cgminer-API fallback's matcher.
#include "drivers/api/driver.h"

namespace rigkeeper::drivers::cgminer {

/// 1 for any probe holding a parseable cgminer-API reply (an object with a STATUS section),
/// so that a specific family (10 or more) always wins and nothing cgminer-shaped is refused.
int match(const Probe& probe);

/// Model from Type/PROD/Model of VERSION[0] (or devdetails), firmware "cgminer" (the contract's
/// value for an unrecognised cgminer-API firmware), version from CGMiner/BMMiner/BFGMiner/Miner.
Identity identify(const Probe& probe);

}  // namespace rigkeeper::drivers::cgminer
