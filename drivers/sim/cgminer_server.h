#pragma once
/// The cgminer-API socket of one simulated device: one request per TCP connection, the reply
/// (JSON and a NUL, or whatever a fault dictates) sent, then the connection closed. The device
/// decides each response through a handler, so transport faults (hang, reset, slow, damaged
/// bytes) are the handler's choice and never block other devices: every connection is its own
/// coroutine on the shared io_context, with deadlines on every phase.
///
/// Thread-safety: none; use from the io_context's thread. Errors from the network are
/// absorbed per connection (logged at debug level), never thrown.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "drivers/api/asio.h"
#include "drivers/api/result.h"
#include "drivers/sim/listen_plan.h"

namespace rigkeeper::drivers::sim {

/// What the device does with one request.
struct ServerResponse {
  enum class Mode {
    kSend,   ///< send `bytes` (after `delay`), then close
    kHang,   ///< never answer; hold the connection until the peer gives up
    kReset,  ///< abort the connection with a TCP RST
  };
  Mode mode = Mode::kSend;
  std::chrono::milliseconds delay{0};
  std::string bytes;
};

/// Called once per complete request with its raw bytes.
using RequestHandler = std::function<ServerResponse(std::string_view request)>;

/// Deadlines of one connection.
struct ServerTimeouts {
  std::chrono::milliseconds request{10'000};    ///< to receive a whole request
  std::chrono::milliseconds text_idle{150};     ///< a text request without newline ends here
  std::chrono::milliseconds write{10'000};      ///< to send the reply
  std::chrono::milliseconds linger{2'000};      ///< waiting for the peer to close after a reply
  std::chrono::milliseconds hang_max{600'000};  ///< a hung connection is dropped after this
};

class CgminerListener {
 public:
  CgminerListener(asio::any_io_executor executor, ListenEndpoint endpoint, RequestHandler handler,
                  ServerTimeouts timeouts = {});
  ~CgminerListener();
  CgminerListener(const CgminerListener&) = delete;
  CgminerListener& operator=(const CgminerListener&) = delete;

  /// Binds and starts accepting. A port of 0 is chosen by the kernel on the first open and
  /// kept for later re-opens. Errc::kUnreachable naming the endpoint if the bind fails.
  Result<void> open();
  /// Stops listening: new connections are refused; open connections finish normally.
  void close();
  bool is_open() const;

  const ListenEndpoint& endpoint() const { return endpoint_; }

 private:
  struct State;
  std::shared_ptr<State> state_;
  ListenEndpoint endpoint_;
};

}  // namespace rigkeeper::drivers::sim
