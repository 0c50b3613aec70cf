#pragma once
/// The seam between the command pipeline and the devices: the daemon implements it over its
/// DevicePollers, tests over fake drivers.
///
/// Threading: io_context thread only.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "drivers/api/asio.h"
#include "drivers/api/driver.h"
#include "drivers/api/telemetry.h"

namespace rigkeeper::agent::commands {

/// What the pipeline may know of one device when it plans a command.
struct DeviceView {
  std::string id;
  std::string driver;                           ///< driver name ("auto" until detected)
  uint32_t capabilities = 0;                    ///< the driver's bits; 0 while not identified
  std::optional<drivers::DeviceSnapshot> last;  ///< last snapshot (ok or offline), if any

  /// The kind the last snapshot reported; nullopt before the first successful poll.
  std::optional<drivers::DeviceKind> kind() const {
    if (!last || last->state == drivers::DeviceState::kOffline) return std::nullopt;
    return last->kind;
  }
};

class DeviceDirectory {
 public:
  virtual ~DeviceDirectory() = default;
  /// Every configured device, in configuration order.
  virtual std::vector<DeviceView> devices() const = 0;
  /// Runs one verb on one device through its driver, never concurrently with that device's
  /// poll (the implementation serialises them). Errc::kInvalidArgument for an unknown id;
  /// kUnsupported when the driver lacks the verb; the driver's errors otherwise.
  virtual asio::awaitable<Result<drivers::CommandOutcome>> execute(
      const std::string& device_id, const drivers::DeviceCommand& cmd) = 0;
};

/// The capability bit a command type needs (kCapRead for "diagnose").
uint32_t capability_for(std::string_view type);

}  // namespace rigkeeper::agent::commands
