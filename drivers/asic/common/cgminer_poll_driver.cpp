#include "drivers/asic/common/cgminer_poll_driver.h"

#include <exception>

#include "drivers/api/json_reader.h"

namespace rigkeeper::drivers::asic {

namespace {
constexpr std::string_view kVersion = "version";
}  // namespace

CgminerPollDriver::CgminerPollDriver(asio::any_io_executor executor, const DeviceConfig& config,
                                     std::vector<std::string> commands, ReplyParser parser)
    : client_(std::move(executor), config.host, config.port.value_or(4028),
              CgminerOptions{config.timeout}),
      device_id_(config.id),
      commands_(std::move(commands)),
      parser_(std::move(parser)) {}

std::vector<std::string> CgminerPollDriver::next_commands() const {
  std::vector<std::string> cmds;
  if (identity_.due(kVersion)) cmds.emplace_back(kVersion);
  cmds.insert(cmds.end(), commands_.begin(), commands_.end());
  return cmds;
}

asio::awaitable<void> CgminerPollDriver::complete_replies(Replies& /*replies*/) { co_return; }

Error CgminerPollDriver::name_device(Error e) const {
  const std::string where = client_.host() + ":" + std::to_string(client_.port());
  std::string prefix = "device " + device_id_;
  if (e.message.find(where) == std::string::npos) prefix += " (" + where + ")";
  e.message = prefix + ": " + e.message;
  return e;
}

asio::awaitable<Result<DeviceSnapshot>> CgminerPollDriver::poll() {
  auto replies = co_await client_.commands(next_commands());
  if (!replies) co_return tl::unexpected(name_device(replies.error()));
  if (auto it = replies->find(std::string(kVersion)); it != replies->end()) {
    identity_.store(kVersion, it->second);
  } else if (auto cached = identity_.cached(kVersion)) {
    (*replies)[std::string(kVersion)] = std::move(*cached);
  }
  co_await complete_replies(*replies);
  Result<DeviceSnapshot> snap = fail(Errc::kInternal, "parser not run");
  try {
    snap = parser_(*replies);
  } catch (const std::exception& e) {  // parsers do not throw; a library surprise must not crash
    snap = fail(Errc::kInternal, std::string("parser failed: ") + e.what());
  }
  recycle_json(*replies);
  if (!snap) co_return tl::unexpected(name_device(snap.error()));
  snap->device_id = device_id_;
  snap->host = client_.host();
  snap->ts = now_ms();
  // A restart may come with a firmware change: read `version` again on the next poll.
  identity_.saw_uptime(snap->uptime_s);
  co_return snap;
}

}  // namespace rigkeeper::drivers::asic
