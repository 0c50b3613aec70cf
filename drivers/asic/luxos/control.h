#pragma once
/// LuxOS control, the pure half: reading `profiles` and `config` replies, and choosing the
/// profile for a power target. No I/O; the driver (driver.cpp) sends the commands.
///
/// Power targets: LuxOS has no watt setting; it has frequency profiles, each with the power
/// LUXminer expects at it (`profiles` PROFILES[].Watts). A target of T W selects the highest
/// profile whose Watts is not above T, as pyasic and the notes do.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/api/result.h"

namespace rigkeeper::drivers::luxos {

struct Profile {
  std::string name;  ///< "Profile Name": "default", "290MHz"
  double watts = 0;  ///< expected power at this profile
};

/// PROFILES[] of a `profiles` reply; entries without a name or a finite, positive Watts are
/// skipped. Errc::kProtocol when no usable profile is listed.
Result<std::vector<Profile>> parse_profiles(const nlohmann::json& reply);

/// The highest-power profile with watts <= target_w (ties: the first listed); nullopt when
/// every profile is above the target.
std::optional<Profile> choose_profile(const std::vector<Profile>& profiles, double target_w);

/// The profile called `name`, or nullopt.
std::optional<Profile> find_profile(const std::vector<Profile>& profiles, const std::string& name);

/// What `config` CONFIG[0] says about the state control verbs change.
struct ControlState {
  std::string curtail_mode;            ///< "None" when working, else the sleep mode
  std::optional<std::string> profile;  ///< active profile name
  std::optional<bool> atm_enabled;     ///< IsAtmEnabled
  std::optional<std::string> red_led;  ///< RedLed: auto | on | off | blink

  bool sleeping() const;
};

/// Errc::kProtocol when the reply has no CONFIG[0] object.
Result<ControlState> parse_control_state(const nlohmann::json& reply);

/// "<sid>[,<a>,<b>...]": the parameter of a privileged command. Errc::kInvalidArgument when an
/// argument holds a comma (the API has no quoting), a control character, or is too long.
Result<std::string> privileged_parameter(const std::string& session_id,
                                         const std::vector<std::string>& args);

}  // namespace rigkeeper::drivers::luxos
