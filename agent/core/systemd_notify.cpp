#include "agent/core/systemd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include <spdlog/spdlog.h>

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

/// An environment variable as a whole unsigned decimal number; nullopt when unset or not one.
std::optional<uint64_t> env_number(const char* name) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return std::nullopt;
  const char* end = text + std::strlen(text);
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text, end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

/// Sends `message` as one datagram to NOTIFY_SOCKET: a path, or "@name" in the abstract
/// namespace (sd_notify(3), NOTES). The kernel attaches our credentials itself (systemd's
/// socket has SO_PASSCRED). Returns 0 when NOTIFY_SOCKET is unset, 1 when sent, -errno.
int notify(const std::string& message) {
  const char* target = std::getenv("NOTIFY_SOCKET");
  if (target == nullptr || *target == '\0') return 0;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const size_t len = std::strlen(target);
  if ((target[0] != '/' && target[0] != '@') || len >= sizeof(addr.sun_path)) return -EINVAL;
  std::memcpy(addr.sun_path, target, len);
  if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';  // abstract: no trailing NUL counted
  const auto addr_len =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + len + (target[0] == '/' ? 1 : 0));
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  const ssize_t sent = ::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL,
                                reinterpret_cast<const sockaddr*>(&addr), addr_len);
  const int err = errno;
  ::close(fd);
  if (sent < 0) return -err;
  return static_cast<size_t>(sent) == message.size() ? 1 : -EMSGSIZE;
}

}  // namespace

SystemdNotifier::SystemdNotifier(asio::io_context& io, HealthCheck health)
    : timer_(io), health_(std::move(health)) {}

SystemdNotifier::~SystemdNotifier() { timer_.cancel(); }

std::optional<std::chrono::microseconds> SystemdNotifier::watchdog_interval() {
  // As sd_watchdog_enabled(0, ...): the environment is kept, so that a restart of the loop (and
  // the tests) can read it again.
  const auto usec = env_number("WATCHDOG_USEC");
  if (!usec || *usec == 0 || *usec > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  if (std::getenv("WATCHDOG_PID") != nullptr) {
    const auto pid = env_number("WATCHDOG_PID");
    if (!pid || *pid != static_cast<uint64_t>(::getpid())) return std::nullopt;
  }
  return std::chrono::microseconds(static_cast<int64_t>(*usec));
}

bool SystemdNotifier::send(const std::string& message) {
  const int r = notify(message);
  if (r < 0 && !warned_) {
    warned_ = true;
    logger()->debug("notifying systemd through NOTIFY_SOCKET failed: {}", std::strerror(-r));
  }
  return r > 0;
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
