// SystemdNotifier against a real notify socket: a unix datagram socket in a temp folder, named by
// NOTIFY_SOCKET exactly as systemd does, with WATCHDOG_USEC/WATCHDOG_PID set for this process.
// The notifier runs on an io_context thread like the daemon's loop.
#include "agent/core/systemd_notify.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstring>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace rigkeeper::agent {
namespace {

using std::chrono::milliseconds;

// The watchdog interval the tests ask for; pings come every half of it.
constexpr int kWatchdogUsec = 100'000;
// How long "nothing arrives" is watched for: ten ping periods.
constexpr milliseconds kQuietWindow{500};
// Generous deadline for something that must arrive (a loaded CI machine, or qemu-user).
constexpr milliseconds kArrivalDeadline{20'000};

/// The receiving end of NOTIFY_SOCKET, and the environment systemd would set up.
class NotifySocket {
 public:
  explicit NotifySocket(const std::filesystem::path& path, bool watchdog = true) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path.c_str());
    bound_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
    if (watchdog) {
      ::setenv("WATCHDOG_USEC", std::to_string(kWatchdogUsec).c_str(), 1);
      ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
    }
  }
  ~NotifySocket() {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
    if (fd_ >= 0) ::close(fd_);
  }
  bool bound() const { return bound_; }

  /// The next datagram, or nullopt when none arrives within `wait`.
  std::optional<std::string> receive(milliseconds wait) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return std::nullopt;
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n < 0) return std::nullopt;
    return std::string(buf, static_cast<size_t>(n));
  }

  /// Everything already queued, without waiting.
  std::vector<std::string> drain() {
    std::vector<std::string> out;
    while (auto m = receive(milliseconds(0))) out.push_back(*m);
    return out;
  }

  /// Waits until `count` WATCHDOG=1 datagrams arrived (other datagrams are kept in `seen`).
  bool await_pings(int count, std::vector<std::string>* seen = nullptr) {
    const auto deadline = std::chrono::steady_clock::now() + kArrivalDeadline;
    int pings = 0;
    while (pings < count && std::chrono::steady_clock::now() < deadline) {
      auto m = receive(milliseconds(200));
      if (!m) continue;
      if (*m == "WATCHDOG=1") ++pings;
      if (seen) seen->push_back(*m);
    }
    return pings >= count;
  }

 private:
  int fd_ = -1;
  bool bound_ = false;
};

/// The daemon's situation: a notifier on an io_context whose loop runs on its own thread. Members
/// are torn down loop first, so nothing touches the socket or the environment concurrently.
class SystemdNotifyTest : public ::testing::Test {
 protected:
  void TearDown() override {
    guard_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  NotifySocket& open_socket(bool watchdog = true) {
    sock_ = std::make_unique<NotifySocket>(dir_ / "notify", watchdog);
    return *sock_;
  }
  SystemdNotifier& start(SystemdNotifier::HealthCheck health = {}) {
    notifier_ = std::make_unique<SystemdNotifier>(io_, std::move(health));
    thread_ = std::thread([this] { io_.run(); });
    return *notifier_;
  }
  /// Runs `fn` on the loop thread and waits for it.
  template <typename Fn>
  void on_loop(Fn fn) {
    std::promise<void> done;
    asio::post(io_, [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }

  test::TempDir dir_;
  std::unique_ptr<NotifySocket> sock_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_{io_.get_executor()};
  std::unique_ptr<SystemdNotifier> notifier_;
  std::thread thread_;
};

TEST_F(SystemdNotifyTest, WatchdogIntervalComesFromTheEnvironment) {
  ASSERT_TRUE(open_socket().bound());
  const auto interval = SystemdNotifier::watchdog_interval();
  ASSERT_TRUE(interval);
  EXPECT_EQ(interval->count(), kWatchdogUsec);
}

TEST_F(SystemdNotifyTest, WatchdogOfAnotherProcessIsNotOurs) {
  open_socket();
  ::setenv("WATCHDOG_PID", std::to_string(::getpid() + 1).c_str(), 1);
  EXPECT_FALSE(SystemdNotifier::watchdog_interval());
}

TEST_F(SystemdNotifyTest, ReadyThenRepeatedWatchdogPingsFromTheLoop) {
  auto& sock = open_socket();
  ASSERT_TRUE(sock.bound());
  auto& notifier = start();
  on_loop([&] { notifier.ready("polling 3 devices"); });

  auto first = sock.receive(kArrivalDeadline);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, "READY=1\nSTATUS=polling 3 devices");
  EXPECT_TRUE(sock.await_pings(3));
}

TEST_F(SystemdNotifyTest, StalledLoopStopsThePingsAndARecoveredLoopResumesThem) {
  auto& sock = open_socket();
  ASSERT_TRUE(sock.bound());
  auto& notifier = start();
  on_loop([&] { notifier.ready("up"); });
  ASSERT_TRUE(sock.await_pings(2));

  // A handler that blocks the loop, as a deadlock or a stuck synchronous call would.
  std::promise<void> entered, release;
  auto released = release.get_future();
  asio::post(io_, [&] {
    entered.set_value();
    released.wait();
  });
  entered.get_future().wait();
  sock.drain();  // pings sent before the stall began
  EXPECT_FALSE(sock.receive(kQuietWindow)) << "a stalled loop must not ping the watchdog";

  release.set_value();
  EXPECT_TRUE(sock.await_pings(1)) << "pings resume once the loop turns again";
}

TEST_F(SystemdNotifyTest, FailingHealthCheckWithholdsThePings) {
  auto& sock = open_socket();
  ASSERT_TRUE(sock.bound());
  std::atomic<bool> healthy{false};
  auto& notifier = start([&] { return healthy.load(); });
  on_loop([&] { notifier.ready("up"); });
  auto first = sock.receive(kArrivalDeadline);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->rfind("READY=1", 0), 0u);
  EXPECT_FALSE(sock.receive(kQuietWindow)) << "no ping while unhealthy";
  healthy = true;
  EXPECT_TRUE(sock.await_pings(2));
}

TEST_F(SystemdNotifyTest, StoppingIsSentAndEndsThePings) {
  auto& sock = open_socket();
  ASSERT_TRUE(sock.bound());
  auto& notifier = start();
  on_loop([&] { notifier.ready("up"); });
  ASSERT_TRUE(sock.await_pings(1));
  on_loop([&] { notifier.stopping("stopping: flushing the outbox"); });
  std::vector<std::string> after = sock.drain();
  while (auto m = sock.receive(kQuietWindow)) after.push_back(*m);
  // What follows the pings already queued is the STOPPING message, and nothing comes after it.
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(after.back(), "STOPPING=1\nSTATUS=stopping: flushing the outbox");
  for (size_t i = 0; i + 1 < after.size(); ++i) EXPECT_EQ(after[i], "WATCHDOG=1");
  uint64_t sent = 0;
  on_loop([&] { sent = notifier.pings_sent(); });
  EXPECT_GE(sent, 1u);
}

TEST_F(SystemdNotifyTest, StatusIsOneLineSoItCannotForgeOtherAssignments) {
  auto& sock = open_socket(/*watchdog=*/false);
  ASSERT_TRUE(sock.bound());
  auto& notifier = start();
  on_loop([&] { notifier.status("broker down\nREADY=1"); });
  auto m = sock.receive(kArrivalDeadline);
  ASSERT_TRUE(m);
  EXPECT_EQ(*m, "STATUS=broker down READY=1");
}

TEST_F(SystemdNotifyTest, WithoutWatchdogOnlyReadyIsSent) {
  auto& sock = open_socket(/*watchdog=*/false);
  ASSERT_TRUE(sock.bound());
  auto& notifier = start();
  on_loop([&] { notifier.ready("up"); });
  auto first = sock.receive(kArrivalDeadline);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, "READY=1\nSTATUS=up");
  EXPECT_FALSE(sock.receive(kQuietWindow));
}

