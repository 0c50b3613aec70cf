#pragma once
/// The read side of Braiins OS+ through its cgminer-compatible API (port 4028), for every
/// version: summary+devs+devdetails+temps+fans+tunerstatus+pools per poll, parsed by
/// braiins::parse_replies. No credentials needed; no control.
#include "drivers/asic/common/cgminer_poll_driver.h"

namespace rigkeeper::drivers::braiins {

class CgminerReader final : public asic::CgminerPollDriver {
 public:
  CgminerReader(asio::any_io_executor executor, const DeviceConfig& config);

 protected:
  /// bosminer answers devdetails with STATUS E, Msg "Unavailable", while mining is paused;
  /// when the poll lost devdetails and the miner does not hash, read that reply raw.
  asio::awaitable<void> complete_replies(asic::Replies& replies) override;
};

}  // namespace rigkeeper::drivers::braiins
