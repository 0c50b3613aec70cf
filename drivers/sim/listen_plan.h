#pragma once
/// Where each simulated device listens, from `--listen`:
///   `127.0.0.1`          every device on that address, ports 40001, 40002, ...
///   `127.0.0.1:PORT`     the same from PORT; PORT 0 lets the kernel pick each port
///   `127.1.0.0/16`       one loopback address per device (127.1.0.1, 127.1.0.2, ...), each on
///                        its firmware's usual port (4028 for the cgminer API)
///   `127.1.0.0/16:PORT`  the same on PORT
/// Only loopback (127.0.0.0/8) is accepted: the simulator must never appear on a real network.
/// Linux routes all of 127.0.0.0/8 to `lo`, so no set-up is needed for per-device addresses.
///
/// Thread-safety: pure function.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/api/result.h"

namespace rigkeeper::drivers::sim {

inline constexpr uint16_t kDefaultBasePort = 40001;
inline constexpr uint16_t kCgminerPort = 4028;

struct ListenEndpoint {
  std::string host;   ///< dotted IPv4
  uint16_t port = 0;  ///< 0: chosen by the kernel when bound
};

/// One endpoint per device, in device order. `usual_port` is the firmware's port used with a
/// CIDR. Errc::kInvalidArgument naming the problem (not loopback, range too small, ports
/// past 65535, unparsable).
Result<std::vector<ListenEndpoint>> plan_listen(std::string_view listen, int devices,
                                                uint16_t usual_port = kCgminerPort);

/// True when `listen` is a CIDR plan (one address per device), so every device can also use
/// its firmware's usual web ports; false when devices share an address.
bool per_device_addresses(std::string_view listen);

}  // namespace rigkeeper::drivers::sim
