#pragma once
/// The Braiins OS+ driver: summary+devs+devdetails+temps+fans+tunerstatus+pools per poll over
/// the cgminer-compatible API (port 4028), parsed by braiins::parse_replies. Read-only for
/// now; control (gRPC/REST) arrives with a later issue.
#include "drivers/asic/common/cgminer_poll_driver.h"

namespace rigkeeper::drivers::braiins {

class BraiinsDriver final : public asic::CgminerPollDriver {
 public:
  BraiinsDriver(asio::any_io_executor executor, const DeviceConfig& config);

 protected:
  /// bosminer answers devdetails with STATUS E, Msg "Unavailable", while mining is paused;
  /// when the poll lost devdetails and the miner does not hash, read that reply raw.
  asio::awaitable<void> complete_replies(asic::Replies& replies) override;
};

/// The registry entry (generated registry calls this).
const DriverInfo& driver_info();

}  // namespace rigkeeper::drivers::braiins
