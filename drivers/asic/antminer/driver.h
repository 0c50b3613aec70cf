#pragma once
/// The stock Antminer driver. Reads: summary+stats+pools per poll over the cgminer API (port
/// 4028), parsed by antminer::parse_replies; when the miner does not hash and web credentials
/// are configured, get_miner_conf tells a sleeping miner from an idle one.
/// Control: the web CGI with HTTP digest auth (web_client.h, web_conf.h):
///   curtail -> set_miner_conf with work mode 1 (memo: the mode before, normal or low_power);
///   resume -> the memo's mode (normal when none); switch_profile -> normal | low_power;
///   switch_pool -> set_miner_conf "pools"; reboot -> reboot.cgi; locate -> blink.cgi.
///   set_power: kUnsupported (stock firmware has work modes, no watt target).
/// Every verb reads get_miner_conf and a poll back. docs/drivers/antminer.md describes each.
#include <string>

#include "drivers/asic/antminer/web_client.h"
#include "drivers/asic/antminer/web_conf.h"
#include "drivers/asic/common/cgminer_poll_driver.h"

namespace rigkeeper::drivers::antminer {

class AntminerDriver final : public asic::CgminerPollDriver {
 public:
  AntminerDriver(asio::any_io_executor executor, const DeviceConfig& config);

  asio::awaitable<Result<DeviceSnapshot>> poll() override;
  asio::awaitable<Result<CommandOutcome>> execute(const DeviceCommand& cmd) override;

 private:
  asio::awaitable<Result<MinerConf>> read_conf(bool for_poll = false);
  asio::awaitable<Result<void>> write_conf(const nlohmann::json& body);
  asio::awaitable<Result<CommandOutcome>> apply_mode(WorkMode mode, const std::string& verb);
  asio::awaitable<Result<CommandOutcome>> curtail(const DeviceCommand& cmd);
  asio::awaitable<Result<CommandOutcome>> resume(const DeviceCommand& cmd);
  asio::awaitable<Result<CommandOutcome>> switch_profile(const DeviceCommand& cmd);
  asio::awaitable<Result<CommandOutcome>> switch_pool(const DeviceCommand& cmd);
  asio::awaitable<Result<CommandOutcome>> reboot();
  asio::awaitable<Result<CommandOutcome>> locate(const DeviceCommand& cmd);
  Error named(Error e) const;

  std::string device_id_;
  WebClient web_;
};

/// The registry entry (generated registry calls this).
const DriverInfo& driver_info();

}  // namespace rigkeeper::drivers::antminer
