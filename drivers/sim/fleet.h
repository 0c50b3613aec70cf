#pragma once
/// The simulated rack: every device with its fault book and its listener, the per-request
/// decision (fault or reply), and the housekeeping tick that opens and closes listeners as
/// `refuse` faults and reboots come and go.
///
/// Thread-safety: none; everything runs on one io_context thread (1000 devices are a few
/// hundred requests per second, far below what one thread serves).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/api/asio.h"
#include "drivers/api/result.h"
#include "drivers/sim/asic_device.h"
#include "drivers/sim/cgminer_server.h"
#include "drivers/sim/config_emitter.h"
#include "drivers/sim/fault_book.h"
#include "drivers/sim/fault_spec.h"
#include "drivers/sim/http_server.h"
#include "drivers/sim/listen_plan.h"

namespace rigkeeper::drivers::sim {

struct FleetOptions {
  int asics = 0;
  uint64_t seed = 1;
  std::string listen = "127.0.0.1";
  std::vector<FaultSpec> faults;  ///< applied at start(), delays counted from then
  double delay_scale = 1.0;       ///< multiplies every state-machine delay
  ServerTimeouts timeouts;
};

inline constexpr int kMaxAsics = 20000;

class Fleet {
 public:
  /// Plans the addresses and builds the devices; nothing is bound yet.
  /// Errc::kInvalidArgument for bad options (listen range, device count, fault targets).
  static Result<std::unique_ptr<Fleet>> create(asio::any_io_executor executor,
                                               FleetOptions options);
  ~Fleet();

  /// Binds every listener (ports chosen by the kernel are known afterwards), applies the
  /// start-up faults and starts the housekeeping tick. Errc::kUnreachable naming the device.
  Result<void> start();
  /// Closes every listener and stops the tick.
  void stop();

  size_t size() const { return slots_.size(); }
  /// Where and what each device is, for the start-up lines and `--emit-config`.
  std::vector<EmittedDevice> devices() const;

  /// The device called `id`, or nullptr.
  AsicDevice* find(std::string_view id);

  /// Adds a fault to its target ("*" = every device); returns how many devices got it.
  /// Errc::kInvalidArgument for an unknown device or an index the model does not have.
  Result<size_t> inject(const FaultSpec& spec, SimTime now);
  /// Clears the faults of `target` ("*" or "all" = every device); returns how many removed.
  Result<size_t> clear(std::string_view target);
  /// {"asic-003": [ {fault, active, starts_in_s, ends_in_s} ], ...} for devices with faults.
  nlohmann::json faults(SimTime now) const;
  /// The state of one device as JSON (state, power, hashrate, profile, pool, faults).
  Result<nlohmann::json> describe(std::string_view id, SimTime now);

  /// Opens/closes listeners to match refuse faults and reboots; drops expired faults.
  void reconcile(SimTime now);

  /// What device `index` does with one request at `now` (the listener's handler).
  ServerResponse handle(size_t index, std::string_view request, SimTime now);
  /// What device `index` answers on its web listener `web` (same faults as handle()).
  HttpReply handle_http(size_t index, size_t web, const HttpRequest& request, SimTime now);

 private:
  struct Slot;
  Fleet(asio::any_io_executor executor, FleetOptions options);
  Result<Slot*> slot_for(std::string_view id);
  Result<void> start_web(size_t index);
  /// The API v3 listener of a Whatsminer whose firmware serves one (whatsminer_fleet.cpp).
  Result<void> start_v3(size_t index);
  std::optional<std::string> handle_v3(size_t index, std::string_view body, SimTime now);
  asio::awaitable<void> tick_loop();

  asio::any_io_executor executor_;
  FleetOptions options_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::shared_ptr<bool> running_;
};

}  // namespace rigkeeper::drivers::sim
