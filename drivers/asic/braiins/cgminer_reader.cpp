#include "drivers/asic/braiins/cgminer_reader.h"

#include "drivers/api/json_repair.h"
#include "drivers/asic/braiins/parser.h"
#include "drivers/asic/common/hashrate.h"

namespace rigkeeper::drivers::braiins {

CgminerReader::CgminerReader(asio::any_io_executor executor, const DeviceConfig& config)
    : CgminerPollDriver(std::move(executor), config, poll_commands(), &parse_replies) {}

asio::awaitable<void> CgminerReader::complete_replies(asic::Replies& replies) {
  if (replies.count("devdetails") != 0) co_return;
  const auto rate =
      asic::current_rate(asic::first_entry(asic::reply_of(replies, "summary"), "SUMMARY"));
  if (rate && *rate > 0.0) co_return;  // hashing: a missing devdetails is a denial, not a pause
  auto raw = co_await client().request_raw("devdetails");
  if (!raw) co_return;
  if (auto parsed = parse_cgminer_json(*raw)) replies["devdetails"] = std::move(*parsed);
}

}  // namespace rigkeeper::drivers::braiins