TEST_F(SystemdNotifyTest, MalformedWatchdogVariablesMeanNoWatchdog) {
  open_socket();
  for (const char* usec : {"", "0", "abc", "100ms", "-5", "99999999999999999999999"}) {
    ::setenv("WATCHDOG_USEC", usec, 1);
    EXPECT_FALSE(SystemdNotifier::watchdog_interval()) << "WATCHDOG_USEC=" << usec;
  }
  ::setenv("WATCHDOG_USEC", "100000", 1);
  ::setenv("WATCHDOG_PID", "not-a-pid", 1);
  EXPECT_FALSE(SystemdNotifier::watchdog_interval());
  ::unsetenv("WATCHDOG_PID");  // unset: the watchdog is this process's (sd_watchdog_enabled)
  EXPECT_TRUE(SystemdNotifier::watchdog_interval());
}

// NOTIFY_SOCKET=@name is a socket in the abstract namespace (systemd's own form in containers).
TEST(SystemdNotifyAbstract, AnAtSignNamesAnAbstractSocket) {
  const std::string name = "rigkeeper-notify-test-" + std::to_string(::getpid());
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path + 1, name.data(), name.size());  // sun_path[0] = '\0': abstract
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr),
                   static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size())),
            0);
  ::setenv("NOTIFY_SOCKET", ("@" + name).c_str(), 1);
  asio::io_context io;
  SystemdNotifier notifier(io);
  notifier.status("abstract");
  ::unsetenv("NOTIFY_SOCKET");
  pollfd p{fd, POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, static_cast<int>(kArrivalDeadline.count())), 1);
  char buf[256];
  const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
  ::close(fd);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, static_cast<size_t>(n)), "STATUS=abstract");
}

// A NOTIFY_SOCKET that is neither a path nor "@name", or names nothing, is not an error.
TEST(SystemdNotifyOutside, UnusableNotifySocketIsIgnored) {
  for (const char* target : {"relative/path", "/nonexistent/rigkeeper/notify"}) {
    ::setenv("NOTIFY_SOCKET", target, 1);
    asio::io_context io;
    SystemdNotifier notifier(io);
    notifier.ready("up");
    notifier.stopping("bye");
    io.run_for(milliseconds(20));
    EXPECT_EQ(notifier.pings_sent(), 0u) << target;
  }
  ::unsetenv("NOTIFY_SOCKET");
}

// Outside systemd (no NOTIFY_SOCKET) every call is a harmless no-op.
TEST(SystemdNotifyOutside, NoNotifySocketIsANoOp) {
  ::unsetenv("NOTIFY_SOCKET");
  asio::io_context io;
  SystemdNotifier notifier(io);
  notifier.ready("up");
  notifier.status("still up");
  notifier.stopping("bye");
  io.run_for(milliseconds(50));
  EXPECT_EQ(notifier.pings_sent(), 0u);
}

}  // namespace
}  // namespace rigkeeper::agent
