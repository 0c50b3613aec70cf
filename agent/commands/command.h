#pragma once
/// A command to the rack as the contract pins it (`P/cmd`, `rigkeeper/v1/<site>/cmd` and the
/// local control socket): its typed form and the pure parser that validates one. Validation
/// never touches a device: a command that fails it is answered `rejected` with the reason.
///
/// Threading: pure functions, no shared state.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/api/telemetry.h"
#include "drivers/api/timestamp.h"

namespace rigkeeper::agent::commands {

/// The contract's command types.
inline constexpr std::string_view kCommandTypes[] = {
    "curtail",         "resume", "set_power", "switch_pool", "switch_profile",
    "switch_workload", "reboot", "locate",    "diagnose"};

/// `{"all":true}`, `{"devices":[...]}` or `{"kind":"asic"|"gpu_node"}`: exactly one is set.
struct Targets {
  bool all = false;
  std::vector<std::string> devices;
  std::optional<drivers::DeviceKind> kind;
};

struct Command {
  std::string id;
  std::string type;
  Timestamp issued_at;
  std::optional<Timestamp> expires_at;
  Targets targets;
  nlohmann::json params = nlohmann::json::object();
  std::string body;  ///< the exact command JSON received (journaled as is)
};

struct ParseLimits {
  std::size_t max_bytes = 64 * 1024;     ///< larger payloads are rejected unread
  std::chrono::seconds clock_skew{300};  ///< how far in the future issued_at may be
  std::size_t max_id_bytes = 128;
  std::size_t max_targets = 4096;
};

/// What parsing produced: a valid command, or the reason it is rejected. `id` is filled in
/// whenever the payload carried a usable string id, so the rejection can name it.
struct ParseResult {
  std::optional<Command> command;
  std::string id;
  std::string reason;  ///< empty when `command` is set
};

/// Parses and validates one command body against the contract: JSON object, string id,
/// known type, RFC 3339 timestamps, issued_at no later than now + clock_skew, expires_at (if
/// given) after now, exactly one kind of target, params as the type requires.
ParseResult parse_command(std::string_view body, Timestamp now, const ParseLimits& limits);

/// Just the "id" of a payload that may be invalid otherwise (empty when there is none):
/// used to answer a repeated id from the journal before validating anything else.
std::string peek_id(std::string_view body, std::size_t max_id_bytes = 128);

/// Checks `params` for `type`; returns the reason it is wrong, or empty.
std::string check_params(std::string_view type, const nlohmann::json& params);

/// True when re-running the command after an interrupted run cannot do harm (curtail,
/// resume, set_power, switch_pool, switch_profile, locate); reboot, switch_workload and
/// diagnose are never repeated blindly.
bool repeatable(std::string_view type);

}  // namespace rigkeeper::agent::commands
