#include "agent/config/driver_options.h"

#include <algorithm>

#include "agent/config/schema.h"
#include "agent/config/suggest.h"
#include "agent/config/value_check.h"

namespace rigkeeper::agent::config {
namespace {

const drivers::ConfigKey* declared(const drivers::DriverInfo& driver, std::string_view name) {
  for (const auto& k : driver.config_keys)
    if (k.name == name) return &k;
  return nullptr;
}

// Keys a user may have meant: the fixed device keys plus the candidate drivers' keys.
std::vector<std::string> key_candidates(const drivers::DriverInfo* driver,
                                        const DriverList& drivers) {
  std::vector<std::string> out;
  for (const auto& k : device_keys()) out.emplace_back(k.name);
  for (const auto* d : drivers)
    if (driver == nullptr || d == driver)
      for (const auto& k : d->config_keys) out.push_back(k.name);
  return out;
}

tl::expected<drivers::OptionValue, std::string> check_against(const drivers::ConfigKey& key,
                                                              const toml::node& node) {
  const ValueRule rule = rule_for(key);
  auto value = convert(node, rule);
  if (!value) return value;
  if (auto problem = check_value(*value, rule, {})) return tl::unexpected(*problem);
  return value;
}

std::string unknown_key(std::string_view name, const drivers::DriverInfo* driver,
                        const DriverList& drivers) {
  std::string problem = "unknown key";
  if (driver != nullptr) problem += " for driver '" + driver->name + "'";
  const std::string hint = did_you_mean(name, key_candidates(driver, drivers));
  if (!hint.empty()) return problem + hint;
  if (driver != nullptr) {
    for (const auto* d : drivers)
      if (declared(*d, name)) return problem + " (it is a key of driver '" + d->name + "')";
  }
  return problem;
}

}  // namespace

tl::expected<drivers::OptionValue, std::string> check_driver_key(std::string_view name,
                                                                 const toml::node& node,
                                                                 const drivers::DriverInfo* driver,
                                                                 const DriverList& drivers) {
  if (driver != nullptr) {
    const auto* key = declared(*driver, name);
    if (key == nullptr) return tl::unexpected(unknown_key(name, driver, drivers));
    return check_against(*key, node);
  }
  std::optional<std::string> first_problem;
  for (const auto* d : drivers) {
    const auto* key = declared(*d, name);
    if (key == nullptr) continue;
    auto value = check_against(*key, node);
    if (value) return value;
    if (!first_problem)
      first_problem = value.error() + " (as driver '" + d->name + "' declares it)";
  }
  if (first_problem) return tl::unexpected(*first_problem);
  return tl::unexpected(unknown_key(name, nullptr, drivers));
}

std::vector<std::string> complete_driver_options(const drivers::DriverInfo& driver,
                                                 drivers::Options& options) {
  std::vector<std::string> missing;
  for (const auto& key : driver.config_keys) {
    if (options.values().count(key.name)) continue;
    if (key.default_value)
      options.set(key.name, *key.default_value);
    else if (key.required)
      missing.push_back(key.name);
  }
  return missing;
}

std::vector<std::string> driver_secret_names(const DriverList& drivers) {
  std::vector<std::string> out;
  for (const auto* d : drivers)
    for (const auto& k : d->config_keys)
      if (k.type == drivers::OptionType::kSecret &&
          std::find(out.begin(), out.end(), k.name) == out.end())
        out.push_back(k.name);
  return out;
}

}  // namespace rigkeeper::agent::config

namespace rigkeeper::agent {

Result<drivers::Options> options_for_driver(const drivers::DriverInfo& driver,
                                            const DeviceEntry& device) {
  using config::ValueRule;
  drivers::Options out;
  std::vector<std::string> problems;
  for (const auto& [name, value] : device.options.values()) {
    const drivers::ConfigKey* key = nullptr;
    for (const auto& k : driver.config_keys)
      if (k.name == name) key = &k;
    if (key == nullptr) continue;  // another driver's key, accepted while the driver was "auto"
    const ValueRule rule = config::rule_for(*key);
    auto canonical = config::coerce(value, rule);
    if (!canonical) {
      problems.push_back(name + ": " + canonical.error());
      continue;
    }
    if (auto problem = config::check_value(*canonical, rule, {})) {
      problems.push_back(name + ": " + *problem);
      continue;
    }
    out.set(name, *canonical);
  }
  for (const auto& missing : config::complete_driver_options(driver, out))
    problems.push_back(missing + ": required by the driver but not set");
  if (problems.empty()) return out;
  std::string message;
  for (const auto& p : problems)
    message += (message.empty() ? "" : "\n") +
               ("device '" + device.id + "': driver '" + driver.name + "': " + p);
  return fail(Errc::kConfig, message);
}

}  // namespace rigkeeper::agent
