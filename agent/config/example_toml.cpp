// config_example_toml(): packaging/rigkeeper.toml, the commented default config installed as
// /etc/rigkeeper/rigkeeper.toml, generated from the key tables in schema.cpp.
#include <string>

#include "agent/config/config.h"
#include "agent/config/doc_text.h"
#include "agent/config/schema.h"
#include "drivers/api/registry.h"

namespace rigkeeper::agent {
namespace {

constexpr std::size_t kWidth = 98;

constexpr std::string_view kHead = R"(# rigkeeperd configuration: /etc/rigkeeper/rigkeeper.toml
#
# Generated from the key declarations in agent/config/schema.cpp (config_example_toml()); the
# full reference is docs/CONFIG.md. Every key is shown commented out at its default: uncomment
# and change what this rack needs.
#
# Files in /etc/rigkeeper/rigkeeper.d/*.toml are read after this one, in name order: their
# keys override these and their [[devices]] are added to these. rigkeeperd's flags (--broker,
# --site, --rack, --state-dir, --poll-interval, --command-keys) override both.
#
# Check a change before restarting the daemon:
#   rigkeeper check-config /etc/rigkeeper/rigkeeper.toml
)";

template <class Spec>
std::string commented_key(const Spec& k, const std::optional<drivers::OptionValue>& value) {
  using namespace config;
  std::string out = "\n" + wrap(k.doc, kWidth, "# ");
  std::string facts = "Type: " + type_label(k.rule);
  if (const auto accepted = accepted_label(k.rule); !accepted.empty())
    facts += "; accepted: " + accepted;
  if (k.required) facts += "; required";
  if (const auto* flag = flag_for(k.section, k.name)) facts += "; flag: " + std::string(flag->flag);
  out += wrap(facts + ".", kWidth, "# ");
  if (value) out += "#" + std::string(k.name) + " = " + toml_literal(*value) + "\n";
  return out;
}

}  // namespace

std::string config_example_toml() {
  using namespace config;
  std::string out(kHead);
  for (auto section : section_names()) {
    if (section == "devices") continue;
    out += "\n[" + std::string(section) + "]\n";
    for (const auto& k : setting_keys())
      if (k.section == section) out += commented_key(k, k.default_value);
  }
  std::string names;
  for (const auto* d : drivers::all_drivers()) names += (names.empty() ? "" : ", ") + d->name;
  out +=
      "\n# One [[devices]] table per device. Besides these keys, a device takes the keys its\n"
      "# driver declares (docs/CONFIG.md, \"Driver keys\").\n" +
      wrap("Drivers built in: " + (names.empty() ? std::string("none") : names) + ".", kWidth,
           "# ") +
      "# For example:\n#\n#[[devices]]\n";
  for (const auto& k : device_keys())
    out += commented_key(k, k.example ? k.example : k.default_value);
  return out;
}

}  // namespace rigkeeper::agent
