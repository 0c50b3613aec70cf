#pragma once
/// Control verbs over the Braiins OS+ REST API (25.07+), each read back before it reports:
///  - curtail {"mode":"sleep"}: PUT actions/pause; confirmed when miner/details status is
///    paused (3) or suspended (4). memo {"mode":"normal"}.
///  - resume: PUT actions/resume; confirmed when status is normal (2).
///  - set_power {"watts"}: PUT performance/power-target {"watt"}; confirmed when
///    performance/tuner-state reports that target.
///  - switch_pool {"url","user","password"}: PUT pools/batch with one group holding that pool;
///    confirmed when GET pools lists it first.
///  - reboot: PUT actions/reboot; confirmed when the API goes away or the uptime restarts.
///  - locate (optional "seconds", ignored: the LED stays on until turned off): PUT
///    actions/locate true; confirmed when GET actions/locate answers true.
///  - switch_profile: kUnsupported (Braiins tunes to power or hashrate targets, not profiles).
///
/// Errors: the session's (kAuth, kUnsupported, kDeviceError, transport), kInvalidArgument for
/// missing or out-of-range params.
#include "drivers/api/driver.h"
#include "drivers/asic/braiins/rest_session.h"

namespace rigkeeper::drivers::braiins {

/// The power targets accepted by set_power (W); the firmware clamps further per model.
inline constexpr double kMinPowerTargetW = 100;
inline constexpr double kMaxPowerTargetW = 20000;

asio::awaitable<Result<CommandOutcome>> execute_rest(RestSession& session,
                                                     const DeviceCommand& cmd);

/// The state miner/details and miner/stats show now (for read-backs).
asio::awaitable<Result<DeviceState>> read_state(RestSession& session);

}  // namespace rigkeeper::drivers::braiins
