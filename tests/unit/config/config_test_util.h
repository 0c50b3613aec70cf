#pragma once
// Helpers shared by the config tests: loading text against a chosen driver list, and two
// fake drivers whose declared keys cover every option type.
#include <filesystem>
#include <string>
#include <string_view>

#include "agent/config/config.h"
#include "agent/config/loader.h"

namespace rigkeeper::agent::test {

/// "alpha" (string/secret/int/double/bool keys, defaults) and "beta" (a required secret key and
/// a key named like one of alpha's with another type).
const config::DriverList& fake_drivers();

/// parse_config against `drivers`, origin "t.toml".
Result<AgentConfig> parse_with(std::string_view text, const config::DriverList& drivers,
                               const ConfigOverrides& overrides = {});

/// The error message of loading `text` (origin "t.toml"); fails the test if it loaded or if the
/// error is not Errc::kConfig.
std::string error_of(std::string_view text, const config::DriverList& drivers = {},
                     const ConfigOverrides& overrides = {});

/// The error message of a Result that must have failed with Errc::kConfig.
std::string error_of(const Result<AgentConfig>& result);

void write_file(const std::filesystem::path& path, std::string_view text);

/// Number of lines in a message.
std::size_t line_count(std::string_view text);

}  // namespace rigkeeper::agent::test
