#include "agent/config/config_builder.h"

#include <utility>

#include "agent/config/device_reader.h"
#include "agent/config/driver_options.h"
#include "agent/config/file_io.h"
#include "agent/config/rules.h"
#include "agent/config/schema.h"
#include "agent/config/suggest.h"
#include "agent/config/value_check.h"

namespace rigkeeper::agent::config {
namespace {

std::string_view kind_of(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    default:
      return "a date or time";
  }
}

bool is_section(std::string_view name) {
  for (auto s : section_names())
    if (s == name && s != "devices") return true;
  return false;
}

}  // namespace

Location at(const Location& origin, const toml::source_region& region) {
  Location where = origin;
  where.line = region.begin.line;
  where.column = region.begin.column;
  return where;
}

Location Provenance::where(std::string_view path) const {
  auto it = settings.find(path);
  return it == settings.end() ? main : it->second;
}

std::string Provenance::origin_of(std::string_view path) const {
  auto it = settings.find(path);
  if (it == settings.end()) return "the default";
  if (it->second.line == 0) return "set by " + it->second.origin;
  return "set at " + it->second.str();
}

ConfigBuilder::ConfigBuilder(DriverList drivers)
    : drivers_(std::move(drivers)), config_(default_config()) {
  for (const auto* d : drivers_) driver_names_.push_back(d->name);
}

Location ConfigBuilder::begin_origin(std::string origin) {
  Location where{std::move(origin), next_order_++, 0, 0};
  if (where.order == 0) where_.main = where;
  return where;
}

void ConfigBuilder::add_problem(Location where, std::string key, std::string problem) {
  problems_.add(std::move(where), std::move(key), std::move(problem));
}

void ConfigBuilder::add_document(const toml::table& doc, const Location& origin,
                                 const std::filesystem::path& base_dir) {
  for (auto&& [key, node] : doc) {
    const std::string name(key.str());
    const Location where = at(origin, key.source());
    if (name == "devices") {
      read_devices(node, where, origin);
    } else if (name == "drivers") {
      read_family_defaults(node, where, origin);
    } else if (!is_section(name)) {
      problems_.add(where, name, "unknown key" + suggest("", name));
    } else if (const auto* table = node.as_table()) {
      read_section(*table, name, origin, base_dir);
    } else {
      problems_.add(where, name,
                    "expected a table ([" + name + "]), got " + std::string(kind_of(node)));
    }
  }
}

void ConfigBuilder::read_section(const toml::table& table, std::string_view section,
                                 const Location& origin, const std::filesystem::path& base_dir) {
  for (auto&& [key, node] : table) {
    const std::string name(key.str());
    const std::string path = std::string(section) + "." + name;
    const Location where = at(origin, key.source());
    const SettingSpec* spec = find_setting(section, name);
    if (spec == nullptr) {
      problems_.add(where, path, "unknown key" + suggest(section, name));
      continue;
    }
    auto value = convert(node, spec->rule);
    if (!value) {
      problems_.add(where, path, value.error());
      continue;
    }
    if (auto problem = check_value(*value, spec->rule, driver_names_)) {
      problems_.add(where, path, *problem);
      continue;
    }
    if (spec->rule.type == KeyType::kPath && !base_dir.empty()) {
      const std::filesystem::path written = std::get<std::string>(*value);
      if (!written.empty() && written.is_relative()) *value = (base_dir / written).string();
    }
    spec->field.assign(config_, *value);
    where_.settings[path] = where;
  }
}

// [drivers.<name>]: keys of that driver (credentials, ports) for every device it drives,
// validated against the driver's declaration exactly as a device's own keys are.
void ConfigBuilder::read_family_defaults(const toml::node& node, const Location& key_at,
                                         const Location& origin) {
  const auto* families = node.as_table();
  if (families == nullptr) {
    problems_.add(
        key_at, "drivers",
        "expected a table of driver tables ([drivers.NAME]), got " + std::string(kind_of(node)));
    return;
  }
  for (auto&& [family, table_node] : *families) {
    const std::string name(family.str());
    const Location where = at(origin, family.source());
    const std::string label = "drivers." + name;
    const drivers::DriverInfo* driver = nullptr;
    for (const auto* d : drivers_)
      if (d->name == name) driver = d;
    if (driver == nullptr) {
      problems_.add(where, label, "unknown driver" + did_you_mean(name, driver_names_));
      continue;
    }
    const auto* table = table_node.as_table();
    if (table == nullptr) {
      problems_.add(where, label, "expected a table, got " + std::string(kind_of(table_node)));
      continue;
    }
    auto& options = config_.family_defaults[name];
    for (auto&& [key, value_node] : *table) {
      const std::string key_name(key.str());
      auto value = check_driver_key(key_name, value_node, driver, drivers_);
      if (!value) {
        problems_.add(at(origin, key.source()), label + "." + key_name, value.error());
        continue;
      }
      options.set(key_name, std::move(*value));
      where_.settings[label + "." + key_name] = at(origin, key.source());
    }
  }
}

