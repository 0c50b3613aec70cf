#include "agent/config/schema.h"

#include <cstdint>
#include <filesystem>
#include <variant>

namespace rigkeeper::agent::config {
namespace {

// Values reach assign() already converted to the key type's canonical alternative
// (kInt: int64_t, kDouble: double, kString/kPath: string), and range-checked, so the
// narrowing conversions below cannot lose anything.
void store(std::string& field, const OptionValue& v) { field = std::get<std::string>(v); }
void store(std::filesystem::path& field, const OptionValue& v) { field = std::get<std::string>(v); }
void store(double& field, const OptionValue& v) { field = std::get<double>(v); }
void store(int& field, const OptionValue& v) { field = static_cast<int>(std::get<int64_t>(v)); }
void store(bool& field, const OptionValue& v) { field = std::get<bool>(v); }
void store(std::optional<uint16_t>& field, const OptionValue& v) {
  field = static_cast<uint16_t>(std::get<int64_t>(v));
}
void store(std::optional<double>& field, const OptionValue& v) { field = std::get<double>(v); }

std::optional<OptionValue> load(const std::string& f) { return OptionValue{f}; }
std::optional<OptionValue> load(const std::filesystem::path& f) { return OptionValue{f.string()}; }
std::optional<OptionValue> load(double f) { return OptionValue{f}; }
std::optional<OptionValue> load(int f) { return OptionValue{static_cast<int64_t>(f)}; }
std::optional<OptionValue> load(bool f) { return OptionValue{f}; }
std::optional<OptionValue> load(const std::optional<uint16_t>& f) {
  if (!f) return std::nullopt;
  return OptionValue{static_cast<int64_t>(*f)};
}
std::optional<OptionValue> load(const std::optional<double>& f) {
  if (!f) return std::nullopt;
  return OptionValue{*f};
}

// A field of the target itself (AgentConfig::site, DeviceEntry::port).
template <auto Member, class T>
void set_field(T& target, const OptionValue& v) {
  store(target.*Member, v);
}
template <auto Member, class T>
std::optional<OptionValue> get_field(const T& target) {
  return load(target.*Member);
}
// A field of a nested struct of AgentConfig (AgentConfig::mqtt then MqttConfig::broker).
template <auto Sub, auto Member>
void set_nested(AgentConfig& target, const OptionValue& v) {
  store(target.*Sub.*Member, v);
}
template <auto Sub, auto Member>
std::optional<OptionValue> get_nested(const AgentConfig& target) {
  return load(target.*Sub.*Member);
}

// Accessors of one field, by table: agent_field<&AgentConfig::site>() and so on.
template <auto Member>
FieldAccess<AgentConfig> agent_field() {
  return {&set_field<Member, AgentConfig>, &get_field<Member, AgentConfig>};
}
template <auto Member>
FieldAccess<AgentConfig> mqtt_field() {
  return {&set_nested<&AgentConfig::mqtt, Member>, &get_nested<&AgentConfig::mqtt, Member>};
}
template <auto Member>
FieldAccess<AgentConfig> store_field() {
  return {&set_nested<&AgentConfig::store, Member>, &get_nested<&AgentConfig::store, Member>};
}
template <auto Member>
FieldAccess<AgentConfig> commands_field() {
  return {&set_nested<&AgentConfig::commands, Member>, &get_nested<&AgentConfig::commands, Member>};
}
template <auto Member>
FieldAccess<DeviceEntry> device_field() {
  return {&set_field<Member, DeviceEntry>, &get_field<Member, DeviceEntry>};
}

using T = KeyType;
using C = KeyCheck;
OptionValue S(const char* s) { return OptionValue{std::string(s)}; }
OptionValue I(int64_t i) { return OptionValue{i}; }
OptionValue D(double d) { return OptionValue{d}; }

}  // namespace

const std::vector<SettingSpec>& setting_keys() {
  // One key per entry: section, name, rule, default, required; doc; field[, example].
  // clang-format off
  static const std::vector<SettingSpec> kKeys = {
      // [agent]
      {"agent", "site", {T::kString, {}, {}, {}, C::kName}, S("site"), false,
       "Site name: the second level of every MQTT topic (rigkeeper/v1/<site>/<rack>).",
       agent_field<&AgentConfig::site>()},
      {"agent", "rack", {T::kString, {}, {}, {}, C::kName}, S("rack"), false,
       "Rack name, unique within the site: the third level of every MQTT topic.",
       agent_field<&AgentConfig::rack>()},
      {"agent", "state_dir", {T::kPath, {}, {}, {}, C::kNonEmpty}, S("/var/lib/rigkeeper"), false,
       "Folder for the SQLite store (history, outbox, command journal) and the control socket.",
       agent_field<&AgentConfig::state_dir>()},
      {"agent", "control_socket", {T::kPath}, S(""), false,
       "Unix socket of the local control interface used by `rigkeeper`. Empty: "
       "<state_dir>/rigkeeperd.sock. At most 107 bytes long.",
       agent_field<&AgentConfig::control_socket>()},
      {"agent", "command_keys", {T::kPath}, S(""), false,
       "Folder of trusted Ed25519 command keys (`KEY_ID.pub`). When set, unsigned commands are "
       "rejected. Empty: commands need no signature.",
       agent_field<&AgentConfig::command_keys>()},
      {"agent", "poll_interval_s", {T::kDouble, 1.0, 3600.0}, D(10), false,
       "Seconds between two polls of a device.",
       agent_field<&AgentConfig::poll_interval_s>()},
      {"agent", "poll_jitter", {T::kDouble, 0.0, 0.5}, D(0.1), false,
       "Random spread of each poll, as a fraction of the interval, so that devices are not all "
       "polled at the same instant.",
       agent_field<&AgentConfig::poll_jitter>()},
      {"agent", "poll_timeout_s", {T::kDouble, 0.1, 120.0}, D(5), false,
       "Deadline for one request to a device. Must be less than poll_interval_s. When it is not "
       "set and the default does not fit a short poll_interval_s, it is 0.8 x poll_interval_s.",
       agent_field<&AgentConfig::poll_timeout_s>()},
      {"agent", "status_interval_s", {T::kDouble, 5.0, 3600.0}, D(60), false,
       "Seconds between refreshes of the retained status message.",
       agent_field<&AgentConfig::status_interval_s>()},
      {"agent", "log_level", {T::kString, {}, {}, {"trace", "debug", "info", "warn", "error"}},
       S("info"), false,
       "Least severe log level written.",
       agent_field<&AgentConfig::log_level>()},
      // [mqtt]
      {"mqtt", "broker", {T::kString, {}, {}, {}, C::kBrokerUrl}, S("tcp://127.0.0.1:1883"), false,
       "Broker URL: tcp:// or mqtt:// (plain), ssl:// or mqtts:// (TLS), then host[:port].",
       mqtt_field<&MqttConfig::broker>()},
      {"mqtt", "client_id", {T::kString}, S(""), false,
       "MQTT client id. Empty: rigkeeper-<site>-<rack>.",
       mqtt_field<&MqttConfig::client_id>()},
      {"mqtt", "username", {T::kString}, S(""), false,
       "Broker user name; empty: anonymous.",
       mqtt_field<&MqttConfig::username>()},
      {"mqtt", "password", {T::kString, {}, {}, {}, C::kNone, true}, S(""), false,
       "Broker password (needs username). Prefer password_file, which keeps the secret out of "
       "this file.",
       mqtt_field<&MqttConfig::password>()},
      {"mqtt", "password_file", {T::kPath}, S(""), false,
       "File whose first line is the broker password (alternative to password, not both).",
       mqtt_field<&MqttConfig::password_file>()},
      {"mqtt", "keepalive_s", {T::kInt, 5.0, 3600.0}, I(30), false,
       "MQTT keep-alive interval.",
       mqtt_field<&MqttConfig::keepalive_s>()},
      {"mqtt", "telemetry_qos", {T::kInt, 0.0, 1.0}, I(0), false,
       "QoS of telemetry messages (0 or 1). Status, events and acks always use QoS 1.",
       mqtt_field<&MqttConfig::telemetry_qos>()},
      {"mqtt", "reconnect_min_s", {T::kDouble, 0.1, 600.0}, D(1), false,
       "First delay before reconnecting to a lost broker; doubles up to reconnect_max_s.",
       mqtt_field<&MqttConfig::reconnect_min_s>()},
      {"mqtt", "reconnect_max_s", {T::kDouble, 1.0, 3600.0}, D(60), false,
       "Longest delay between reconnection attempts. At least reconnect_min_s.",
       mqtt_field<&MqttConfig::reconnect_max_s>()},
      {"mqtt", "session_expiry_s", {T::kInt, 0.0, 2592000.0}, I(3600), false,
       "How long the broker keeps this client's session (and its queued commands) after a "
       "disconnect. 0: the session ends with the connection.",
       mqtt_field<&MqttConfig::session_expiry_s>()},
      {"mqtt", "ca_file", {T::kPath}, S(""), false,
       "TLS: PEM file of the certificate authorities that sign the broker's certificate. Empty: "
       "the system's default CAs.",
       mqtt_field<&MqttConfig::ca_file>()},
      {"mqtt", "cert_file", {T::kPath}, S(""), false,
       "TLS: PEM client certificate, for brokers that authenticate clients by certificate.",
       mqtt_field<&MqttConfig::cert_file>()},
      {"mqtt", "key_file", {T::kPath}, S(""), false,
       "TLS: PEM private key of cert_file (if not inside cert_file).",
       mqtt_field<&MqttConfig::key_file>()},
      {"mqtt", "key_password", {T::kString, {}, {}, {}, C::kNone, true}, S(""), false,
       "TLS: passphrase of key_file, if it is encrypted.",
       mqtt_field<&MqttConfig::key_password>()},
      {"mqtt", "tls_insecure", {T::kBool}, OptionValue{false}, false,
       "TLS: skip verification of the broker's certificate and host name. Lab brokers only.",
       mqtt_field<&MqttConfig::tls_insecure>()},
      // [store]
      {"store", "history_interval_s", {T::kDouble, 1.0, 86400.0}, D(60), false,
       "At most one history row per device per this many seconds.",
       store_field<&StoreConfig::history_interval_s>()},
      {"store", "history_retention_h", {T::kDouble, 1.0, 8760.0}, D(48), false,
       "Hours of history kept on the controller.",
       store_field<&StoreConfig::history_retention_h>()},
      {"store", "history_max_mb", {T::kDouble, 1.0, 65536.0}, D(64), false,
       "Disk cap of the history, in MiB; the oldest rows go first.",
       store_field<&StoreConfig::history_max_mb>()},
      {"store", "outbox_max_mb", {T::kDouble, 0.01, 65536.0}, D(64), false,
       "Disk cap of the outbox (messages waiting for the broker), in MiB. At the cap the oldest "
       "telemetry is dropped and counted; events and acks never are.",
       store_field<&StoreConfig::outbox_max_mb>()},
      // [commands]
      {"commands", "clock_skew_s", {T::kDouble, 0.0, 86400.0}, D(300), false,
       "How far in the future a command's issued_at may be (controller clock skew) before the "
       "command is rejected.",
       commands_field<&CommandsConfig::clock_skew_s>()},
      {"commands", "device_timeout_s", {T::kDouble, 1.0, 3600.0}, D(60), false,
       "Seconds one device may take to apply a command and read its state back; after that "
       "its result is failed (timeout).",
       commands_field<&CommandsConfig::device_timeout_s>()},
      {"commands", "ramp_s", {T::kDouble, 0.0, 86400.0}, D(30), false,
       "Default stage spread of a resume (also at a curtailment's expiry) when the command "
       "gives no ramp_s: the devices are woken one after another over this many seconds.",
       commands_field<&CommandsConfig::ramp_s>()},
      {"commands", "max_payload_kib", {T::kDouble, 1.0, 1024.0}, D(64), false,
       "Largest command payload accepted, in KiB; larger ones are rejected unread.",
       commands_field<&CommandsConfig::max_payload_kib>()},
  };
  // clang-format on
  return kKeys;
}

const std::vector<DeviceSpec>& device_keys() {
  // One key per entry: section, name, rule, default, required; doc; field[, example].
  // clang-format off
  static const std::vector<DeviceSpec> kKeys = {
      {"devices", "id", {T::kString, {}, {}, {}, C::kName}, std::nullopt, true,
       "Device id, unique in the rack: the last level of its telemetry topic.",
       device_field<&DeviceEntry::id>(), S("s19-r01-01")},
      {"devices", "driver", {T::kString, {}, {}, {}, C::kDriverName}, S("auto"), false,
       "Driver name (the drivers and their own keys are listed under \"Driver keys\" in "
       "docs/CONFIG.md), or \"auto\" to identify the device when it is first reached.",
       device_field<&DeviceEntry::driver>(), S("auto")},
      {"devices", "host", {T::kString, {}, {}, {}, C::kHost}, std::nullopt, true,
       "Host name or IP address of the device.",
       device_field<&DeviceEntry::host>(), S("10.0.0.5")},
      {"devices", "port", {T::kInt, 1.0, 65535.0}, std::nullopt, false,
       "TCP port. Unset: the driver's default port.",
       device_field<&DeviceEntry::port>(), I(4028)},
      {"devices", "poll_interval_s", {T::kDouble, 1.0, 3600.0}, std::nullopt, false,
       "Overrides agent.poll_interval_s for this device.",
       device_field<&DeviceEntry::poll_interval_s>(), D(10)},
      {"devices", "timeout_s", {T::kDouble, 0.1, 120.0}, std::nullopt, false,
       "Overrides agent.poll_timeout_s for this device. Must be less than its poll interval. "
       "When it is not set and the agent's timeout does not fit this device's poll_interval_s, "
       "it is 0.8 x that interval.",
       device_field<&DeviceEntry::timeout_s>(), D(3)},
  };
  // clang-format on
  return kKeys;
}

const std::vector<std::string_view>& section_names() {
  static const std::vector<std::string_view> kNames = {"agent", "mqtt", "store", "commands",
                                                       "devices"};
  return kNames;
}

const std::vector<OverrideFlag>& override_flags() {
  using O = ConfigOverrides;
  static const std::vector<OverrideFlag> kFlags = {
      {"--broker", "mqtt", "broker",
       [](const O& o) { return o.broker ? std::optional(OptionValue{*o.broker}) : std::nullopt; }},
      {"--site", "agent", "site",
       [](const O& o) { return o.site ? std::optional(OptionValue{*o.site}) : std::nullopt; }},
      {"--rack", "agent", "rack",
       [](const O& o) { return o.rack ? std::optional(OptionValue{*o.rack}) : std::nullopt; }},
      {"--state-dir", "agent", "state_dir",
       [](const O& o) {
         return o.state_dir ? std::optional(OptionValue{o.state_dir->string()}) : std::nullopt;
       }},
      {"--poll-interval", "agent", "poll_interval_s",
       [](const O& o) {
         return o.poll_interval_s ? std::optional(OptionValue{*o.poll_interval_s}) : std::nullopt;
       }},
      {"--command-keys", "agent", "command_keys",
       [](const O& o) {
         return o.command_keys ? std::optional(OptionValue{o.command_keys->string()})
                               : std::nullopt;
       }},
  };
  return kFlags;
}

const OverrideFlag* flag_for(std::string_view section, std::string_view name) {
  for (const auto& f : override_flags())
    if (f.section == section && f.name == name) return &f;
  return nullptr;
}

const SettingSpec* find_setting(std::string_view section, std::string_view name) {
  for (const auto& k : setting_keys())
    if (k.section == section && k.name == name) return &k;
  return nullptr;
}

const DeviceSpec* find_device_key(std::string_view name) {
  for (const auto& k : device_keys())
    if (k.name == name) return &k;
  return nullptr;
}

ValueRule rule_for(const drivers::ConfigKey& key) {
  ValueRule rule;
  rule.min = key.min;
  rule.max = key.max;
  switch (key.type) {
    case drivers::OptionType::kString:
      rule.type = KeyType::kString;
      break;
    case drivers::OptionType::kSecret:
      rule.type = KeyType::kString;
      rule.secret = true;
      break;
    case drivers::OptionType::kInt:
      rule.type = KeyType::kInt;
      break;
    case drivers::OptionType::kDouble:
      rule.type = KeyType::kDouble;
      break;
    case drivers::OptionType::kBool:
      rule.type = KeyType::kBool;
      break;
  }
  return rule;
}

AgentConfig default_config() {
  AgentConfig config;
  for (const auto& k : setting_keys())
    if (k.default_value) k.field.assign(config, *k.default_value);
  return config;
}

}  // namespace rigkeeper::agent::config
