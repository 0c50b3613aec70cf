#pragma once
/// The stock Antminer driver: summary+stats+pools per poll over the cgminer API (port 4028),
/// parsed by antminer::parse_replies. Read-only for now; control arrives with the web API.
#include "drivers/asic/common/cgminer_poll_driver.h"

namespace rigkeeper::drivers::antminer {

class AntminerDriver final : public asic::CgminerPollDriver {
 public:
  AntminerDriver(asio::any_io_executor executor, const DeviceConfig& config);
};

/// The registry entry (generated registry calls this).
const DriverInfo& driver_info();

}  // namespace rigkeeper::drivers::antminer
