#include "drivers/asic/luxos/driver.h"

#include "drivers/asic/luxos/identify.h"
#include "drivers/asic/luxos/parser.h"

namespace rigkeeper::drivers::luxos {

LuxosDriver::LuxosDriver(asio::any_io_executor executor, const DeviceConfig& config)
    : CgminerPollDriver(std::move(executor), config, poll_commands(), &parse_replies) {}

const DriverInfo& driver_info() {
  static const DriverInfo kInfo{
      .name = "luxos",
      .firmware = "luxos",
      .description = "LuxOS (LUXminer) on Antminers, cgminer-style API on port 4028",
      .capabilities = kCapRead,
      .default_port = 4028,
      .config_keys = {},
      .match = &match,
      .identify = &identify,
      .create = [](asio::any_io_executor ex, const DeviceConfig& cfg) -> std::unique_ptr<Driver> {
        return std::make_unique<LuxosDriver>(std::move(ex), cfg);
      },
  };
  return kInfo;
}

}  // namespace rigkeeper::drivers::luxos
