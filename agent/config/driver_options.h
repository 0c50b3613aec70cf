#pragma once
/// The driver-specific keys of a [[devices]] entry: checked against the keys the chosen driver
/// declares (for driver = "auto": against any registered driver's declaration), and the
/// chosen driver's defaults and required keys applied.
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>
#include <tl/expected.hpp>

#include "agent/config/config_builder.h"
#include "drivers/api/options.h"

namespace rigkeeper::agent::config {

/// The value of driver key `name` given as `node`, converted and range-checked. `driver` is the
/// device's driver, or nullptr for "auto" (any registered declaration of the key that accepts
/// the value wins). On failure, the problem (unknown key with a suggestion, wrong type, out of
/// range), never showing a secret value.
tl::expected<drivers::OptionValue, std::string> check_driver_key(std::string_view name,
                                                                 const toml::node& node,
                                                                 const drivers::DriverInfo* driver,
                                                                 const DriverList& drivers);

/// Fills `driver`'s defaults into `options` and returns the names of required keys still
/// missing.
std::vector<std::string> complete_driver_options(const drivers::DriverInfo& driver,
                                                 drivers::Options& options);

/// Every key name that some registered driver declares secret.
std::vector<std::string> driver_secret_names(const DriverList& drivers);

}  // namespace rigkeeper::agent::config
