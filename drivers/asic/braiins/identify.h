#pragma once
/// Recognising Braiins OS / OS+ from a detection probe.
#include "drivers/api/driver.h"

namespace rigkeeper::drivers::braiins {

/// 30 when the token BOSMINER or BOSER appears in the version or devdetails reply; 25 when
/// only the web page at "/" says "Braiins OS" (pyasic's web marker).
int match(const Probe& probe);

/// Model from devdetails' Model ("Bitmain " dropped), firmware version from VERSION[0].BOSer
/// (or BOSminer). The version reply names no model: without devdetails the model is "".
Identity identify(const Probe& probe);

}  // namespace rigkeeper::drivers::braiins
