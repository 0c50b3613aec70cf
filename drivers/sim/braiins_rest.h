#pragma once
/// Braiins OS+ 25.07 public REST API personality (`/api/v1` on port 80): login with
/// username/password (root/root, the firmware default) for a token with `timeout_s`,
/// `Authorization: <token>` on every other call, reads shaped key-for-key like the 25.07
/// captures (shared/fixtures/asic/braiins/rest_v25_07_*.json), and the control verbs:
/// actions/pause|resume|reboot|locate, performance/power-target, pools/batch. Tokens die
/// with a reboot or after kTokenTtlS.
///
/// Thread-safety: a stateless singleton; per-device state lives in AsicDevice::extension.
#include "drivers/sim/reply_format.h"
#include "drivers/sim/web_responder.h"

namespace rigkeeper::drivers::sim {

/// The REST personality of the Braiins family.
const WebResponder& braiins_rest();

/// JSON bodies of the read endpoints (for tests comparing with the captures).
Json braiins_rest_read(std::string_view path, AsicDevice& device, SimTime now, int64_t now_unix);

}  // namespace rigkeeper::drivers::sim
