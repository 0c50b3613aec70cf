#pragma once
/// Type conversion and value checks of one key against its ValueRule, shared by the agent's own
/// keys, the drivers' declared keys and the command-line overrides. Problems come back as text
/// (no location: the caller adds it); a secret value never appears in that text.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>
#include <tl/expected.hpp>

#include "agent/config/schema.h"

namespace rigkeeper::agent::config {

/// Longest string value accepted (paths, hosts, names are all far shorter).
inline constexpr std::size_t kMaxStringBytes = 4096;

/// "a string", "an integer", "a number", "a boolean"; "a path" for kPath.
std::string_view type_name(KeyType type);

/// The TOML value as the rule's canonical alternative (kDouble: double, kInt: int64_t,
/// kString/kPath: string), or the problem ("expected an integer, got a string").
tl::expected<OptionValue, std::string> convert(const toml::node& node, const ValueRule& rule);

/// The same for a value that did not come from TOML (command-line overrides).
tl::expected<OptionValue, std::string> coerce(const OptionValue& value, const ValueRule& rule);

/// Range, allowed values and the rule's KeyCheck; nullopt when the value is acceptable.
/// `driver_names` are the registered drivers, for KeyCheck::kDriverName.
std::optional<std::string> check_value(const OptionValue& value, const ValueRule& rule,
                                       const std::vector<std::string>& driver_names);

/// A value as shown in messages and docs: strings quoted with control characters escaped and
/// long ones shortened, numbers in their shortest form, secrets as ***.
std::string shown(const OptionValue& value, bool secret);

/// Shortest round-trip text of a number ("0.1", "3600").
std::string format_number(double value);

/// The scheme of a broker URL ("tcp", "ssl", ...), or "" when it has none.
std::string_view broker_scheme(std::string_view url);

/// Whether the broker URL asks for TLS (ssl:// or mqtts://).
bool is_tls_broker(std::string_view url);

}  // namespace rigkeeper::agent::config
