#pragma once
/// Checks that involve more than one key, or the world outside the file (TLS files exist).
/// Each rule carries the sentence that documents it in docs/CONFIG.md.
#include <string_view>
#include <vector>

#include "agent/config/config_builder.h"

namespace rigkeeper::agent::config {

struct RuleInput {
  const AgentConfig& config;  ///< merged, overrides applied, control_socket filled in
  const Provenance& where;
};

struct Rule {
  std::string_view doc;
  void (*check)(const RuleInput&, Diagnostics&);
};

/// Every cross-key rule, in documentation order.
const std::vector<Rule>& cross_key_rules();

}  // namespace rigkeeper::agent::config
