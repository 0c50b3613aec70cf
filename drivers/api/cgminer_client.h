#pragma once
/// The cgminer-API transport (TCP 4028 and compatibles): one request per TCP connection, the
/// reply read to EOF and stripped of its trailing NUL, a hard size cap and a deadline, `+`
/// multi-commands with a per-command fallback for firmware that rejects them.
///
/// Threading: use from one executor; every call is a coroutine that never blocks the thread.
/// Errors: Errc::kUnreachable (connect/resolve), kTimeout (deadline), kProtocol (oversize,
/// garbage), kAuth (STATUS E code 45 "Access denied"), kUnsupported (code 14 "Invalid
/// command"), kDeviceError (any other E/F STATUS).
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/api/asio.h"
#include "drivers/api/result.h"

namespace rigkeeper::drivers {

struct CgminerOptions {
  std::chrono::milliseconds timeout{3000};  ///< whole request: resolve, connect, write, read
  std::size_t max_reply_bytes = 1 << 20;    ///< replies beyond this are refused (kProtocol)
};

/// Checks a reply's STATUS section (list or Whatsminer's flat object). S and I are success.
Result<void> check_cgminer_status(const nlohmann::json& reply);

class CgminerClient {
 public:
  CgminerClient(asio::any_io_executor executor, std::string host, uint16_t port,
                CgminerOptions options = {});

  /// Sends `{"command":cmd[,"parameter":param]}` and returns the reply's raw bytes without
  /// the trailing NUL. No STATUS check.
  asio::awaitable<Result<std::string>> request_raw(std::string_view cmd,
                                                   std::string_view param = {});

  /// One command: parsed (repaired if needed) and STATUS-checked.
  asio::awaitable<Result<nlohmann::json>> command(std::string_view cmd,
                                                  std::string_view param = {});

  /// Several parameterless report commands in one connection ("summary+stats+pools"), each
  /// reply returned under its command name as a single-command-shaped object (the arrays real
  /// firmware wraps them in are unwrapped). If the firmware rejects multi-commands, falls back
  /// to one connection per command and remembers that for this client. A command whose own
  /// STATUS is an error is left out of the map; the call fails only if every command failed.
  asio::awaitable<Result<std::map<std::string, nlohmann::json>>> commands(
      const std::vector<std::string>& cmds);

  const std::string& host() const { return host_; }
  uint16_t port() const { return port_; }
  bool multi_command_supported() const { return multi_ok_; }

 private:
  asio::any_io_executor executor_;
  std::string host_;
  uint16_t port_;
  CgminerOptions options_;
  bool multi_ok_ = true;
};

}  // namespace rigkeeper::drivers
