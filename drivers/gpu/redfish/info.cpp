// The redfish driver's registry entry, probe matcher and identification.
#include "drivers/gpu/redfish/driver.h"

namespace rigkeeper::drivers::redfish {

int match(const Probe& probe) {
  for (const char* path : {"/redfish/v1", "/redfish/v1/"}) {
    const WebProbe* w = probe.web_at(path);
    if (w == nullptr || w->status != 200) continue;
    auto j = parse_body(w->body, path);
    if (j && parse_service_root(*j)) return 30;
  }
  return 0;
}

Identity identify(const Probe& probe) {
  Identity id{
      .driver = "redfish", .make = "Redfish BMC", .model = "GPU node", .firmware = "redfish"};
  for (const char* path : {"/redfish/v1", "/redfish/v1/"}) {
    const WebProbe* w = probe.web_at(path);
    if (w == nullptr) continue;
    auto j = parse_body(w->body, path);
    if (!j) continue;
    if (auto root = parse_service_root(*j)) {
      if (root->vendor) id.make = *root->vendor;
      if (root->product) id.model = *root->product;
      id.firmware_version = root->redfish_version;
    }
  }
  return id;
}

const DriverInfo& driver_info() {
  static const DriverInfo kInfo = [] {
    auto str = [](std::string name, std::string def, std::string doc) {
      ConfigKey k{.name = std::move(name), .type = OptionType::kString, .doc = std::move(doc)};
      if (!def.empty()) k.default_value = OptionValue{std::move(def)};
      return k;
    };
    auto flag = [](std::string name, std::string doc) {
      return ConfigKey{.name = std::move(name),
                       .type = OptionType::kBool,
                       .default_value = OptionValue{false},
                       .doc = std::move(doc)};
    };
    DriverInfo info{
        .name = "redfish",
        .firmware = "redfish",
        .description = "GPU node through its BMC's Redfish service (HTTPS, port 443)",
        .capabilities = kCapRead | kCapSetPower | kCapReboot | kCapLocate | kCapSwitchWorkload,
        .default_port = kDefaultPort,
        .config_keys =
            {
                str("username", "", "BMC account"),
                ConfigKey{
                    .name = "password", .type = OptionType::kSecret, .doc = "BMC account password"},
                str("auth", "session", "\"session\" (X-Auth-Token) or \"basic\""),
                str("system", "",
                    "Id of the ComputerSystem to read on a multi-system BMC (default: first)"),
                str("scheme", "https", "\"https\", or \"http\" with allow_http = true"),
                str("ca_file", "", "PEM CA bundle to verify the BMC with (default: system)"),
                flag("insecure", "do not verify the BMC's TLS certificate (lab BMCs)"),
                flag("allow_http", "permit scheme = \"http\" (simulator, lab)"),
            },
        .match = &match,
        .identify = &identify,
        .create = [](asio::any_io_executor ex, const DeviceConfig& cfg) -> std::unique_ptr<Driver> {
          return std::make_unique<RedfishDriver>(std::move(ex), cfg);
        },
    };
    for (auto& k : gpu::workload_config_keys()) info.config_keys.push_back(std::move(k));
    return info;
  }();
  return kInfo;
}

}  // namespace rigkeeper::drivers::redfish
