#pragma once
/// Whatsminer API v2 on port 4028: the cgminer-shaped reads (through CgminerClient) and the
/// encrypted privileged commands: `get_token` -> md5-crypt token -> `{"enc":1,"data":...}`
/// with AES-256-ECB -> the reply's `enc` decrypted with the same key (crypto.h).
///
/// Threading: use from one executor. Errors: the transport's; kAuth "API access disabled on
/// the miner; enable it in the web UI" when the firmware refuses writes ("can't access write
/// cmd"), kAuth "admin password refused" when the token does not check (code 135/136, or a
/// reply that does not decrypt with our key); kDeviceError with the firmware's message for
/// other refusals. The password never appears in any message.
#include <chrono>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "drivers/api/asio.h"
#include "drivers/api/cgminer_client.h"
#include "drivers/api/result.h"

namespace rigkeeper::drivers::whatsminer {

class V2Client {
 public:
  V2Client(asio::any_io_executor executor, std::string host, uint16_t port,
           std::chrono::milliseconds timeout);

  CgminerClient& reads() { return reads_; }

  /// Runs privileged `cmd` with `params` (string values, as btminer expects) and returns the
  /// decrypted reply after its STATUS check.
  asio::awaitable<Result<nlohmann::json>> privileged(const std::string& cmd,
                                                     const nlohmann::json& params,
                                                     const std::string& password);

 private:
  Error named(Error e) const;

  asio::any_io_executor executor_;
  CgminerClient reads_;
  std::chrono::milliseconds timeout_;
};

/// Maps a plain (unencrypted) STATUS E/F reply of a privileged exchange to an error.
Error v2_refusal(const nlohmann::json& reply, const std::string& cmd);

}  // namespace rigkeeper::drivers::whatsminer
