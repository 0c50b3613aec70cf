#pragma once
/// Whatsminer (MicroBT btminer) in the simulator: the firmware generation of each model, the
/// per-device firmware state (admin password, issued v2 tokens, LED) and the entry points the
/// fleet calls: the encrypted v2 privileged commands on the cgminer port and the API v3
/// requests of the 4433 listener. The plain v2 reads are the family responder
/// (whatsminer_responder.cpp).
///
/// Thread-safety: none; everything runs on the simulator's io_context thread.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "drivers/sim/asic_device.h"
#include "drivers/sim/device_reading.h"
#include "drivers/sim/reply_format.h"
#include "drivers/sim/responder.h"

namespace rigkeeper::drivers::sim::whatsminer {

/// The default admin password of the simulated miners (v2 `admin` account and v3 `super`).
inline constexpr std::string_view kDefaultPassword = "admin";

/// What the firmware of a model is: old models run a 2021/2023 build (API v1.4 / v2.0.5 on
/// 4028 only); the M60S runs a 2025 build that also serves API v3 on 4433 and refuses v2
/// writes, as firmware after 2024-11 does.
struct FirmwareInfo {
  std::string_view fw_ver;   ///< get_version fw_ver: "20210322.22.REL"
  std::string_view api_ver;  ///< get_version api_ver and get_* Description
  bool v3 = false;           ///< serves API v3 on 4433
};
FirmwareInfo firmware_of(const DeviceReading& r);
FirmwareInfo firmware_of_model(std::string_view model_name);

/// Per-device firmware state, in AsicDevice::extension<FirmwareState>().
struct FirmwareState {
  std::string password{kDefaultPassword};
  bool api_enabled = true;  ///< false: every write answers "can't access write cmd"
  struct Token {
    std::string salt, newsalt, time;
  };
  std::deque<Token> tokens;  ///< the last few get_token answers, newest last
  uint64_t issued = 0;
  std::string led = "auto";
  std::string v3_salt;        ///< get.device.info salt (fixed per device)
  int64_t privileged_ok = 0;  ///< accepted privileged commands (tests count them)
};

/// The answer to a v2 request the plain responder cannot give: an encrypted privileged
/// command `{"enc":1,"data":...}` (answered `{"enc":"..."}` or a plain STATUS E), or the
/// `{"cmd":"..."}` request form; nullopt for anything else.
std::optional<Json> v2_special(std::string_view request, const DeviceReading& reading,
                               const DeviceAccess& access, const FamilyResponder& responder);

/// `get_token` (needs the device: it issues a salt pair).
Json get_token(const DeviceReading& reading, const DeviceAccess& access);

/// The reply body to one API v3 request body (the JSON inside the length frame).
Json v3_answer(std::string_view body, const DeviceReading& reading, const DeviceAccess& access);

/// Flat get_* reply: {"Code":131,"Description":api_ver,"Msg":msg,"STATUS":"S","When":when}.
Json flat_reply(const DeviceReading& r, Json msg, int code = 131);
/// Flat STATUS E reply with a message.
Json flat_error(const DeviceReading& r, int code, std::string_view msg);

}  // namespace rigkeeper::drivers::sim::whatsminer
