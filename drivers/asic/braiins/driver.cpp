#include "drivers/asic/braiins/driver.h"

#include "drivers/api/json_repair.h"
#include "drivers/asic/braiins/identify.h"
#include "drivers/asic/braiins/parser.h"
#include "drivers/asic/common/hashrate.h"

namespace rigkeeper::drivers::braiins {

BraiinsDriver::BraiinsDriver(asio::any_io_executor executor, const DeviceConfig& config)
    : CgminerPollDriver(std::move(executor), config, poll_commands(), &parse_replies) {}

asio::awaitable<void> BraiinsDriver::complete_replies(asic::Replies& replies) {
  if (replies.count("devdetails") != 0) co_return;
  const auto rate =
      asic::current_rate(asic::first_entry(asic::reply_of(replies, "summary"), "SUMMARY"));
  if (rate && *rate > 0.0) co_return;  // hashing: a missing devdetails is a denial, not a pause
  auto raw = co_await client().request_raw("devdetails");
  if (!raw) co_return;
  if (auto parsed = parse_cgminer_json(*raw)) replies["devdetails"] = std::move(*parsed);
}

const DriverInfo& driver_info() {
  static const DriverInfo kInfo{
      .name = "braiins",
      .firmware = "braiins",
      .description = "Braiins OS+ (BOSer/BOSminer) through its cgminer-compatible API, port 4028",
      .capabilities = kCapRead,
      .default_port = 4028,
      .config_keys = {},
      .match = &match,
      .identify = &identify,
      .create = [](asio::any_io_executor ex, const DeviceConfig& cfg) -> std::unique_ptr<Driver> {
        return std::make_unique<BraiinsDriver>(std::move(ex), cfg);
      },
  };
  return kInfo;
}

}  // namespace rigkeeper::drivers::braiins
