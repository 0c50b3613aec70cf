#pragma once
/// Recognising LuxOS from a detection probe.
#include "drivers/api/driver.h"

namespace rigkeeper::drivers::luxos {

/// 30 when the token LUXMINER appears in the version or devdetails reply; 0 otherwise.
int match(const Probe& probe);

/// Make and model from VERSION[0].Type, firmware version from `LUXminer`.
Identity identify(const Probe& probe);

}  // namespace rigkeeper::drivers::luxos
