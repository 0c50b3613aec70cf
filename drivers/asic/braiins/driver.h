#pragma once
/// The Braiins OS+ driver. Reads through the public REST API (`/api/v1`, Braiins OS 25.07+)
/// when it is there and credentials are configured, otherwise through the cgminer-compatible
/// API on 4028 (every version, no credentials); controls through the REST API only.
///
/// Driver options: `api` = "auto" (default: REST when the firmware answers it, else cgminer),
/// "rest" or "cgminer"; `rest_port` (80), `rest_scheme` ("http" or "https"); `username` and
/// `password` (secrets, no default). docs/drivers/braiins.md explains each.
///
/// Threading: one instance per device, used from one executor.
/// Errors: control without credentials is kAuth naming the device; on firmware without the
/// REST API (22.x..25.05, gRPC only) control is kUnsupported "REST API needs Braiins OS 25.07
/// or later"; reads fail as the cgminer or REST transport does.
#include <memory>
#include <optional>
#include <string>

#include "drivers/api/driver.h"
#include "drivers/asic/braiins/cgminer_reader.h"
#include "drivers/asic/braiins/rest_session.h"
#include "drivers/asic/common/slow_replies.h"

namespace rigkeeper::drivers::braiins {

enum class ApiMode { kAuto, kRest, kCgminer };

class BraiinsDriver final : public Driver {
 public:
  BraiinsDriver(asio::any_io_executor executor, const DeviceConfig& config);

  asio::awaitable<Result<DeviceSnapshot>> poll() override;
  asio::awaitable<Result<CommandOutcome>> execute(const DeviceCommand& cmd) override;

  /// True once the firmware showed it has no REST API (404 on /api/v1): auto mode then reads
  /// through cgminer only.
  bool rest_absent() const { return rest_absent_; }

 private:
  asio::awaitable<Result<DeviceSnapshot>> poll_rest();
  Error named(Errc code, const std::string& what) const;

  std::string device_id_;
  std::string host_;
  std::optional<ApiMode> mode_;  ///< nullopt: the `api` option is invalid
  std::string mode_text_;
  CgminerReader cgminer_;
  RestSession rest_;
  bool rest_absent_ = false;
  asic::SlowReplies slow_;  ///< miner/errors and performance/tuner-state
};

/// The registry entry (generated registry calls this).
const DriverInfo& driver_info();

}  // namespace rigkeeper::drivers::braiins
