#include "drivers/api/cgminer_exchange.h"

#include <memory>
#include <optional>
#include <utility>

namespace rigkeeper::drivers::detail {

namespace {

using boost::system::error_code;
using tcp = asio::ip::tcp;

/// The per-exchange state, shared with the deadline handler (which may run after the
/// coroutine has finished, so it cannot live on the coroutine frame). One allocation.
struct Exchange {
  Exchange(const asio::any_io_executor& io, const std::string& host_, uint16_t port_)
      : socket(io), timer(io), host(host_), port(port_) {}
  tcp::socket socket;
  asio::steady_timer timer;
  std::optional<tcp::resolver> resolver;  // only for host names, never for IP literals
  std::string host;  // an IP literal fits std::string's inline bytes; host:port does not
  uint16_t port;
  bool expired = false;
};

/// Asio 1.74 has no awaitable operators: the deadline is a timer that, when it fires, marks
/// the exchange expired and closes the socket, which aborts whatever is pending on it.
void arm_deadline(const std::shared_ptr<Exchange>& ex, const asio::any_io_executor& coro,
                  std::chrono::milliseconds timeout) {
  ex->timer.expires_after(timeout);
  ex->timer.async_wait(asio::bind_executor(coro, [ex](const error_code& ec) {
    if (ec) return;  // cancelled: the exchange ended first
    ex->expired = true;
    if (ex->resolver) ex->resolver->cancel();
    error_code ignored;
    ex->socket.close(ignored);
  }));
}

/// "host:port" for a message: built only when there is an error to report.
std::string where(const Exchange& ex) { return endpoint_name(ex.host, ex.port); }

Error transport_error(const Exchange& ex, const error_code& ec, const CgminerOptions& options,
                      const char* stage, std::size_t received) {
  namespace err = asio::error;
  if (ex.expired)
    return {Errc::kTimeout, "no reply from " + where(ex) + " within " +
                                std::to_string(options.timeout.count()) + " ms (" + stage + ")"};
  if (ec == err::connection_refused)
    return {Errc::kUnreachable, "connection refused by " + where(ex)};
  if (ec == err::connection_reset || ec == err::broken_pipe) {
    if (received > 0)
      return {Errc::kProtocol, "connection reset by " + where(ex) + " after " +
                                   std::to_string(received) + " bytes of reply"};
    return {Errc::kUnreachable, "connection reset by " + where(ex) + " (" + stage + ")"};
  }
  if (ec == err::host_unreachable || ec == err::network_unreachable || ec == err::timed_out)
    return {Errc::kUnreachable, where(ex) + " unreachable: " + ec.message()};
  return {Errc::kUnreachable, where(ex) + ": " + stage + " failed: " + ec.message()};
}

asio::awaitable<Result<void>> connect(Exchange& ex, const asio::any_io_executor& io,
                                      const std::string& host, uint16_t port,
                                      const CgminerOptions& options) {
  error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (!ec) {  // the common case on a rack: an IP literal, no resolver round trip
    co_await ex.socket.async_connect(tcp::endpoint(address, port),
                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return tl::unexpected(transport_error(ex, ec, options, "connecting", 0));
    co_return Result<void>{};
  }
  ex.resolver.emplace(io);
  const auto endpoints = co_await ex.resolver->async_resolve(
      host, std::to_string(port), asio::redirect_error(asio::use_awaitable, ec));
  if (ex.expired) co_return tl::unexpected(transport_error(ex, ec, options, "resolving", 0));
  if (ec) co_return fail(Errc::kUnreachable, "cannot resolve " + host + ": " + ec.message());
  ec = asio::error::host_not_found;
  for (const auto& entry : endpoints) {
    if (ex.expired) break;
    error_code ignored;
    ex.socket.close(ignored);
    co_await ex.socket.async_connect(entry.endpoint(),
                                     asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) co_return Result<void>{};
  }
  co_return tl::unexpected(transport_error(ex, ec, options, "connecting", 0));
}

asio::awaitable<Result<std::string>> run(Exchange& ex, const asio::any_io_executor& io,
                                         const std::string& host, uint16_t port,
                                         const std::string& request,
                                         const CgminerOptions& options) {
  auto connected = co_await connect(ex, io, host, port, options);
  if (!connected) co_return tl::unexpected(connected.error());

  error_code ec;
  co_await asio::async_write(ex.socket, asio::buffer(request),
                             asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return tl::unexpected(transport_error(ex, ec, options, "sending the request", 0));

  // One string, grown in place; the dynamic buffer stops one byte past the cap.
  std::string reply;
  reply.reserve(options.max_reply_bytes < 8192 ? options.max_reply_bytes + 1 : 8192);
  co_await asio::async_read(ex.socket, asio::dynamic_buffer(reply, options.max_reply_bytes + 1),
                            asio::redirect_error(asio::use_awaitable, ec));
  if (reply.size() > options.max_reply_bytes)
    co_return fail(Errc::kProtocol, "reply from " + where(ex) + " exceeds " +
                                        std::to_string(options.max_reply_bytes) + " bytes");
  // A reset right after the terminating NUL still delivered a whole reply.
  const bool complete = !reply.empty() && reply.back() == '\0';
  if (ec && ec != asio::error::eof && !(complete && ec == asio::error::connection_reset))
    co_return tl::unexpected(transport_error(ex, ec, options, "reading the reply", reply.size()));
  if (reply.find_first_not_of('\0') == std::string::npos)
    co_return fail(Errc::kProtocol, where(ex) + " closed the connection without a reply");
  // The device closed its side (EOF); close() sends our FIN, a shutdown() first is one more
  // system call per poll for nothing.
  error_code ignored;
  ex.socket.close(ignored);
  co_return reply;
}

}  // namespace

std::string endpoint_name(const std::string& host, uint16_t port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

asio::awaitable<Result<std::string>> cgminer_exchange(asio::any_io_executor io,
                                                      const std::string& host, uint16_t port,
                                                      std::string request,
                                                      const CgminerOptions& options) {
  const auto coro = co_await asio::this_coro::executor;
  auto ex = std::make_shared<Exchange>(io, host, port);
  arm_deadline(ex, coro, options.timeout);
  auto result = co_await run(*ex, io, host, port, request, options);
  ex->timer.cancel();
  co_return result;
}

}  // namespace rigkeeper::drivers::detail
