#include "drivers/sim/http_server.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <list>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace rigkeeper::drivers::sim {

namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr size_t kMaxBodyBytes = 64 * 1024;
constexpr size_t kMaxHeaderBytes = 16 * 1024;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// One connection. `closed` is set by HttpServer::stop() so a keep-alive connection of a
// stopped (rebooting) device ends with its listener.
struct Connection {
  explicit Connection(tcp::socket s) : stream(std::move(s)) {}
  void reset() {
    error_code ignored;
    stream.socket().set_option(asio::socket_base::linger(true, 0), ignored);
    stream.socket().close(ignored);
  }
  beast::tcp_stream stream;
  bool closed = false;
};

HttpRequest to_request(const bhttp::request<bhttp::string_body>& r) {
  HttpRequest out;
  out.method = std::string(r.method_string().data(), r.method_string().size());
  out.target = std::string(r.target().data(), r.target().size());
  for (const auto& field : r) {
    const auto name = field.name_string();
    out.headers[lower(std::string_view(name.data(), name.size()))] =
        std::string(field.value().data(), field.value().size());
  }
  out.body = r.body();
  return out;
}

bhttp::response<bhttp::string_body> to_response(const HttpReply& reply, unsigned version,
                                                bool keep_alive) {
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(reply.status), version};
  res.set(bhttp::field::server, "lighttpd/1.4.32");
  res.set(bhttp::field::content_type, reply.content_type);
  for (const auto& [name, value] : reply.headers) res.insert(name, value);
  res.body() = reply.body;
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

// Holds a hung connection open, discarding input, until the peer closes or hang_max passes.
asio::awaitable<void> hold(Connection& c, std::chrono::milliseconds limit) {
  std::array<char, 1024> sink{};
  c.stream.expires_after(limit);
  for (;;) {
    error_code ec;
    co_await c.stream.async_read_some(asio::buffer(sink),
                                      asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
  }
}

asio::awaitable<void> send_error(Connection& c, bhttp::status status, const ServerTimeouts& t) {
  HttpReply r = HttpReply::text(static_cast<int>(status), "request rejected\n");
  auto res = to_response(r, 11, false);
  c.stream.expires_after(t.write);
  error_code ec;
  co_await bhttp::async_write(c.stream, res, asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<void> serve(std::shared_ptr<Connection> c, std::shared_ptr<const HttpHandler> h,
                            ServerTimeouts t) {
  beast::flat_buffer buffer;
  try {
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(kMaxBodyBytes);
      parser.header_limit(kMaxHeaderBytes);
      c->stream.expires_after(t.request);
      error_code ec;
      co_await bhttp::async_read(c->stream, buffer, parser,
                                 asio::redirect_error(asio::use_awaitable, ec));
      if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit) {
        co_await send_error(*c, bhttp::status::payload_too_large, t);
        break;
      }
      if (ec == bhttp::error::bad_method || ec == bhttp::error::bad_target ||
          ec == bhttp::error::bad_version || ec == bhttp::error::bad_field) {
        co_await send_error(*c, bhttp::status::bad_request, t);
        break;
      }
      if (ec || c->closed) break;
      const auto& req = parser.get();
      const bool keep_alive = req.keep_alive();
      const HttpReply reply = (*h)(to_request(req));
      if (c->closed) break;  // the handler rebooted the device
      if (reply.mode == ServerResponse::Mode::kHang) {
        co_await hold(*c, t.hang_max);
        break;
      }
      if (reply.mode == ServerResponse::Mode::kReset) {
        c->reset();
        break;
      }
      if (reply.delay.count() > 0) {
        asio::steady_timer wait(c->stream.get_executor());
        wait.expires_after(reply.delay);
        co_await wait.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      }
      auto res = to_response(reply, req.version(), keep_alive);
      c->stream.expires_after(t.write);
      co_await bhttp::async_write(c->stream, res, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || !keep_alive || c->closed) break;
    }
  } catch (const std::exception&) {
    // A failed connection concerns that connection only.
  }
  error_code ignored;
  c->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  c->stream.close();
}

}  // namespace

std::string_view HttpRequest::path() const {
  std::string_view t(target);
  return t.substr(0, t.find('?'));
}

std::optional<std::string> HttpRequest::header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

HttpReply HttpReply::json(int status, std::string body) {
  HttpReply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpReply HttpReply::text(int status, std::string body, std::string content_type) {
  HttpReply r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(asio::any_io_executor ex, std::string addr, uint16_t p, HttpHandler h, ServerTimeouts t)
      : executor(std::move(ex)),
        acceptor(executor),
        address(std::move(addr)),
        port(p),
        handler(std::make_shared<const HttpHandler>(std::move(h))),
        timeouts(t) {}

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    for (;;) {
      error_code ec;
      tcp::socket s = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) {
        asio::steady_timer pause(executor, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      auto c = std::make_shared<Connection>(std::move(s));
      connections.remove_if([](const auto& w) { return w.expired(); });
      connections.push_back(c);
      asio::co_spawn(executor, serve(c, handler, timeouts), asio::detached);
    }
  }

  void close_connections() {
    for (auto& w : connections) {
      if (auto c = w.lock()) {
        c->closed = true;
        error_code ignored;
        c->stream.socket().cancel(ignored);
      }
    }
    connections.clear();
  }

  asio::any_io_executor executor;
  tcp::acceptor acceptor;
  std::string address;
  uint16_t port;
  std::shared_ptr<const HttpHandler> handler;
  ServerTimeouts timeouts;
  std::list<std::weak_ptr<Connection>> connections;
};

HttpServer::HttpServer(asio::any_io_executor executor, std::string address, uint16_t port,
                       HttpHandler handler, ServerTimeouts timeouts)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(address), port,
                                   std::move(handler), timeouts)) {}

HttpServer::~HttpServer() { stop(); }

Result<void> HttpServer::start() {
  auto& a = impl_->acceptor;
  if (a.is_open()) return {};
  error_code ec;
  const auto addr = asio::ip::make_address(impl_->address, ec);
  if (ec) return fail(Errc::kInvalidArgument, "bad listen address " + impl_->address);
  const tcp::endpoint ep(addr, impl_->port);
  const auto failed = [&](const char* what) {
    error_code ignored;
    a.close(ignored);
    return fail(Errc::kUnreachable, "cannot " + std::string(what) + " " + impl_->address + ":" +
                                        std::to_string(impl_->port) + ": " + ec.message());
  };
  if (a.open(ep.protocol(), ec)) return failed("open socket for");
  if (a.set_option(tcp::acceptor::reuse_address(true), ec)) return failed("set options on");
  if (a.bind(ep, ec)) return failed("listen on");
  if (a.listen(asio::socket_base::max_listen_connections, ec)) return failed("listen on");
  impl_->port = a.local_endpoint(ec).port();  // kept for re-opens after a reboot
  asio::co_spawn(impl_->executor, impl_->accept_loop(), asio::detached);
  return {};
}

void HttpServer::stop() {
  error_code ignored;
  impl_->acceptor.close(ignored);
  impl_->close_connections();
}

bool HttpServer::listening() const { return impl_->acceptor.is_open(); }

uint16_t HttpServer::port() const { return impl_->port; }

}  // namespace rigkeeper::drivers::sim
