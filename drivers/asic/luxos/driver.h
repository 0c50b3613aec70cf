#pragma once
/// The LuxOS driver: summary+devs+stats+pools+power+config per poll over LUXminer's
/// cgminer-style API (port 4028), parsed by luxos::parse_replies, and the control verbs over
/// the same socket through one shared API session (session.h):
///   curtail -> `curtail <sid>,sleep` (memo: profile and ATM before), resume -> `wakeup` and
///   the memo restored; set_power -> the highest profile at or below the target (control.h);
///   switch_profile -> `profileset`; ATM is switched off around every profile change and put
///   back as it was; switch_pool -> `addpool` (if new) + `switchpool`; reboot ->
///   `rebootdevice`; locate -> `ledset red,blink`. Every verb reads `config` (and a poll for
///   the state) back. docs/drivers/luxos.md describes each.
#include <string>

#include "drivers/asic/common/cgminer_poll_driver.h"
#include "drivers/asic/luxos/control.h"
#include "drivers/asic/luxos/session.h"

namespace rigkeeper::drivers::luxos {

class LuxosDriver final : public asic::CgminerPollDriver {
 public:
  LuxosDriver(asio::any_io_executor executor, const DeviceConfig& config);

  asio::awaitable<Result<CommandOutcome>> execute(const DeviceCommand& cmd) override;

 private:
  asio::awaitable<Result<CommandOutcome>> curtail(const DeviceCommand& cmd);
  asio::awaitable<Result<CommandOutcome>> resume(const DeviceCommand& cmd);
  asio::awaitable<Result<CommandOutcome>> set_power(const DeviceCommand& cmd);
  asio::awaitable<Result<CommandOutcome>> switch_profile(const DeviceCommand& cmd);
  asio::awaitable<Result<CommandOutcome>> switch_pool(const DeviceCommand& cmd);
  asio::awaitable<Result<CommandOutcome>> reboot();
  asio::awaitable<Result<CommandOutcome>> locate();

  /// profileset with ATM off around it; ATM ends as `atm_after` (nullopt: as it was).
  asio::awaitable<Result<void>> apply_profile(const std::string& name,
                                              std::optional<bool> atm_after = std::nullopt);
  asio::awaitable<Result<ControlState>> read_state();
  asio::awaitable<Result<std::vector<Profile>>> read_profiles();
  /// The state a poll reads now (kOffline when the poll fails).
  asio::awaitable<DeviceState> polled_state(DeviceSnapshot* snapshot = nullptr);
  Error named(Error e) const;

  std::string device_id_;
  Session session_;
};

/// The registry entry (generated registry calls this).
const DriverInfo& driver_info();

}  // namespace rigkeeper::drivers::luxos
