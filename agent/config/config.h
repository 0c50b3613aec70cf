#pragma once
/// rigkeeperd's configuration: the typed result of loading and validating the TOML file, its
/// drop-ins and the command-line overrides. Every key is declared once in schema.cpp with its
/// type, default, range and doc (docs/CONFIG.md is generated from that declaration).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/api/options.h"
#include "drivers/api/result.h"

namespace rigkeeper::drivers {
struct DriverInfo;
}

namespace rigkeeper::agent {

/// Largest config file (main file or drop-in) the loader reads; larger ones are refused.
inline constexpr std::size_t kMaxConfigFileBytes = 4u * 1024 * 1024;

struct MqttConfig {
  std::string broker = "tcp://127.0.0.1:1883";  ///< tcp://, mqtt://, ssl://, mqtts://
  std::string client_id;                        ///< empty: "rigkeeper-<site>-<rack>"
  std::string username;
  std::string password;  ///< secret: never logged
  /// Alternative to `password`: the first line of this file is read into `password` at load.
  std::filesystem::path password_file;
  int keepalive_s = 30;
  int telemetry_qos = 0;
  double reconnect_min_s = 1.0;
  double reconnect_max_s = 60.0;
  int session_expiry_s = 3600;
  // TLS: used when the broker URL is ssl:// or mqtts://
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string key_password;   ///< secret
  bool tls_insecure = false;  ///< skip server verification (lab brokers only)
};

struct StoreConfig {
  double history_interval_s = 60;  ///< at most one history row per device per interval
  double history_retention_h = 48;
  double history_max_mb = 64;
  double outbox_max_mb = 64;  ///< disk cap; oldest telemetry dropped first, never events/acks
};

/// `[commands]`: the command pipeline (docs/COMMANDS.md).
struct CommandsConfig {
  double clock_skew_s = 300;     ///< how far in the future a command's issued_at may be
  double device_timeout_s = 60;  ///< one device's verb, read-back included
  double ramp_s = 30;            ///< default stage spread of a resume
  double max_payload_kib = 64;   ///< larger command payloads are rejected unread
};

/// One `[[devices]]` entry.
struct DeviceEntry {
  std::string id;               ///< [a-z0-9_-]+, unique in the rack
  std::string driver = "auto";  ///< a registry name, or "auto" to detect
  std::string host;
  std::optional<uint16_t> port;           ///< nullopt: the driver's default
  std::optional<double> poll_interval_s;  ///< overrides agent.poll_interval_s
  std::optional<double> timeout_s;        ///< overrides agent.poll_timeout_s
  drivers::Options options;               ///< driver-specific keys, validated against the driver
  /// The `[drivers.<name>]` tables of the config (per-family defaults such as credentials),
  /// shared by every entry: a key the device sets itself wins. Applied when the driver is
  /// created, so a device with `driver = "auto"` gets its detected family's defaults.
  std::shared_ptr<const std::map<std::string, drivers::Options>> family_defaults;
};

struct AgentConfig {
  std::string site = "site";
  std::string rack = "rack";
  std::filesystem::path state_dir = "/var/lib/rigkeeper";
  std::filesystem::path control_socket;  ///< filled in by the loader: <state_dir>/rigkeeperd.sock
  /// Folder of trusted `*.pub` command keys (`--command-keys`); empty: commands are unsigned.
  std::filesystem::path command_keys;
  double poll_interval_s = 10;
  double poll_jitter = 0.1;       ///< fraction of the interval, 0..0.5
  double poll_timeout_s = 5;      ///< deadline for one device request
  double status_interval_s = 60;  ///< how often the retained status is refreshed
  std::string log_level = "info";
  MqttConfig mqtt;
  StoreConfig store;
  CommandsConfig commands;
  std::vector<DeviceEntry> devices;
  std::map<std::string, drivers::Options> family_defaults;  ///< [drivers.<name>] tables
  std::filesystem::path source;                             ///< the file it was loaded from
};

/// Command-line overrides of rigkeeperd (the contract's flags); set fields win over the file.
struct ConfigOverrides {
  std::optional<std::string> broker;
  std::optional<std::string> site;
  std::optional<std::string> rack;
  std::optional<std::filesystem::path> state_dir;
  std::optional<double> poll_interval_s;
  std::optional<std::filesystem::path> command_keys;  ///< accepted now, used by signed commands
};

/// Loads `file` and the drop-ins in `<file's dir>/rigkeeper.d/*.toml` (sorted), validates every
/// key against the schema, applies overrides. On failure, Errc::kConfig whose message lists
/// every problem found, one per line, each naming file, line and key ("did you mean ...").
Result<AgentConfig> load_config(const std::filesystem::path& file,
                                const ConfigOverrides& overrides = {});

/// The same, from TOML text (tests, `check-config -`); `origin` names it in messages.
Result<AgentConfig> parse_config(std::string_view toml_text, std::string_view origin,
                                 const ConfigOverrides& overrides = {});

/// Markdown reference of every key (docs/CONFIG.md is this output).
std::string config_reference_markdown();

/// The commented default config shipped as /etc/rigkeeper/rigkeeper.toml
/// (packaging/rigkeeper.toml is this output): every key, its doc and its default.
std::string config_example_toml();

/// A device's options for `driver` once it is known (after "auto" detection): the keys that
/// driver declares, its defaults filled in. Errc::kConfig when a required key is missing or a
/// value does not fit the driver's declaration (message names the device and key, never a
/// secret value). Keys declared only by other drivers are dropped.
Result<drivers::Options> options_for_driver(const drivers::DriverInfo& driver,
                                            const DeviceEntry& device);

}  // namespace rigkeeper::agent
