#pragma once
/// The VNish driver: reads GET /api/v1/summary (+ info, settings) on the web port and
/// controls through the privileged web API (unlock token). Driver options: `web_port` (80),
/// `web_password` (secret, no default; control fails with kAuth without it, reads work).
///
/// Threading: one instance per device, used from one executor.
/// Errors: the session's (docs in session.h); kProtocol when the summary is unreadable.
#include <memory>
#include <string>

#include "drivers/api/driver.h"
#include "drivers/asic/common/slow_replies.h"
#include "drivers/asic/vnish/session.h"

namespace rigkeeper::drivers::vnish {

class VnishDriver final : public Driver {
 public:
  VnishDriver(asio::any_io_executor executor, const DeviceConfig& config);

  asio::awaitable<Result<DeviceSnapshot>> poll() override;
  asio::awaitable<Result<CommandOutcome>> execute(const DeviceCommand& cmd) override;

 private:
  std::string device_id_;
  std::string host_;
  WebSession web_;
  asic::SlowReplies slow_;  ///< info and settings
};

/// The registry entry (generated registry calls this).
const DriverInfo& driver_info();

}  // namespace rigkeeper::drivers::vnish
