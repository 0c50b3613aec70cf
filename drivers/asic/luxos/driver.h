#pragma once
/// The LuxOS driver: summary+devs+stats+pools+power+config per poll over LUXminer's
/// cgminer-style API (port 4028), parsed by luxos::parse_replies. Read-only for now; the
/// session-based control verbs (curtail, profileset, ...) arrive with a later issue.
#include "drivers/asic/common/cgminer_poll_driver.h"

namespace rigkeeper::drivers::luxos {

class LuxosDriver final : public asic::CgminerPollDriver {
 public:
  LuxosDriver(asio::any_io_executor executor, const DeviceConfig& config);
};

/// The registry entry (generated registry calls this).
const DriverInfo& driver_info();

}  // namespace rigkeeper::drivers::luxos
