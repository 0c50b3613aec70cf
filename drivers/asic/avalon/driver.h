#pragma once
/// The Avalon driver: summary+stats+pools per poll over Canaan's cgminer API (port 4028),
/// parsed by avalon::parse_replies, and the control verbs as `ascset` settings (control.h):
///   curtail -> soft off (memo: the work mode before), resume -> soft on and the work mode
///   restored; switch_profile -> work mode by name; switch_pool -> setpool with the web login
///   (options web_user/web_password) and a reboot, which setpool needs to apply; reboot;
///   locate -> LED on. Each verb reads the module's stats string back. No set_power: the
///   firmware has work modes, not a power target, and does not report their power.
#include <string>

#include "drivers/asic/avalon/parser.h"
#include "drivers/asic/common/cgminer_poll_driver.h"

namespace rigkeeper::drivers::avalon {

class AvalonDriver final : public asic::CgminerPollDriver {
 public:
  AvalonDriver(asio::any_io_executor executor, const DeviceConfig& config);

  asio::awaitable<Result<CommandOutcome>> execute(const DeviceCommand& cmd) override;

 private:
  /// The module's bracket fields, the device's clock (STATUS When) and model, read now.
  struct Module {
    BracketFields fields;
    long long when = 0;
    std::string model;
  };
  asio::awaitable<Result<Module>> read_module();
  asio::awaitable<Result<nlohmann::json>> ascset(const std::string& parameter);
  asio::awaitable<Result<CommandOutcome>> curtail(const DeviceCommand& cmd);
  asio::awaitable<Result<CommandOutcome>> resume(const DeviceCommand& cmd);
  asio::awaitable<Result<CommandOutcome>> switch_profile(const DeviceCommand& cmd);
  asio::awaitable<Result<CommandOutcome>> switch_pool(const DeviceCommand& cmd);
  asio::awaitable<Result<CommandOutcome>> reboot(std::string detail);
  asio::awaitable<Result<CommandOutcome>> locate();
  asio::awaitable<DeviceState> polled_state();

  std::string device_id_;
  std::string web_user_;
  std::string web_password_;
};

/// The registry entry (generated registry calls this).
const DriverInfo& driver_info();

}  // namespace rigkeeper::drivers::avalon
