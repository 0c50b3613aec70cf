#pragma once
/// Recognising VNish (AnthillOS) from a detection probe: its web API (`/api/v1/info` with
/// `fw_name` "Vnish", or an AnthillOS page at "/"), or the VNISH token in its cgminer API.
#include "drivers/api/driver.h"

namespace rigkeeper::drivers::vnish {

/// 40 when /api/v1/info names Vnish; 35 when the "/" page says AnthillOS or Vnish; 32 when
/// the cgminer version/devdetails replies carry the token VNISH (above stock Antminer's
/// match, which VNish's bmminer-based API also satisfies); otherwise 0.
int match(const Probe& probe);

/// Model from /api/v1/info `miner` or the cgminer Type, version from `fw_version` or the
/// "(Vnish x.y.z)" suffix of the Type.
Identity identify(const Probe& probe);

}  // namespace rigkeeper::drivers::vnish