void ConfigBuilder::read_devices(const toml::node& node, const Location& key_at,
                                 const Location& origin) {
  const auto* array = node.as_array();
  if (array == nullptr) {
    problems_.add(key_at, "devices",
                  "expected an array of tables ([[devices]]), got " + std::string(kind_of(node)));
    return;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& item = *array->get(i);
    const std::string label = "devices[" + std::to_string(i) + "]";
    const auto* table = item.as_table();
    if (table == nullptr) {
      problems_.add(at(origin, item.source()), label,
                    "expected a table, got " + std::string(kind_of(item)));
      continue;
    }
    DeviceEntry entry;
    DeviceSource source;
    DeviceContext ctx{origin, label, drivers_, driver_names_};
    read_device(*table, ctx, entry, source, problems_);
    config_.devices.push_back(std::move(entry));
    where_.devices.push_back(std::move(source));
  }
}

// Candidates are the keys of the same table; failing that, a key of another table with that
// name or close to it ("poll_interval_s" under [mqtt] -> 'agent.poll_interval_s').
std::string ConfigBuilder::suggest(std::string_view section, std::string_view name) const {
  std::vector<std::string> local;
  if (section.empty()) {
    for (auto s : section_names()) local.emplace_back(s);
  } else {
    for (const auto& k : setting_keys())
      if (k.section == section) local.emplace_back(k.name);
  }
  std::string hint = did_you_mean(name, local);
  if (!hint.empty()) return hint;
  std::vector<std::string> names;
  for (const auto& k : setting_keys()) names.emplace_back(k.name);
  if (auto best = closest_match(name, names)) {
    for (const auto& k : setting_keys())
      if (k.name == *best) return "; did you mean '" + k.path() + "'?";
  }
  return "";
}

void ConfigBuilder::apply_overrides(const ConfigOverrides& overrides) {
  for (const auto& flag : override_flags()) {
    auto given = flag.get(overrides);
    if (!given) continue;
    const SettingSpec* spec = find_setting(flag.section, flag.name);
    const Location where = begin_origin("command line (" + std::string(flag.flag) + ")");
    const std::string path = spec->path();
    auto value = coerce(*given, spec->rule);
    if (!value) {
      problems_.add(where, path, value.error());
      continue;
    }
    if (auto problem = check_value(*value, spec->rule, driver_names_)) {
      problems_.add(where, path, *problem);
      continue;
    }
    spec->field.assign(config_, *value);
    where_.settings[path] = where;
  }
}

std::vector<std::string> ConfigBuilder::secret_key_names() const {
  std::vector<std::string> names = driver_secret_names(drivers_);
  for (const auto& k : setting_keys())
    if (k.rule.secret) names.emplace_back(k.name);
  return names;
}

Result<AgentConfig> ConfigBuilder::finish(std::filesystem::path source) {
  config_.source = std::move(source);
  if (config_.control_socket.empty())
    config_.control_socket = config_.state_dir / "rigkeeperd.sock";
  derive_timeouts();
  auto defaults =
      std::make_shared<const std::map<std::string, drivers::Options>>(config_.family_defaults);
  for (size_t i = 0; i < config_.devices.size(); ++i) {
    auto& d = config_.devices[i];
    d.family_defaults = defaults;
    // A known driver's defaults were filled in at read time; a family value replaces them
    // unless the device set the key itself.
    auto family = config_.family_defaults.find(d.driver);
    if (family == config_.family_defaults.end()) continue;
    for (const auto& [key, value] : family->second.values())
      if (!where_.devices[i].keys.count(key)) d.options.set(key, value);
  }
  const RuleInput input{config_, where_};
  for (const auto& rule : cross_key_rules()) rule.check(input, problems_);
  if (config_.mqtt.password.empty()) finish_secrets();  // both set: reported by a rule
  if (!problems_.empty()) return fail(Errc::kConfig, problems_.joined());
  return std::move(config_);
}

// A timeout nobody set must not turn a short poll interval into an error: the default yields
// to the interval. Timeouts that were set are left to the rules to judge.
void ConfigBuilder::derive_timeouts() {
  constexpr double kShareOfInterval = 0.8;
  if (!where_.settings.count("agent.poll_timeout_s") &&
      config_.poll_timeout_s >= config_.poll_interval_s)
    config_.poll_timeout_s = kShareOfInterval * config_.poll_interval_s;
  for (auto& d : config_.devices) {
    if (!d.timeout_s && d.poll_interval_s && config_.poll_timeout_s >= *d.poll_interval_s)
      d.timeout_s = kShareOfInterval * *d.poll_interval_s;
  }
}

// The password file is read at load, so that a missing or empty one is a config error now
// rather than a refused connection later.
void ConfigBuilder::finish_secrets() {
  const auto& file = config_.mqtt.password_file;
  if (file.empty()) return;
  auto password = read_password_file(file);
  if (!password) {
    problems_.add(where_.where("mqtt.password_file"), "mqtt.password_file", password.error());
    return;
  }
  config_.mqtt.password = std::move(*password);
}

}  // namespace rigkeeper::agent::config
