#pragma once
/// `--control PORT`: a loopback TCP port through which tests and the demo steer the running
/// simulator. One JSON object per connection (a line), one JSON line back, then close:
///
///   {"fault":"asic-003:hang"}                 add faults (full --faults grammar, comma list)
///   {"clear":"asic-003"}   {"clear":"*"}      remove a device's / every device's faults
///   {"list":true}                             faults in force, per device
///   {"state":"asic-003"}                      a device's state, power, hashrate, faults
///   {"action":"sleep"|"wake"|"reboot","device":"asic-003"}
///   {"action":"set_power","device":"asic-003","watts":2500}   (watts null: no target)
///   {"action":"set_profile","device":"asic-003","profile":"290MHz"}
///   {"action":"set_pool","device":"asic-003","url":"stratum+tcp://...","user":"w"}
///
/// Replies are {"ok":true,...} or {"ok":false,"error":"..."}.
///
/// Thread-safety: none; runs on the simulator's io_context thread.
#include <cstdint>
#include <memory>
#include <string_view>

#include <nlohmann/json.hpp>

#include "drivers/api/asio.h"
#include "drivers/api/result.h"
#include "drivers/sim/fleet.h"

namespace rigkeeper::drivers::sim {

/// Executes one control request against the fleet (pure apart from the fleet's state).
nlohmann::json handle_control(Fleet& fleet, std::string_view request, SimTime now);

class ControlPort {
 public:
  ControlPort(asio::any_io_executor executor, Fleet& fleet);
  ~ControlPort();
  ControlPort(const ControlPort&) = delete;
  ControlPort& operator=(const ControlPort&) = delete;

  /// Listens on 127.0.0.1:port (0: the kernel picks). Errc::kUnreachable if the bind fails.
  Result<uint16_t> open(uint16_t port);
  void close();

 private:
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(asio::ip::tcp::socket socket);

  asio::any_io_executor executor_;
  Fleet& fleet_;
  asio::ip::tcp::acceptor acceptor_;
};

}  // namespace rigkeeper::drivers::sim
