#include "agent/config/device_reader.h"

#include <utility>

#include "agent/config/driver_options.h"
#include "agent/config/schema.h"
#include "agent/config/value_check.h"

namespace rigkeeper::agent::config {
namespace {

struct ExtraKey {
  std::string name;
  const toml::node* node;
  Location where;
};

const drivers::DriverInfo* driver_named(const DriverList& drivers, std::string_view name) {
  for (const auto* d : drivers)
    if (d->name == name) return d;
  return nullptr;
}

}  // namespace

bool read_device(const toml::table& table, const DeviceContext& ctx, DeviceEntry& entry,
                 DeviceSource& source, Diagnostics& problems) {
  const std::size_t before = problems.size();
  source.label = ctx.label;
  source.table = at(ctx.origin, table.source());
  for (const auto& spec : device_keys())
    if (spec.default_value) spec.field.assign(entry, *spec.default_value);

  // The fixed keys first: the driver decides which other keys are allowed.
  std::vector<ExtraKey> extras;
  for (auto&& [key, node] : table) {
    const std::string name(key.str());
    const Location where = at(ctx.origin, key.source());
    const DeviceSpec* spec = find_device_key(name);
    if (spec == nullptr) {
      extras.push_back({name, &node, where});
      continue;
    }
    const std::string path = ctx.label + "." + name;
    auto value = convert(node, spec->rule);
    if (!value) {
      problems.add(where, path, value.error());
      continue;
    }
    if (auto problem = check_value(*value, spec->rule, ctx.driver_names)) {
      problems.add(where, path, *problem);
      continue;
    }
    spec->field.assign(entry, *value);
    source.keys[name] = where;
  }

  // An unknown driver name was reported above; its keys are then checked as for "auto".
  const drivers::DriverInfo* driver = driver_named(ctx.drivers, entry.driver);
  for (const auto& extra : extras) {
    auto value = check_driver_key(extra.name, *extra.node, driver, ctx.drivers);
    if (!value) {
      problems.add(extra.where, ctx.label + "." + extra.name, value.error());
      continue;
    }
    entry.options.set(extra.name, std::move(*value));
    source.keys[extra.name] = extra.where;
  }

  for (const auto& spec : device_keys())
    if (spec.required && !source.keys.count(spec.name))
      problems.add(source.table, ctx.label,
                   "missing required key '" + std::string(spec.name) + "'");
  if (driver != nullptr) {
    for (const auto& missing : complete_driver_options(*driver, entry.options))
      problems.add(source.table, ctx.label,
                   "missing key '" + missing + "', required by driver '" + driver->name + "'");
  }
  return problems.size() == before;
}

}  // namespace rigkeeper::agent::config
