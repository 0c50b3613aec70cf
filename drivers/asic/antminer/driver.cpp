#include "drivers/asic/antminer/driver.h"

#include "drivers/asic/antminer/identify.h"
#include "drivers/asic/antminer/parser.h"

namespace rigkeeper::drivers::antminer {

AntminerDriver::AntminerDriver(asio::any_io_executor executor, const DeviceConfig& config)
    : CgminerPollDriver(std::move(executor), config, poll_commands(), &parse_replies) {}

const DriverInfo& driver_info() {
  static const DriverInfo kInfo{
      .name = "antminer",
      .firmware = "stock",
      .description = "Bitmain Antminer on stock firmware (bmminer/cgminer API, port 4028)",
      .capabilities = kCapRead,
      .default_port = 4028,
      .config_keys = {},
      .match = &match,
      .identify = &identify,
      .create = [](asio::any_io_executor ex, const DeviceConfig& cfg) -> std::unique_ptr<Driver> {
        return std::make_unique<AntminerDriver>(std::move(ex), cfg);
      },
  };
  return kInfo;
}

}  // namespace rigkeeper::drivers::antminer
