#include "drivers/asic/cgminer/driver.h"

#include "drivers/asic/cgminer/identify.h"
#include "drivers/asic/cgminer/parser.h"

namespace rigkeeper::drivers::cgminer {

CgminerDriver::CgminerDriver(asio::any_io_executor executor, const DeviceConfig& config)
    : CgminerPollDriver(std::move(executor), config, poll_commands(), &parse_replies) {}

const DriverInfo& driver_info() {
  static const DriverInfo kInfo{
      .name = "cgminer",
      .firmware = "cgminer",
      .description = "Generic cgminer-API miner (fallback for unrecognised firmware), port 4028",
      .capabilities = kCapRead,
      .default_port = 4028,
      .config_keys = {},
      .match = &match,
      .identify = &identify,
      .create = [](asio::any_io_executor ex, const DeviceConfig& cfg) -> std::unique_ptr<Driver> {
        return std::make_unique<CgminerDriver>(std::move(ex), cfg);
      },
  };
  return kInfo;
}

}  // namespace rigkeeper::drivers::cgminer
