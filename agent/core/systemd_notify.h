#pragma once
/// systemd service notification for rigkeeperd (sd_notify(3)): READY=1 once the daemon serves,
/// STATUS= lines for `systemctl status`, WATCHDOG=1 keep-alives and STOPPING=1 on shutdown.
///
/// The keep-alives are sent by an Asio timer on the daemon's own io_context, every half of the
/// interval systemd asks for (WatchdogSec= exported as WATCHDOG_USEC, see sd_watchdog_enabled(3)).
/// A loop that stalls (a handler that blocks, a deadlock) therefore stops the pings and systemd
/// kills and restarts the service. An optional health check runs before each ping; while it
/// reports false no ping is sent.
///
/// The notify protocol is spoken directly (one datagram per message to the AF_UNIX socket named
/// by NOTIFY_SOCKET, a path or an "@" abstract name), as systemd's maintainers recommend to a
/// program that needs nothing else from libsystemd: the protocol is the stable interface, and
/// linking libsystemd (with its liblzma, libzstd, liblz4, libgcrypt and libcap) cost ~0.9 MiB of
/// resident memory in every rigkeeperd (tests/bench/floor). Outside systemd (no NOTIFY_SOCKET)
/// every call is a cheap no-op.
///
/// Thread-safety: not thread-safe; use from the io_context's thread only. Errors: a failed
/// notification is logged once at debug level and otherwise ignored (systemd's own timeouts
/// report a daemon that never became ready).
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "drivers/api/asio.h"

namespace rigkeeper::agent {

class SystemdNotifier {
 public:
  /// Returns true when the daemon's health allows a watchdog ping.
  using HealthCheck = std::function<bool()>;

  explicit SystemdNotifier(asio::io_context& io, HealthCheck health = {});
  ~SystemdNotifier();
  SystemdNotifier(const SystemdNotifier&) = delete;
  SystemdNotifier& operator=(const SystemdNotifier&) = delete;

  /// The watchdog interval systemd asked for (WATCHDOG_USEC, only when WATCHDOG_PID is unset or
  /// names this process); nullopt when the watchdog is off or the variables are malformed.
  static std::optional<std::chrono::microseconds> watchdog_interval();

  /// Sends READY=1 with a STATUS= line and starts the watchdog pings when systemd asked for them.
  void ready(std::string_view status);

  /// Sends a STATUS= line (free text shown by `systemctl status`).
  void status(std::string_view status);

  /// Sends STOPPING=1 with a STATUS= line and stops the watchdog pings.
  void stopping(std::string_view status);

  /// Number of WATCHDOG=1 notifications sent so far (for tests and diagnostics).
  uint64_t pings_sent() const { return pings_; }

 private:
  void schedule_ping();
  bool send(const std::string& message);

  asio::steady_timer timer_;
  HealthCheck health_;
  std::chrono::microseconds period_{0};
  uint64_t pings_ = 0;
  bool stopped_ = false;
  bool warned_ = false;
};

}  // namespace rigkeeper::agent
