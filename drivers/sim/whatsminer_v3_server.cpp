#include "drivers/sim/whatsminer_v3_server.h"

namespace rigkeeper::drivers::sim {

namespace {

using boost::system::error_code;
using tcp = asio::ip::tcp;

constexpr uint32_t kMaxFrame = 64 * 1024;

std::string frame(const std::string& body) {
  const auto n = static_cast<uint32_t>(body.size());
  std::string out;
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  return out + body;
}

}  // namespace

struct WhatsminerV3Server::State : std::enable_shared_from_this<State> {
  State(asio::any_io_executor ex, V3Handler h, std::chrono::milliseconds idle)
      : executor(std::move(ex)), handler(std::move(h)), idle_timeout(idle) {}
  asio::any_io_executor executor;
  V3Handler handler;
  std::chrono::milliseconds idle_timeout;
  std::shared_ptr<tcp::acceptor> acceptor;

  asio::awaitable<void> serve(tcp::socket socket) {
    auto self = shared_from_this();
    auto sock = std::make_shared<tcp::socket>(std::move(socket));
    asio::steady_timer timer(executor);
    for (;;) {
      timer.expires_after(idle_timeout);
      timer.async_wait([sock](const error_code& ec) {
        if (!ec) {
          error_code ignored;
          sock->close(ignored);
        }
      });
      error_code ec;
      unsigned char head[4];
      co_await asio::async_read(*sock, asio::buffer(head),
                                asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      const uint32_t len = static_cast<uint32_t>(head[0]) | (static_cast<uint32_t>(head[1]) << 8) |
                           (static_cast<uint32_t>(head[2]) << 16) |
                           (static_cast<uint32_t>(head[3]) << 24);
      if (len == 0 || len > kMaxFrame) break;
      std::string body(len, '\0');
      co_await asio::async_read(*sock, asio::buffer(body),
                                asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      timer.cancel();
      auto reply = handler(body);
      if (!reply) break;
      const std::string out = frame(*reply);
      co_await asio::async_write(*sock, asio::buffer(out),
                                 asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
    }
    timer.cancel();
    error_code ignored;
    sock->close(ignored);
  }

  asio::awaitable<void> accept_loop(std::shared_ptr<tcp::acceptor> acc) {
    auto self = shared_from_this();
    for (;;) {
      error_code ec;
      tcp::socket s = co_await acc->async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (ec == asio::error::operation_aborted || !acc->is_open()) co_return;
        continue;
      }
      asio::co_spawn(executor, serve(std::move(s)), asio::detached);
    }
  }
};

WhatsminerV3Server::WhatsminerV3Server(asio::any_io_executor executor, ListenEndpoint endpoint,
                                       V3Handler handler, std::chrono::milliseconds idle_timeout)
    : state_(std::make_shared<State>(std::move(executor), std::move(handler), idle_timeout)),
      endpoint_(std::move(endpoint)) {}

WhatsminerV3Server::~WhatsminerV3Server() { close(); }

Result<void> WhatsminerV3Server::open() {
  if (is_open()) return {};
  error_code ec;
  const auto addr = asio::ip::make_address(endpoint_.host, ec);
  if (ec) return fail(Errc::kInvalidArgument, "bad address " + endpoint_.host);
  auto acc = std::make_shared<tcp::acceptor>(state_->executor);
  const tcp::endpoint ep(addr, endpoint_.port);
  acc->open(ep.protocol(), ec);
  if (!ec) acc->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acc->bind(ep, ec);
  if (!ec) acc->listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return fail(Errc::kUnreachable, "cannot listen on " + endpoint_.host + ":" +
                                        std::to_string(endpoint_.port) + ": " + ec.message());
  endpoint_.port = acc->local_endpoint().port();
  state_->acceptor = std::move(acc);
  asio::co_spawn(state_->executor, state_->accept_loop(state_->acceptor), asio::detached);
  return {};
}

void WhatsminerV3Server::close() {
  if (!state_->acceptor) return;
  error_code ignored;
  state_->acceptor->close(ignored);
  state_->acceptor.reset();  // the accept loop keeps its own reference until it ends
}

bool WhatsminerV3Server::is_open() const { return state_->acceptor && state_->acceptor->is_open(); }

}  // namespace rigkeeper::drivers::sim
