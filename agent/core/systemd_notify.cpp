#include "agent/core/systemd_notify.h"

#include <algorithm>
#include <cstring>

#include <spdlog/spdlog.h>

#ifdef RK_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace rigkeeper::agent {

namespace {

std::shared_ptr<spdlog::logger> logger() {
  static auto log = [] {
    auto l = spdlog::get("systemd");
    return l ? l : spdlog::default_logger()->clone("systemd");
  }();
  return log;
}

// A STATUS= value is one line: a newline would start another assignment (READY=1, ...).
std::string one_line(std::string_view text) {
  std::string s(text);
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

// The shortest period the pings use, so that a tiny WATCHDOG_USEC cannot spin the loop.
constexpr std::chrono::microseconds kMinPeriod{1000};

}  // namespace

SystemdNotifier::SystemdNotifier(asio::io_context& io, HealthCheck health)
    : timer_(io), health_(std::move(health)) {}

SystemdNotifier::~SystemdNotifier() { timer_.cancel(); }

bool SystemdNotifier::available() {
#ifdef RK_HAVE_SYSTEMD
  return true;
#else
  return false;
#endif
}

std::optional<std::chrono::microseconds> SystemdNotifier::watchdog_interval() {
#ifdef RK_HAVE_SYSTEMD
  uint64_t usec = 0;
  // 0: keep the environment, so that a restart of the loop (and the tests) can read it again.
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
    return std::chrono::microseconds(static_cast<int64_t>(usec));
#endif
  return std::nullopt;
}

bool SystemdNotifier::send(const std::string& message) {
#ifdef RK_HAVE_SYSTEMD
  const int r = sd_notify(0, message.c_str());
  if (r < 0 && !warned_) {
    warned_ = true;
    logger()->debug("sd_notify failed: {}", std::strerror(-r));
  }
  return r > 0;
#else
  (void)message;
  return false;
#endif
}

void SystemdNotifier::ready(std::string_view status) {
  stopped_ = false;
  send("READY=1\nSTATUS=" + one_line(status));
  const auto interval = watchdog_interval();
  if (!interval) return;
  // sd_watchdog_enabled(3): send WATCHDOG=1 every half of the interval.
  period_ = std::max(*interval / 2, kMinPeriod);
  logger()->info("systemd watchdog: {} ms, pinging every {} ms",
                 std::chrono::duration_cast<std::chrono::milliseconds>(*interval).count(),
                 std::chrono::duration_cast<std::chrono::milliseconds>(period_).count());
  schedule_ping();
}

void SystemdNotifier::status(std::string_view status) { send("STATUS=" + one_line(status)); }

void SystemdNotifier::stopping(std::string_view status) {
  stopped_ = true;
  timer_.cancel();
  send("STOPPING=1\nSTATUS=" + one_line(status));
}

void SystemdNotifier::schedule_ping() {
  timer_.expires_after(period_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    if (!health_ || health_()) {
      if (send("WATCHDOG=1")) ++pings_;
    } else {
      logger()->warn("health check failed: withholding the systemd watchdog ping");
    }
    schedule_ping();
  });
}

}  // namespace rigkeeper::agent
