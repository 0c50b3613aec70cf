#include "drivers/sim/cgminer_server.h"

#include <array>

#include "drivers/sim/cgminer_request.h"

namespace rigkeeper::drivers::sim {

namespace {

using tcp = asio::ip::tcp;
using boost::system::error_code;

// One connection: its socket and a watchdog timer that cancels pending I/O when a phase's
// deadline passes. The watchdog holds a weak reference, so it never outlives the connection.
struct Connection : std::enable_shared_from_this<Connection> {
  explicit Connection(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}

  void arm(std::chrono::milliseconds d) {
    expired = false;
    const uint64_t gen = ++generation;
    timer.expires_after(d);
    timer.async_wait([weak = weak_from_this(), gen](const error_code& ec) {
      if (ec) return;
      if (auto self = weak.lock(); self && self->generation == gen) {
        self->expired = true;
        error_code ignored;
        self->socket.cancel(ignored);
      }
    });
  }
  void disarm() {
    ++generation;
    timer.cancel();
  }
  void reset() {
    error_code ignored;
    socket.set_option(asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
  }

  tcp::socket socket;
  asio::steady_timer timer;
  uint64_t generation = 0;
  bool expired = false;
};

bool is_text(std::string_view bytes) {
  for (char c : bytes) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c != '{';
  }
  return false;
}

// Reads one request. Returns false when there is nothing to answer (peer gone, timeout
// before any byte).
asio::awaitable<bool> read_request(Connection& c, const ServerTimeouts& t, std::string& request) {
  std::array<char, 4096> chunk{};
  c.arm(t.request);
  for (;;) {
    error_code ec;
    const size_t n = co_await c.socket.async_read_some(
        asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return !request.empty() && (c.expired || ec == asio::error::eof);
    request.append(chunk.data(), n);
    if (request.size() > kMaxRequestBytes || request_complete(request)) co_return true;
    if (is_text(request)) c.arm(t.text_idle);  // cgminer answers what one recv() brought
  }
}

// Holds a hung connection open, discarding input, until the peer closes or hang_max passes.
asio::awaitable<void> hold(Connection& c, const ServerTimeouts& t) {
  std::array<char, 1024> sink{};
  c.arm(t.hang_max);
  for (;;) {
    error_code ec;
    co_await c.socket.async_read_some(asio::buffer(sink),
                                      asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
  }
}

asio::awaitable<void> send_and_close(Connection& c, const ServerTimeouts& t,
                                     const std::string& bytes) {
  error_code ec;
  c.arm(t.write);
  co_await asio::async_write(c.socket, asio::buffer(bytes),
                             asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  // Half-close, then wait for the peer's close: closing with unread input would send a RST
  // that can destroy the reply in flight.
  c.socket.shutdown(tcp::socket::shutdown_send, ec);
  co_await hold(c, ServerTimeouts{.hang_max = t.linger});
}

asio::awaitable<void> serve(std::shared_ptr<Connection> c,
                            std::shared_ptr<const RequestHandler> handler, ServerTimeouts t) {
  try {
    std::string request;
    if (!co_await read_request(*c, t, request)) co_return;
    c->disarm();
    ServerResponse r = (*handler)(request);
    switch (r.mode) {
      case ServerResponse::Mode::kHang:
        co_await hold(*c, t);
        break;
      case ServerResponse::Mode::kReset:
        c->reset();
        break;
      case ServerResponse::Mode::kSend:
        if (r.delay.count() > 0) {
          asio::steady_timer wait(c->socket.get_executor());
          wait.expires_after(r.delay);
          error_code ec;
          co_await wait.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
        co_await send_and_close(*c, t, r.bytes);
        break;
    }
  } catch (const std::exception&) {
    // A failed connection concerns that connection only.
  }
  c->disarm();
  error_code ignored;
  c->socket.close(ignored);
}

}  // namespace

struct CgminerListener::State : std::enable_shared_from_this<CgminerListener::State> {
  State(asio::any_io_executor ex, RequestHandler h, ServerTimeouts t)
      : executor(std::move(ex)),
        acceptor(executor),
        handler(std::make_shared<const RequestHandler>(std::move(h))),
        timeouts(t) {}

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();  // keeps the state alive while the loop runs
    for (;;) {
      error_code ec;
      tcp::socket s = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) {  // out of descriptors, or the peer gave up: back off briefly
        asio::steady_timer pause(executor, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      asio::co_spawn(executor, serve(std::make_shared<Connection>(std::move(s)), handler, timeouts),
                     asio::detached);
    }
  }

  asio::any_io_executor executor;
  tcp::acceptor acceptor;
  std::shared_ptr<const RequestHandler> handler;
  ServerTimeouts timeouts;
};

CgminerListener::CgminerListener(asio::any_io_executor executor, ListenEndpoint endpoint,
                                 RequestHandler handler, ServerTimeouts timeouts)
    : state_(std::make_shared<State>(std::move(executor), std::move(handler), timeouts)),
      endpoint_(std::move(endpoint)) {}

CgminerListener::~CgminerListener() { close(); }

Result<void> CgminerListener::open() {
  if (state_->acceptor.is_open()) return {};
  error_code ec;
  const auto addr = asio::ip::make_address_v4(endpoint_.host, ec);
  if (ec) return fail(Errc::kInvalidArgument, "bad listen address " + endpoint_.host);
  const tcp::endpoint ep(addr, endpoint_.port);
  auto& a = state_->acceptor;
  const auto failed = [&](const char* what) {
    error_code ignored;
    a.close(ignored);
    return fail(Errc::kUnreachable, "cannot " + std::string(what) + " " + endpoint_.host + ":" +
                                        std::to_string(endpoint_.port) + ": " + ec.message());
  };
  if (a.open(ep.protocol(), ec)) return failed("open socket for");
  if (a.set_option(tcp::acceptor::reuse_address(true), ec)) return failed("set options on");
  if (a.bind(ep, ec)) return failed("listen on");
  if (a.listen(asio::socket_base::max_listen_connections, ec)) return failed("listen on");
  endpoint_.port = a.local_endpoint(ec).port();
  asio::co_spawn(state_->executor, state_->accept_loop(), asio::detached);
  return {};
}

void CgminerListener::close() {
  error_code ignored;
  state_->acceptor.close(ignored);
}

bool CgminerListener::is_open() const { return state_->acceptor.is_open(); }

}  // namespace rigkeeper::drivers::sim
