#include "drivers/api/driver.h"

namespace rigkeeper::drivers {

std::vector<std::string> capability_names(uint32_t caps) {
  static const std::pair<uint32_t, const char*> kNames[] = {
      {kCapRead, "read"},
      {kCapCurtail, "curtail"},
      {kCapResume, "resume"},
      {kCapSetPower, "set_power"},
      {kCapSwitchPool, "switch_pool"},
      {kCapSwitchProfile, "switch_profile"},
      {kCapReboot, "reboot"},
      {kCapLocate, "locate"},
      {kCapSwitchWorkload, "switch_workload"}};
  std::vector<std::string> out;
  for (const auto& [bit, name] : kNames)
    if (caps & bit) out.emplace_back(name);
  return out;
}

const WebProbe* Probe::web_at(std::string_view path) const {
  for (const auto& w : web) {
    const auto scheme = w.url.find("://");
    const auto slash = w.url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    const std::string_view p =
        slash == std::string::npos ? std::string_view("/") : std::string_view(w.url).substr(slash);
    if (p == path) return &w;
  }
  return nullptr;
}

asio::awaitable<Result<CommandOutcome>> Driver::execute(const DeviceCommand& cmd) {
  co_return fail(Errc::kUnsupported, "command '" + cmd.type + "' is not supported by this driver");
}

}  // namespace rigkeeper::drivers
