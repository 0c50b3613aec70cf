#pragma once
/// The local control socket between `rigkeeper` and the running `rigkeeperd`: a Unix stream
/// socket (mode 0660, in the state or runtime directory), one JSON request line in, one JSON
/// reply line out, then the daemon closes. Requests: {"cmd":"status"}; later issues add
/// curtail/resume/... Replies: {"ok":true,...} or {"ok":false,"error":{"code":str,"message":str}}.
/// Requests are capped at kMaxRequestBytes; a client that sends nothing in 5 s is dropped.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>

#include <nlohmann/json.hpp>

#include "drivers/api/asio.h"
#include "drivers/api/result.h"

namespace rigkeeper::agent {

inline constexpr std::size_t kMaxRequestBytes = 64 * 1024;
inline constexpr std::size_t kMaxReplyBytes = 16 * 1024 * 1024;

/// Serves the control socket on the daemon's io_context.
class ControlServer {
 public:
  /// Handles one parsed request on the io_context thread and returns the reply object.
  using Handler = std::function<nlohmann::json(const nlohmann::json& request)>;

  ControlServer(asio::io_context& io, std::filesystem::path socket_path, Handler handler);
  ~ControlServer();
  /// Binds (replacing a stale socket file), chmods 0660, starts accepting.
  Result<void> start();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Client side (blocking, for the CLI): sends `request`, returns the reply object.
/// Errc::kUnreachable when no daemon listens, kTimeout, kProtocol for a bad reply.
Result<nlohmann::json> control_request(const std::filesystem::path& socket_path,
                                       const nlohmann::json& request,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace rigkeeper::agent
