#include "agent/cli/cli_config.h"

#include <system_error>

namespace rigkeeper::cli {

Result<agent::AgentConfig> load_cli_config(const std::optional<std::filesystem::path>& file) {
  if (file) return agent::load_config(*file);
  std::error_code ec;
  if (std::filesystem::exists(kDefaultConfigFile, ec))
    return agent::load_config(kDefaultConfigFile);
  return agent::AgentConfig{};
}

std::filesystem::path control_socket_of(const agent::AgentConfig& config) {
  if (!config.control_socket.empty()) return config.control_socket;
  return config.state_dir / "rigkeeperd.sock";
}

}  // namespace rigkeeper::cli
