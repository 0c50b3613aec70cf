#pragma once
/// One configured device's poll loop: identify (when the driver is "auto"), poll on its
/// interval with jitter, and quarantine it with a growing back-off when it times out, resets or
/// sends garbage, so that it never delays the other devices (each poller is its own coroutine
/// on the shared io_context; every request carries the transport's deadline).
///
/// Threading: io_context thread only.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "agent/commands/async_mutex.h"
#include "agent/config/config.h"
#include "drivers/api/asio.h"
#include "drivers/api/driver.h"
#include "drivers/api/telemetry.h"

namespace rigkeeper::agent {

/// What the rest of the agent may read about a device between polls.
struct DeviceStatus {
  std::string id;
  std::string driver;  ///< the configured name, or the detected one once known
  std::string host;
  uint16_t port = 0;
  std::optional<drivers::DeviceSnapshot> last;  ///< last snapshot published (ok or offline)
  std::optional<Timestamp> last_poll;
  std::optional<Timestamp> last_ok;
  int consecutive_failures = 0;
  std::optional<Timestamp> quarantined_until;
  std::optional<Error> last_error;
  uint64_t polls = 0;
  uint64_t failures = 0;
};

struct PollTiming {
  std::chrono::milliseconds interval{10000};
  double jitter = 0.1;
  std::chrono::milliseconds timeout{5000};
  int quarantine_after = 3;  ///< consecutive failures before backing off
  std::chrono::milliseconds max_backoff{300000};
};

class DevicePoller : public std::enable_shared_from_this<DevicePoller> {
 public:
  using SnapshotHandler = std::function<void(const drivers::DeviceSnapshot&, bool ok)>;

  DevicePoller(asio::io_context& io, DeviceEntry entry, PollTiming timing, uint32_t seed,
               SnapshotHandler on_snapshot);

  /// Starts the loop; the first poll comes after a random part of the interval so that a
  /// rack's devices spread over the cycle instead of all firing at once.
  void start();
  void stop();
  const DeviceStatus& status() const { return status_; }

  /// Runs a control verb through this device's driver, never at the same time as a poll
  /// (both hold the device's busy mutex; a verb waits for a poll under way and vice versa).
  /// Identifies the device first when needed. kUnsupported when the driver does not declare
  /// the capability the verb needs.
  asio::awaitable<Result<drivers::CommandOutcome>> execute(drivers::DeviceCommand cmd);
  /// The driver's capability bits; 0 while the device is not identified.
  uint32_t capabilities() const { return info_ ? info_->capabilities : 0; }

 private:
  asio::awaitable<void> run();
  asio::awaitable<void> poll_once();
  asio::awaitable<Result<void>> ensure_driver();
  void record_failure(const Error& err);
  void record_success(drivers::DeviceSnapshot snap);
  std::chrono::steady_clock::time_point next_poll_time();
  std::chrono::steady_clock::time_point on_grid(std::chrono::steady_clock::time_point t) const;
  drivers::DeviceSnapshot offline_snapshot(const Error& err) const;

  asio::io_context& io_;
  DeviceEntry entry_;
  PollTiming timing_;
  std::minstd_rand rng_;  ///< 8 bytes: a Mersenne Twister is 5 kB per device
  SnapshotHandler on_snapshot_;
  asio::steady_timer timer_;
  std::unique_ptr<drivers::Driver> driver_;
  const drivers::DriverInfo* info_ = nullptr;
  std::optional<drivers::Identity> identity_;
  DeviceStatus status_;
  int next_log_at_ = 1;  ///< failure count at which the next warning is logged
  std::chrono::steady_clock::time_point anchor_{};  ///< start of slot 0 of the cadence
  int64_t slot_ = 0;
  bool stopped_ = false;
  std::shared_ptr<commands::AsyncMutex> busy_ = std::make_shared<commands::AsyncMutex>();
};

}  // namespace rigkeeper::agent
