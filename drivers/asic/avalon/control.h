#pragma once
/// Avalon control, the pure half: the `ascset` parameters (Canaan's cgminer fork takes every
/// setting as `ascset|0,<option>,<value>`) and the work-mode names. No I/O.
///
/// Wire formats (Canaan's API notes for the 1246, the Avalon Q tools, pyasic, libminer):
///   soft off / on    0,softoff,1:<device unix time + 5>   0,softon,1:<...>
///   work mode        0,workmode,set,<n>   (Avalon Q: 0 Eco, 1 Standard, 2 Super;
///                                          AvalonMiner 1246: 0 normal, 1 performance)
///   reboot           0,reboot,0
///   locate LED       0,led,1-1 (on) / 0,led,1-0 (off)
///   pool             0,setpool,<web user>,<web password>,<url>,<worker>,<worker password>
///                    (applies after a reboot)
#include <optional>
#include <string>
#include <vector>

#include "drivers/api/result.h"

namespace rigkeeper::drivers::avalon {

/// The work-mode names a model has, index = mode number ("eco", "standard", "super" on the
/// Avalon Q; "normal", "performance" on AvalonMiner models; "0".."2" otherwise).
std::vector<std::string> workmode_names(const std::string& model);

/// The mode number for a profile name (a name of workmode_names(model), case-insensitive, or
/// the bare number of one of them); nullopt when the model has no such mode.
std::optional<int> workmode_for_profile(const std::string& model, const std::string& profile);

/// "work mode 1 (standard)".
std::string describe_workmode(const std::string& model, int mode);

std::string softoff_parameter(long long device_unix_time);
std::string softon_parameter(long long device_unix_time);
std::string workmode_parameter(int mode);
std::string reboot_parameter();
std::string led_parameter(bool on);
/// Errc::kInvalidArgument when a field holds a comma or a control character (the API has no
/// quoting).
Result<std::string> setpool_parameter(const std::string& web_user, const std::string& web_password,
                                      const std::string& url, const std::string& worker,
                                      const std::string& worker_password);

}  // namespace rigkeeper::drivers::avalon
