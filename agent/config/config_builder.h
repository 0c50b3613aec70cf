#pragma once
/// Builds an AgentConfig from parsed TOML documents (the main file, then each drop-in) and the
/// command-line overrides, collecting every problem with its location, then runs the
/// cross-key rules. One builder per load; not thread-safe.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "agent/config/config.h"
#include "agent/config/diagnostics.h"
#include "drivers/api/driver.h"

namespace rigkeeper::agent::config {

using DriverList = std::vector<const drivers::DriverInfo*>;

/// Where one [[devices]] entry and each of its keys were written.
struct DeviceSource {
  std::string label;  ///< "devices[2]": its index in the file that holds it
  Location table;     ///< its [[devices]] header
  std::map<std::string, Location, std::less<>> keys;
};

/// Where every value of the merged configuration came from, so that cross-key rules can point
/// at the line that set it. A key never set is at `main` (the main file as a whole).
struct Provenance {
  Location main;
  std::map<std::string, Location, std::less<>> settings;  ///< "mqtt.broker" -> last place set
  std::vector<DeviceSource> devices;                      ///< parallel to AgentConfig::devices

  Location where(std::string_view path) const;
  /// "set at FILE:3:1", "set by command line (--site)", or "the default".
  std::string origin_of(std::string_view path) const;
};

class ConfigBuilder {
 public:
  /// `drivers` is the registry the devices are checked against (tests inject their own).
  explicit ConfigBuilder(DriverList drivers);

  /// A new origin (file, text, command line) in load order: its problems sort after earlier
  /// ones'. The first origin is the main file.
  Location begin_origin(std::string origin);

  /// Applies one parsed document: scalars override earlier documents, devices append.
  /// Relative paths are resolved against `base_dir` (empty: left as written).
  void add_document(const toml::table& doc, const Location& origin,
                    const std::filesystem::path& base_dir);

  void add_problem(Location where, std::string key, std::string problem);

  /// Applies the set flags, each checked like the key it overrides.
  void apply_overrides(const ConfigOverrides& overrides);

  /// Runs the cross-key rules and returns the config, or Errc::kConfig with every problem.
  Result<AgentConfig> finish(std::filesystem::path source);

  /// Names of every secret key (agent and drivers), to keep their values out of messages.
  std::vector<std::string> secret_key_names() const;

 private:
  void read_section(const toml::table& table, std::string_view section, const Location& origin,
                    const std::filesystem::path& base_dir);
  void read_devices(const toml::node& node, const Location& key_at, const Location& origin);
  void read_family_defaults(const toml::node& node, const Location& key_at, const Location& origin);
  std::string suggest(std::string_view section, std::string_view name) const;
  void derive_timeouts();
  void finish_secrets();

  DriverList drivers_;
  std::vector<std::string> driver_names_;
  AgentConfig config_;
  Provenance where_;
  Diagnostics problems_;
  int next_order_ = 0;
};

/// The location of a TOML key or node inside `origin`.
Location at(const Location& origin, const toml::source_region& region);

}  // namespace rigkeeper::agent::config
