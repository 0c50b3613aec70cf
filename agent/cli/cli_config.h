#pragma once
/// Where the CLI finds the running daemon's files: the control socket and the state
/// directory, from flags first, else the config file (the default one may be absent).
#include <filesystem>
#include <optional>

#include "agent/config/config.h"
#include "drivers/api/result.h"

namespace rigkeeper::cli {

/// The config file rigkeeperd reads when none is named.
inline constexpr const char* kDefaultConfigFile = "/etc/rigkeeper/rigkeeper.toml";

/// Loads `file` when given (it must load), else the default file when it exists, else the
/// built-in defaults. Errc::kConfig with every problem when a file does not load.
Result<agent::AgentConfig> load_cli_config(const std::optional<std::filesystem::path>& file);

/// The control socket a config names: `control_socket`, else `<state_dir>/rigkeeperd.sock`.
std::filesystem::path control_socket_of(const agent::AgentConfig& config);

}  // namespace rigkeeper::cli
