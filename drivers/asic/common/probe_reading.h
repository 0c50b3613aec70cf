#pragma once
/// Reading a detection Probe (the `version` and `devdetails` replies): the firmware tokens
/// each family's match() looks for, and the identity fields shared by the families.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "drivers/api/driver.h"

namespace rigkeeper::drivers::asic {

/// VERSION[0] of the probe's version reply, or nullptr.
const nlohmann::json* probe_version_entry(const Probe& probe);

/// DEVDETAILS[0] of the probe's devdetails reply, or nullptr.
const nlohmann::json* probe_devdetails_entry(const Probe& probe);

/// True when `token` (upper case, e.g. "LUXMINER") occurs, ignoring case, anywhere in the
/// version reply, or in the devdetails reply when `include_devdetails`.
bool probe_has_token(const Probe& probe, std::string_view token, bool include_devdetails = true);

/// True when either reply has the shape of a cgminer-API reply.
bool probe_is_cgminer(const Probe& probe);

/// The first of `keys` that VERSION[0] holds as a non-empty string.
std::optional<std::string> version_string(const Probe& probe,
                                          std::initializer_list<std::string_view> keys);

/// The version reply's STATUS Description ("LUXminer 2025.4.8...", "cgminer 1.0.0").
std::optional<std::string> version_description(const Probe& probe);

/// Make and model from VERSION[0].Type (or devdetails Model), cleaned by clean_model().
/// Model is "" when neither says.
void identity_model_from_probe(const Probe& probe, Identity& id);

}  // namespace rigkeeper::drivers::asic
