// The control socket's server side: one coroutine accepts, one coroutine per connection reads
// one request line under a deadline, calls the handler and writes one reply line.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <string>
#include <system_error>

#include <spdlog/spdlog.h>

#include "agent/control/control_protocol.h"

namespace rigkeeper::agent {

namespace {

namespace fs = std::filesystem;
using Local = asio::local::stream_protocol;
using SocketPtr = std::shared_ptr<Local::socket>;

constexpr auto kReadDeadline = std::chrono::seconds(5);
constexpr auto kWriteDeadline = std::chrono::seconds(5);
constexpr std::size_t kMaxConnections = 32;
constexpr int kBacklog = 16;

std::shared_ptr<spdlog::logger> logger() {
  static const auto kLogger = [] {
    if (auto existing = spdlog::get("control")) return existing;
    return spdlog::default_logger()->clone("control");
  }();
  return kLogger;
}

/// What the server's coroutines share; kept alive by them until each has finished.
struct Shared {
  explicit Shared(asio::io_context& io, ControlServer::Handler h)
      : acceptor(io), handler(std::move(h)) {}
  Local::acceptor acceptor;
  ControlServer::Handler handler;
  ControlServer::AsyncHandler async_handler;
  std::set<SocketPtr> sessions;
};

/// Parses one request line and runs the handler; every failure becomes an ok:false reply.
nlohmann::json dispatch(const ControlServer::Handler& handler, std::string_view line) {
  auto request = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded())
    return control_error_reply(Errc::kProtocol, "request is not valid JSON");
  if (!request.is_object())
    return control_error_reply(Errc::kProtocol, "request must be a JSON object");
  try {
    return handler(request);
  } catch (const std::exception& e) {
    logger()->error("control request handler failed: {}", e.what());
    return control_error_reply(Errc::kInternal, std::string("handler failed: ") + e.what());
  } catch (...) {
    logger()->error("control request handler failed with an unknown exception");
    return control_error_reply(Errc::kInternal, "handler failed");
  }
}

/// Offers the request to the async handler; when it takes it, waits for its reply.
asio::awaitable<std::optional<nlohmann::json>> dispatch_async(Shared& shared, std::string_view line,
                                                              asio::steady_timer& deadline) {
  if (!shared.async_handler) co_return std::nullopt;
  auto request = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!request.is_object()) co_return std::nullopt;
  struct Slot {
    explicit Slot(asio::any_io_executor ex)
        : wake(ex, std::chrono::steady_clock::time_point::max()) {}
    std::optional<nlohmann::json> reply;
    asio::steady_timer wake;
  };
  auto slot = std::make_shared<Slot>(co_await asio::this_coro::executor);
  const bool taken = shared.async_handler(request, [slot](nlohmann::json reply) {
    if (slot->reply) return;
    slot->reply = std::move(reply);
    slot->wake.cancel();
  });
  if (!taken) co_return std::nullopt;
  deadline.cancel();
  if (!slot->reply) {
    boost::system::error_code ec;
    co_await slot->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return slot->reply;
}

/// Closes `sock` when the timer expires (a cancelled wait leaves it alone).
void arm_deadline(asio::steady_timer& timer, const SocketPtr& sock, std::chrono::seconds after) {
  timer.expires_after(after);
  timer.async_wait([sock](const boost::system::error_code& ec) {
    if (ec) return;
    boost::system::error_code ignored;
    sock->close(ignored);
  });
}

/// Reads one line (at most kMaxRequestBytes). Returns the reply to send, or nullopt when the
/// client went away or stayed silent past the deadline (nothing to answer).
asio::awaitable<std::optional<nlohmann::json>> read_request(Shared& shared, Local::socket& sock,
                                                            asio::steady_timer& deadline) {
  std::string buf;
  boost::system::error_code ec;
  const std::size_t n =
      co_await asio::async_read_until(sock, asio::dynamic_buffer(buf, kMaxRequestBytes), '\n',
                                      asio::redirect_error(asio::use_awaitable, ec));
  std::string_view line;
  if (!ec) {
    line = std::string_view(buf).substr(0, n - 1);
  } else if (ec == asio::error::not_found) {
    co_return control_error_reply(Errc::kProtocol,
                                  "request exceeds " + std::to_string(kMaxRequestBytes) + " bytes");
  } else if (ec == asio::error::eof && !buf.empty()) {
    line = buf;  // a client that half-closed without a newline still gets its answer
  } else {
    if (ec != asio::error::eof) logger()->debug("control client dropped: {}", ec.message());
    co_return std::nullopt;
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (auto later = co_await dispatch_async(shared, line, deadline)) co_return later;
  co_return dispatch(shared.handler, line);
}

asio::awaitable<void> serve_connection(std::shared_ptr<Shared> shared, SocketPtr sock) {
  shared->sessions.insert(sock);
  asio::steady_timer deadline(sock->get_executor());
  arm_deadline(deadline, sock, kReadDeadline);
  auto reply = co_await read_request(*shared, *sock, deadline);
  if (reply && sock->is_open()) {
    std::string out = reply->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += '\n';
    arm_deadline(deadline, sock, kWriteDeadline);
    boost::system::error_code ec;
    co_await asio::async_write(*sock, asio::buffer(out),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) logger()->debug("control reply not delivered: {}", ec.message());
  }
  deadline.cancel();
  boost::system::error_code ignored;
  sock->shutdown(Local::socket::shutdown_both, ignored);
  sock->close(ignored);
  shared->sessions.erase(sock);
}

asio::awaitable<void> accept_loop(std::shared_ptr<Shared> shared) {
  auto executor = co_await asio::this_coro::executor;
  for (;;) {
    boost::system::error_code ec;
    Local::socket sock =
        co_await shared->acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (!shared->acceptor.is_open() || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // Out of descriptors and the like: back off instead of spinning.
      logger()->warn("control socket accept failed: {}", ec.message());
      asio::steady_timer pause(executor, std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (shared->sessions.size() >= kMaxConnections) {
      logger()->warn("control socket: {} connections open, refusing another", kMaxConnections);
      sock.close(ec);
      continue;
    }
    asio::co_spawn(executor,
                   serve_connection(shared, std::make_shared<Local::socket>(std::move(sock))),
                   asio::detached);
  }
}

/// Whether a daemon answers on an existing socket file. Errors other than "refused" leave the
/// question open, and the file is then left alone.
Result<bool> socket_answers(const fs::path& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return fail(Errc::kInternal, std::string("socket(): ") + std::strerror(errno));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.native().size());
  const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  const int err = errno;
  ::close(fd);
  if (rc == 0 || err == EAGAIN || err == EINPROGRESS) return true;  // EAGAIN: backlog full
  if (err == ECONNREFUSED || err == ENOENT) return false;
  return fail(Errc::kConfig,
              "cannot tell whether " + path.string() + " is in use: " + std::strerror(err));
}

/// Makes room for binding: nothing there, or a stale socket that no one answers on.
Result<void> clear_stale_socket(const fs::path& path) {
  std::error_code fec;
  const auto st = fs::symlink_status(path, fec);
  if (fec || !fs::exists(st)) return {};
  if (st.type() != fs::file_type::socket)
    return fail(Errc::kConfig, "control socket path " + path.string() +
                                   " exists and is not a socket; not replacing it");
  auto answers = socket_answers(path);
  if (!answers) return tl::unexpected(answers.error());
  if (*answers)
    return fail(Errc::kConfig,
                "another rigkeeperd is running (it answers on " + path.string() + ")");
  fs::remove(path, fec);
  if (fec)
    return fail(Errc::kConfig,
                "cannot remove stale socket " + path.string() + ": " + fec.message());
  logger()->info("removed stale control socket {}", path.string());
  return {};
}

}  // namespace

struct ControlServer::Impl {
  Impl(asio::io_context& io_ctx, fs::path p, Handler h)
      : io(io_ctx), path(std::move(p)), shared(std::make_shared<Shared>(io_ctx, std::move(h))) {}
  asio::io_context& io;
  fs::path path;
  std::shared_ptr<Shared> shared;
  bool owns_file = false;
  ino_t inode = 0;
  dev_t device = 0;
};

ControlServer::ControlServer(asio::io_context& io, fs::path socket_path, Handler handler)
    : impl_(std::make_unique<Impl>(io, std::move(socket_path), std::move(handler))) {}

ControlServer::~ControlServer() { stop(); }

void ControlServer::set_async_handler(AsyncHandler handler) {
  impl_->shared->async_handler = std::move(handler);
}

Result<void> ControlServer::start() {
  auto& acceptor = impl_->shared->acceptor;
  if (acceptor.is_open()) return {};
  const fs::path& path = impl_->path;
  if (path.empty() || path.native().size() >= sizeof(sockaddr_un{}.sun_path))
    return fail(Errc::kConfig, "control socket path '" + path.string() +
                                   "' is empty or longer than " +
                                   std::to_string(sizeof(sockaddr_un{}.sun_path) - 1) + " bytes");
  if (auto cleared = clear_stale_socket(path); !cleared) return cleared;

  boost::system::error_code ec;
  acceptor.open(Local(), ec);
  if (!ec) acceptor.bind(Local::endpoint(path.string()), ec);
  if (!ec) acceptor.listen(kBacklog, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    return fail(Errc::kConfig,
                "cannot listen on control socket " + path.string() + ": " + ec.message());
  }
  struct stat st {};
  if (::chmod(path.c_str(), 0660) != 0 || ::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    acceptor.close(ec);
    ::unlink(path.c_str());
    return fail(Errc::kConfig,
                "cannot set mode 0660 on " + path.string() + ": " + std::strerror(err));
  }
  impl_->owns_file = true;
  impl_->inode = st.st_ino;
  impl_->device = st.st_dev;
  asio::co_spawn(impl_->io, accept_loop(impl_->shared), asio::detached);
  logger()->info("control socket listening on {}", path.string());
  return {};
}

void ControlServer::stop() {
  if (!impl_) return;
  auto& shared = *impl_->shared;
  boost::system::error_code ignored;
  shared.acceptor.close(ignored);
  // close() only queues the sessions' completions; they erase themselves later.
  for (const auto& sock : shared.sessions) sock->close(ignored);
  if (impl_->owns_file) {
    impl_->owns_file = false;
    // Remove the file only if it is still the one we bound (not a successor's).
    struct stat st {};
    if (::stat(impl_->path.c_str(), &st) == 0 && st.st_ino == impl_->inode &&
        st.st_dev == impl_->device)
      ::unlink(impl_->path.c_str());
  }
}

}  // namespace rigkeeper::agent
