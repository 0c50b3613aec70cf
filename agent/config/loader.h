#pragma once
/// load_config() and parse_config() against an explicit driver list: the public functions use
/// the compiled-in registry; tests inject drivers of their own.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "agent/config/config.h"
#include "agent/config/config_builder.h"

namespace rigkeeper::agent::config {

/// Most drop-in files read from rigkeeper.d/.
inline constexpr std::size_t kMaxDropIns = 256;

Result<AgentConfig> load_config_with(const std::filesystem::path& file,
                                     const ConfigOverrides& overrides, const DriverList& drivers);

Result<AgentConfig> parse_config_with(std::string_view toml_text, std::string_view origin,
                                      const ConfigOverrides& overrides, const DriverList& drivers);

/// The drop-ins of `file`: `<file's folder>/rigkeeper.d/*.toml` (hidden files skipped), sorted
/// by name; none when the folder does not exist.
tl::expected<std::vector<std::filesystem::path>, std::string> drop_in_files(
    const std::filesystem::path& file);

}  // namespace rigkeeper::agent::config
