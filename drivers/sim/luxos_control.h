#pragma once
/// LuxOS (LUXminer) control in the simulator: the session model and the privileged commands.
///
/// LuxOS allows one API session at a time. `logon` opens it and returns SESSION[0].SessionID;
/// while it lives, another `logon` fails with STATUS E code 402 "Another session is active"
/// (the code and text luxos-tooling checks); `session` tells anyone the live session's id
/// (pyasic reuses it); `logoff <sid>` ends it. A session ends after `session_timeout` without
/// use and with a reboot. Privileged commands take the session id as their first parameter;
/// without a live one they fail with E code 401, the message saying whether the session timed
/// out or the id is unknown. The success codes of logon/session/logoff/atmset/ledset/pool
/// commands are the simulator's own (no capture of them was available); curtail's 335 is from
/// the LuxOS docs example.
///
/// Thread-safety: none; runs on the simulator's io_context thread like AsicDevice.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/sim/asic_device.h"
#include "drivers/sim/device_reading.h"
#include "drivers/sim/reply_format.h"

namespace rigkeeper::drivers::sim::luxos {

/// Per-device LUXminer state, kept in AsicDevice::extension<FirmwareState>().
struct FirmwareState {
  std::string session_id;  ///< the live session, "" when none
  std::string expired_id;  ///< the last session that timed out (for the error text)
  SimTime last_used{};     ///< the session times out `session_timeout` after this
  int session_boot = 0;    ///< AsicDevice::boots() when it was opened; a reboot ends it
  std::chrono::seconds session_timeout{600};
  bool atm_enabled = true;
  std::string red_led = "auto";         ///< auto | on | off | blink
  std::vector<PoolConfig> added_pools;  ///< addpool'ed, not yet switched to
  int logons = 0;                       ///< sessions opened so far (tests count them)
  uint64_t next_token = 0;
};

/// The reply to a LuxOS command that needs the device (session, control, or state shown in
/// `config`/`atm`/`pools`); nullopt for plain report commands. `report` is the pure reply of
/// the same command (config, pools) that this patches with the firmware state.
std::optional<Json> control(std::string_view command, std::string_view parameter,
                            const DeviceReading& reading, AsicDevice& device, SimTime now,
                            const std::optional<Json>& report);

}  // namespace rigkeeper::drivers::sim::luxos
