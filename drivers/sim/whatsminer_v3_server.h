#pragma once
/// The Whatsminer API v3 listener of one simulated device (TCP 4433 on real firmware): each
/// connection carries requests framed as a 4-byte little-endian length and a JSON body; each
/// is answered with a framed JSON body by the handler. Frames over 64 KiB, and connections
/// idle past the deadline, are closed.
///
/// Thread-safety: none; use from the io_context's thread. Network errors are absorbed per
/// connection, never thrown.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "drivers/api/asio.h"
#include "drivers/api/result.h"
#include "drivers/sim/listen_plan.h"

namespace rigkeeper::drivers::sim {

inline constexpr uint16_t kWhatsminerV3Port = 4433;

/// The reply body to one request body; nullopt drops the connection (device unreachable).
using V3Handler = std::function<std::optional<std::string>(std::string_view body)>;

class WhatsminerV3Server {
 public:
  WhatsminerV3Server(asio::any_io_executor executor, ListenEndpoint endpoint, V3Handler handler,
                     std::chrono::milliseconds idle_timeout = std::chrono::seconds(10));
  ~WhatsminerV3Server();
  WhatsminerV3Server(const WhatsminerV3Server&) = delete;
  WhatsminerV3Server& operator=(const WhatsminerV3Server&) = delete;

  /// Binds and accepts; port 0 is chosen by the kernel on the first open and kept.
  /// Errc::kUnreachable naming the endpoint if the bind fails.
  Result<void> open();
  void close();
  bool is_open() const;
  const ListenEndpoint& endpoint() const { return endpoint_; }

 private:
  struct State;
  std::shared_ptr<State> state_;
  ListenEndpoint endpoint_;
};

}  // namespace rigkeeper::drivers::sim
