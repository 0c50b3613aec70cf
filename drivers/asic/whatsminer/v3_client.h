#pragma once
/// The Whatsminer API v3 transport (TCP 4433): each request is a 4-byte little-endian length
/// and a JSON body `{"cmd":...,"param":...}`; the reply is framed the same way. `set.*`
/// commands also carry `ts`, `account` ("super") and the 8-character token derived from the
/// password and the salt of `get.device.info` (crypto.h). One request per connection.
///
/// Threading: use from one executor; coroutines never block. Errors: kUnreachable, kTimeout,
/// kProtocol (bad framing, oversize, not JSON) naming host:port; a reply with code != 0 is
/// kAuth for -4 (access denied: wrong password or API switched off), kUnsupported for -2
/// (unknown command), kDeviceError otherwise, with the firmware's message.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "drivers/api/asio.h"
#include "drivers/api/result.h"

namespace rigkeeper::drivers::whatsminer {

inline constexpr uint16_t kV3Port = 4433;
inline constexpr uint32_t kV3MaxFrame = 1u << 20;

/// Frames a JSON body: 4-byte little-endian length, then the bytes.
std::string v3_frame(const std::string& body);

class V3Client {
 public:
  V3Client(asio::any_io_executor executor, std::string host, uint16_t port,
           std::chrono::milliseconds timeout);

  /// One raw exchange: sends `request` framed, returns the reply body parsed as JSON.
  asio::awaitable<Result<nlohmann::json>> exchange(const nlohmann::json& request);

  /// A read command; returns the reply's `msg` after checking `code`.
  asio::awaitable<Result<nlohmann::json>> get(const std::string& cmd,
                                              nlohmann::json param = nullptr);

  /// A `set.*` command signed with `password` (the salt is fetched once and cached).
  asio::awaitable<Result<nlohmann::json>> set(const std::string& cmd, nlohmann::json param,
                                              const std::string& password);

  const std::string& host() const { return host_; }
  uint16_t port() const { return port_; }

 private:
  Error named(Error e) const;

  asio::any_io_executor executor_;
  std::string host_;
  uint16_t port_;
  std::chrono::milliseconds timeout_;
  std::optional<std::string> salt_;
};

/// Checks a v3 reply envelope {code, msg, desc, when}; returns msg.
Result<nlohmann::json> v3_check(nlohmann::json reply, const std::string& cmd);

}  // namespace rigkeeper::drivers::whatsminer
