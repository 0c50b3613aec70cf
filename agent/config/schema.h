#pragma once
/// The declaration of every configuration key, once: section, name, type, default, range or
/// allowed values, doc and secret flag. Validation, defaults, docs/CONFIG.md and the shipped
/// packaging/rigkeeper.toml are all produced from these tables; nothing else lists keys.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/config/config.h"
#include "drivers/api/options.h"

namespace rigkeeper::agent::config {

using drivers::OptionValue;

/// The TOML type a key takes. kPath is a string that names a file or folder: relative paths in
/// a file are resolved against that file's folder.
enum class KeyType { kString, kPath, kInt, kDouble, kBool };

/// Checks beyond type and range, each implemented once in value_check.cpp.
enum class KeyCheck {
  kNone,
  kName,        ///< 1..64 of [a-z0-9_-] (site, rack, device id: they appear in MQTT topics)
  kBrokerUrl,   ///< scheme://host[:port] with scheme tcp, mqtt, ssl or mqtts
  kDriverName,  ///< "auto" or a name in the driver registry
  kHost,        ///< non-empty, no whitespace or control characters
  kNonEmpty,    ///< any non-empty string
};

/// How a value is checked: shared by the agent's own keys and the drivers' declared keys.
struct ValueRule {
  KeyType type = KeyType::kString;
  std::optional<double> min;  ///< numbers: inclusive bounds
  std::optional<double> max;
  std::vector<std::string_view> allowed;  ///< strings: the only values accepted (if any)
  KeyCheck check = KeyCheck::kNone;
  bool secret = false;  ///< never echoed in messages or docs
};

/// Writes and reads the field of `Target` that a key lands in. assign() takes a value already
/// converted to the key type's canonical alternative and checked; read() gives nullopt for an
/// unset optional field.
template <class Target>
struct FieldAccess {
  void (*assign)(Target&, const OptionValue&) = nullptr;
  std::optional<OptionValue> (*read)(const Target&) = nullptr;
};

/// One declared key that lands in a field of `Target` (AgentConfig or DeviceEntry).
template <class Target>
struct KeySpec {
  std::string_view section;  ///< "agent", "mqtt", "store" or "devices"
  std::string_view name;
  ValueRule rule;
  std::optional<OptionValue> default_value;  ///< nullopt: unset unless given
  bool required = false;
  std::string_view doc;
  FieldAccess<Target> field;
  std::optional<OptionValue> example;  ///< shown in the shipped example config, if set

  std::string path() const { return std::string(section) + "." + std::string(name); }
};

using SettingSpec = KeySpec<AgentConfig>;
using DeviceSpec = KeySpec<DeviceEntry>;

/// The keys of the [agent], [mqtt] and [store] tables, in documentation order.
const std::vector<SettingSpec>& setting_keys();

/// The fixed keys of each [[devices]] entry (drivers add their own).
const std::vector<DeviceSpec>& device_keys();

/// The names of the top-level tables, in documentation order.
const std::vector<std::string_view>& section_names();

/// A rigkeeperd flag that overrides a key (contract: `rigkeeperd --site S ...`).
struct OverrideFlag {
  std::string_view flag;  ///< "--site"
  std::string_view section;
  std::string_view name;
  std::optional<OptionValue> (*get)(const ConfigOverrides&);  ///< nullopt: flag not given
};

/// Every flag that overrides a key.
const std::vector<OverrideFlag>& override_flags();

/// The flag that overrides `section.name`, or nullptr.
const OverrideFlag* flag_for(std::string_view section, std::string_view name);

/// The declaration of `section.name`, or nullptr.
const SettingSpec* find_setting(std::string_view section, std::string_view name);
const DeviceSpec* find_device_key(std::string_view name);

/// The rule that checks a driver's declared key (OptionType mapped onto ValueRule).
ValueRule rule_for(const drivers::ConfigKey& key);

/// An AgentConfig holding exactly the declared defaults.
AgentConfig default_config();

}  // namespace rigkeeper::agent::config
