#pragma once
/// Recognising Avalon (Canaan's cgminer fork) from a detection probe.
#include "drivers/api/driver.h"

namespace rigkeeper::drivers::avalon {

/// 20 when the version reply names an Avalon product (PROD "AvalonMiner ..."/"Avalon ...")
/// or devdetails names the AVALON driver; 0 otherwise (the generic cgminer driver answers 1).
int match(const Probe& probe);

/// Make Canaan, model from PROD (the "-81" bin suffix cut), firmware version from VERSION,
/// CGVERSION or LVERSION.
Identity identify(const Probe& probe);

}  // namespace rigkeeper::drivers::avalon
