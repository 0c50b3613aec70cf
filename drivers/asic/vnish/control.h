#pragma once
/// Control verbs over the VNish web API, each read back before it reports:
///  - curtail {"mode":"sleep"}: POST mining/pause; confirmed when summary's miner_state is
///    paused or stopped. memo {"mode":"normal"}.
///  - resume: POST mining/resume; confirmed when the miner is no longer paused/stopped.
///  - set_power {"watts"}: the highest TUNED autotune preset whose watts are not above the
///    target, applied as settings `miner.overclock.preset`; confirmed when settings read back
///    that preset. No tuned preset fits: Errc::kDeviceError, nothing changed.
///  - switch_profile {"profile"}: the preset of that name, tuned only, applied the same way.
///  - switch_pool {"url","user","password"}: settings `miner.pools` = that pool; confirmed
///    when settings list it first.
///  - reboot: POST system/reboot; confirmed when the API goes away or the uptime restarts.
///  - locate: POST find-miner {"on": true}; confirmed when status' find_miner is true.
#include "drivers/api/driver.h"
#include "drivers/asic/vnish/session.h"

namespace rigkeeper::drivers::vnish {

asio::awaitable<Result<CommandOutcome>> execute_web(WebSession& session, const DeviceCommand& cmd);

}  // namespace rigkeeper::drivers::vnish
