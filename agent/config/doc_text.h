#pragma once
/// Text shared by the two documents generated from the schema: docs/CONFIG.md
/// (reference_markdown.cpp) and packaging/rigkeeper.toml (example_toml.cpp).
#include <optional>
#include <string>
#include <string_view>

#include "agent/config/schema.h"

namespace rigkeeper::agent::config {

/// "string", "path", "integer", "float", "boolean", with ", secret" for secrets.
std::string type_label(const ValueRule& rule);

/// What values are accepted beyond the type: "1 to 3600", "trace, debug, ...", "" if anything.
std::string accepted_label(const ValueRule& rule);

/// A value written as TOML: "\"site\"", "10", "0.1", "false".
std::string toml_literal(const OptionValue& value);

/// `text` wrapped at `width` columns, each line starting with `prefix`.
std::string wrap(std::string_view text, std::size_t width, std::string_view prefix);

}  // namespace rigkeeper::agent::config
