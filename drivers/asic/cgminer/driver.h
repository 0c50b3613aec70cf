#pragma once
/// The generic cgminer-API driver, for firmware no specific family recognises:
/// summary+devs+pools+stats per poll (port 4028), parsed by cgminer::parse_replies.
#include "drivers/asic/common/cgminer_poll_driver.h"

namespace rigkeeper::drivers::cgminer {

class CgminerDriver final : public asic::CgminerPollDriver {
 public:
  CgminerDriver(asio::any_io_executor executor, const DeviceConfig& config);
};

/// The registry entry (generated registry calls this).
const DriverInfo& driver_info();

}  // namespace rigkeeper::drivers::cgminer
