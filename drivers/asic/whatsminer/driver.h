#pragma once
/// The Whatsminer (MicroBT btminer) driver: reads over API v2 (cgminer-shaped, port 4028) or
/// API v3 (length-prefixed JSON, port 4433), chosen by the firmware date from `get_version`
/// (v3 from 2024-11 on) unless `api_generation` forces one, falling back to v2 when 4433
/// refuses. Control verbs are v2 encrypted privileged commands or v3 signed `set.*`
/// commands, each followed by a read-back.
///
/// Threading: one instance per device, used from one executor. Errors: as Driver; control
/// verbs fail kAuth when no `admin_password` is configured, the password is refused or the
/// miner's API is switched off; kUnsupported for verbs the generation lacks.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "drivers/api/driver.h"
#include "drivers/asic/common/slow_replies.h"
#include "drivers/asic/whatsminer/parser.h"
#include "drivers/asic/whatsminer/v2_client.h"
#include "drivers/asic/whatsminer/v3_client.h"

namespace rigkeeper::drivers::whatsminer {

enum class ApiGeneration { kV2, kV3 };

class WhatsminerDriver final : public Driver {
 public:
  WhatsminerDriver(asio::any_io_executor executor, const DeviceConfig& config);

  asio::awaitable<Result<DeviceSnapshot>> poll() override;
  asio::awaitable<Result<CommandOutcome>> execute(const DeviceCommand& cmd) override;

  /// The generation in use; nullopt before the first successful poll in "auto" mode.
  std::optional<ApiGeneration> generation() const { return generation_; }

 private:
  asio::awaitable<Result<ApiGeneration>> choose_generation();
  asio::awaitable<Result<DeviceSnapshot>> poll_v2();
  asio::awaitable<Result<DeviceSnapshot>> poll_v3();
  /// Sends one verb in the generation in use: v2 `cmd2` with `params2`, or v3 `cmd3` with
  /// `param3` (an empty cmd means the generation lacks the verb: kUnsupported).
  asio::awaitable<Result<void>> send_verb(const std::string& cmd2, const nlohmann::json& params2,
                                          const std::string& cmd3, const nlohmann::json& param3);
  asio::awaitable<Result<CommandOutcome>> curtail(const DeviceCommand& cmd);
  asio::awaitable<Result<CommandOutcome>> resume(const DeviceCommand& cmd);
  asio::awaitable<Result<CommandOutcome>> set_power(const DeviceCommand& cmd);
  asio::awaitable<Result<CommandOutcome>> switch_pool(const DeviceCommand& cmd);
  asio::awaitable<Result<CommandOutcome>> reboot();
  asio::awaitable<Result<CommandOutcome>> locate();
  Error named(Error e) const;

  std::string device_id_;
  std::string host_;
  std::optional<std::string> password_;
  std::string forced_;  ///< "auto", "v2" or "v3"
  V2Client v2_;
  V3Client v3_;
  std::optional<ApiGeneration> generation_;
  /// get_version and devdetails (v2), asked once and again after a restart.
  asic::SlowReplies identity_{asic::SlowReplies::Clock::duration::max()};
};

/// The registry entry (generated registry calls this).
const DriverInfo& driver_info();

}  // namespace rigkeeper::drivers::whatsminer
