// The control socket's client side, for the CLI: plain blocking POSIX calls, every wait bounded
// by poll() against one deadline, the reply capped at kMaxReplyBytes.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

#include "agent/control/control_protocol.h"

namespace rigkeeper::agent {

namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

/// Milliseconds left until `deadline` (0 when passed), for poll().
int remaining_ms(SteadyClock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  return left.count() > 0 ? static_cast<int>(std::min<int64_t>(left.count(), 1 << 30)) : 0;
}

/// Waits for `events` on fd; false when the deadline passed first.
bool wait_for(int fd, short events, SteadyClock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int ms = remaining_ms(deadline);
    const int rc = ::poll(&p, 1, ms);
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) return true;  // let the following call report the error
  }
}

Result<void> connect_to(int fd, const fs::path& path, SteadyClock::time_point deadline) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.native().size());
  for (;;) {
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0) return {};
    const int err = errno;
    if (err == EINTR) continue;
    if (err == EAGAIN) {  // the daemon's backlog is full: it is busy, try again shortly
      if (remaining_ms(deadline) == 0)
        return fail(Errc::kTimeout,
                    "rigkeeperd on " + path.string() + " accepted no connection in time");
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    if (err == ENOENT || err == ENOTDIR)
      return fail(Errc::kUnreachable,
                  "rigkeeperd is not running (no socket at " + path.string() + ")");
    if (err == ECONNREFUSED)
      return fail(Errc::kUnreachable,
                  "rigkeeperd is not running (no one answers on " + path.string() + ")");
    if (err == EACCES || err == EPERM)
      return fail(Errc::kUnreachable, "permission denied on " + path.string() +
                                          " (run as root or as a member of the socket's group)");
    return fail(Errc::kUnreachable,
                "cannot connect to " + path.string() + ": " + std::strerror(err));
  }
}

Result<void> send_all(int fd, std::string_view data, const fs::path& path,
                      SteadyClock::time_point deadline) {
  while (!data.empty()) {
    if (!wait_for(fd, POLLOUT, deadline))
      return fail(Errc::kTimeout,
                  "rigkeeperd on " + path.string() + " did not take the request in time");
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return fail(Errc::kProtocol, "rigkeeperd on " + path.string() +
                                       " closed the connection: " + std::strerror(errno));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

/// Reads up to the first newline or EOF; more than kMaxReplyBytes is refused.
Result<std::string> read_line(int fd, const fs::path& path, SteadyClock::time_point deadline) {
  std::string reply;
  std::array<char, 65536> chunk{};
  for (;;) {
    if (!wait_for(fd, POLLIN, deadline))
      return fail(Errc::kTimeout, "no reply from rigkeeperd on " + path.string() + " in time");
    const ssize_t n = ::recv(fd, chunk.data(), chunk.size(), 0);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return fail(Errc::kProtocol,
                  "reading the reply from " + path.string() + ": " + std::strerror(errno));
    }
    if (n == 0) break;
    const std::string_view got(chunk.data(), static_cast<std::size_t>(n));
    const auto nl = got.find('\n');
    reply.append(got.substr(0, nl));
    if (reply.size() > kMaxReplyBytes)
      return fail(Errc::kProtocol, "reply from " + path.string() + " exceeds " +
                                       std::to_string(kMaxReplyBytes) + " bytes");
    if (nl != std::string_view::npos) break;
  }
  if (reply.empty())
    return fail(Errc::kProtocol,
                "rigkeeperd on " + path.string() + " closed the connection without a reply");
  return reply;
}

}  // namespace

Result<nlohmann::json> control_request(const fs::path& socket_path, const nlohmann::json& request,
                                       std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  std::string line = request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line += '\n';
  if (line.size() > kMaxRequestBytes)
    return fail(Errc::kInvalidArgument, "control request of " + std::to_string(line.size()) +
                                            " bytes exceeds the limit of " +
                                            std::to_string(kMaxRequestBytes));
  if (socket_path.empty() || socket_path.native().size() >= sizeof(sockaddr_un{}.sun_path))
    return fail(Errc::kInvalidArgument,
                "control socket path '" + socket_path.string() + "' is empty or too long");

  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (fd.get() < 0) return fail(Errc::kInternal, std::string("socket(): ") + std::strerror(errno));
  if (auto r = connect_to(fd.get(), socket_path, deadline); !r) return tl::unexpected(r.error());
  if (auto r = send_all(fd.get(), line, socket_path, deadline); !r)
    return tl::unexpected(r.error());
  ::shutdown(fd.get(), SHUT_WR);
  auto text = read_line(fd.get(), socket_path, deadline);
  if (!text) return tl::unexpected(text.error());

  auto reply = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (reply.is_discarded() || !reply.is_object())
    return fail(Errc::kProtocol, "reply from " + socket_path.string() + " is not a JSON object");
  return reply;
}

nlohmann::json control_error_reply(Errc code, std::string_view message) {
  return {{"ok", false},
          {"error", {{"code", std::string(to_string(code))}, {"message", std::string(message)}}}};
}

std::optional<Error> control_reply_error(const nlohmann::json& reply) {
  const auto ok = reply.is_object() ? reply.find("ok") : reply.end();
  if (!reply.is_object() || ok == reply.end() || !ok->is_boolean())
    return Error{Errc::kProtocol, "reply has no boolean \"ok\""};
  if (ok->get<bool>()) return std::nullopt;

  Error err{Errc::kInternal, "request failed"};
  const auto e = reply.find("error");
  if (e == reply.end() || !e->is_object()) return err;
  if (const auto m = e->find("message"); m != e->end() && m->is_string())
    err.message = m->get<std::string>();
  if (const auto c = e->find("code"); c != e->end() && c->is_string()) {
    constexpr std::array kAll = {
        Errc::kInvalidArgument, Errc::kConfig, Errc::kUnreachable, Errc::kTimeout, Errc::kProtocol,
        Errc::kUnsupported,     Errc::kAuth,   Errc::kDeviceError, Errc::kStorage, Errc::kInternal};
    for (const Errc code : kAll)
      if (to_string(code) == c->get_ref<const std::string&>()) err.code = code;
  }
  return err;
}

}  // namespace rigkeeper::agent
