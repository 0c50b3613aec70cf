#pragma once
/// The LuxOS API session, as one driver instance holds it.
///
/// LuxOS allows one session at a time. The first privileged command opens one with `logon`
/// (SESSION[0].SessionID) and later commands reuse it. If `logon` answers "Another session is
/// active" (code 402: another tool, or our own session from before a daemon restart), the live
/// session's id is taken from `session` and shared. A privileged command refused because the
/// session timed out or vanished (reboot, `logoff` elsewhere) drops the id, obtains a fresh one
/// and is sent once more. Sessions are not logged off after each command: that would log off a
/// technician's shared session too.
///
/// Threading: one instance per driver, used from its executor.
/// Errors: kAuth when no session can be obtained or a fresh one is refused again; otherwise
/// the transport's errors and the device's own (kDeviceError with LuxOS's message).
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/api/cgminer_client.h"

namespace rigkeeper::drivers::luxos {

class Session {
 public:
  explicit Session(CgminerClient& client) : client_(client) {}

  /// Sends `command` with parameter "<sid>,<args...>" and returns its STATUS-checked reply.
  asio::awaitable<Result<nlohmann::json>> privileged(std::string_view command,
                                                     std::vector<std::string> args = {});

  /// Forgets the session id (after a reboot, which ends every session).
  void forget() { id_.clear(); }
  const std::string& id() const { return id_; }

 private:
  asio::awaitable<Result<std::string>> acquire();

  CgminerClient& client_;
  std::string id_;
};

/// True when a device error is about the session (unknown id, timed out, logged off).
bool is_session_error(const Error& e);

}  // namespace rigkeeper::drivers::luxos
