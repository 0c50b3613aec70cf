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
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "drivers/api/asio.h"
#include "drivers/api/result.h"

namespace rigkeeper::agent {

inline constexpr std::size_t kMaxRequestBytes = 64 * 1024;
inline constexpr std::size_t kMaxReplyBytes = 16 * 1024 * 1024;

/// Serves the control socket on the daemon's io_context.
///
/// Threading: construct, start(), stop() and destroy on the io_context's thread (or while it
/// is not running); the handler is called on that thread, one request at a time. Each
/// connection is served by its own coroutine: a slow or silent client never blocks others.
/// At most 32 connections are served at once; more are closed at once.
class ControlServer {
 public:
  /// Handles one parsed request on the io_context thread and returns the reply object.
  using Handler = std::function<nlohmann::json(const nlohmann::json& request)>;

  /// Takes a request whose reply comes later (a command waiting for its final ack): returns
  /// false to leave the request to the Handler, or true and calls `reply` once, on the
  /// io_context thread. The read deadline is lifted meanwhile (the client has its own).
  using AsyncHandler =
      std::function<bool(const nlohmann::json& request, std::function<void(nlohmann::json)> reply)>;

  ControlServer(asio::io_context& io, std::filesystem::path socket_path, Handler handler);
  /// Call before start().
  void set_async_handler(AsyncHandler handler);
  ~ControlServer();
  /// Binds (replacing a stale socket file), chmods 0660, starts accepting.
  /// Errc::kConfig when another daemon answers on the path ("another rigkeeperd is running"),
  /// when the path exists and is not a socket (it is never removed), or when binding fails.
  Result<void> start();
  /// Stops accepting, closes open connections and removes the socket file if it is still ours.
  /// Idempotent; also done by the destructor.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Client side (blocking, for the CLI): sends `request`, returns the reply object.
/// Errc::kUnreachable when no daemon listens, kTimeout, kProtocol for a bad reply.
Result<nlohmann::json> control_request(
    const std::filesystem::path& socket_path, const nlohmann::json& request,
    std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// {"ok":false,"error":{"code":to_string(code),"message":message}}, the reply for a failed
/// request (handlers use it too).
nlohmann::json control_error_reply(Errc code, std::string_view message);

/// The error an {"ok":false,"error":{...}} reply carries (an unknown or missing code reads as
/// Errc::kInternal); nullopt when the reply says "ok":true. A reply without a boolean "ok" is
/// an Errc::kProtocol error.
std::optional<Error> control_reply_error(const nlohmann::json& reply);

}  // namespace rigkeeper::agent
