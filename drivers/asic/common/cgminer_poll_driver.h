#pragma once
/// The driver half shared by cgminer-API families: one multi-command request per poll over a
/// CgminerClient, `version` asked on the first poll only and again after the miner restarts,
/// and the family's pure parser applied to the replies. A family's driver is this class given
/// its command list and parser.
///
/// Threading: one instance per device, used from one executor; poll() never blocks.
/// Errors: the client's (kUnreachable, kTimeout, kProtocol, ...) with the device id and
/// host:port in the message, or the parser's kProtocol when nothing usable came back.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/api/cgminer_client.h"
#include "drivers/api/driver.h"
#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/slow_replies.h"

namespace rigkeeper::drivers::asic {

/// Pure: the replies of one poll -> a snapshot (device_id, host and ts are filled by the driver).
using ReplyParser = std::function<Result<DeviceSnapshot>(const Replies&)>;

class CgminerPollDriver : public Driver {
 public:
  /// `commands`: the report commands one poll asks (without "version", which is added on the
  /// first poll). The port is config.port or 4028.
  CgminerPollDriver(asio::any_io_executor executor, const DeviceConfig& config,
                    std::vector<std::string> commands, ReplyParser parser);

  asio::awaitable<Result<DeviceSnapshot>> poll() override;

  /// The commands the next poll will send (for tests and for `rigkeeper probe -v`).
  std::vector<std::string> next_commands() const;

 protected:
  /// Called with a poll's replies before parsing, so a family can fetch what a STATUS error
  /// hid (commands() leaves out replies whose STATUS is E). Default: nothing.
  virtual asio::awaitable<void> complete_replies(Replies& replies);

  CgminerClient& client() { return client_; }

 private:
  Error name_device(Error e) const;

  CgminerClient client_;
  std::string device_id_;
  std::vector<std::string> commands_;
  ReplyParser parser_;
  asic::SlowReplies identity_{asic::SlowReplies::Clock::duration::max()};  ///< `version`
};

}  // namespace rigkeeper::drivers::asic
