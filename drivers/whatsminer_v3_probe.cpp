#include "drivers/whatsminer_v3_probe.h"

#include <memory>
#include <optional>
#include <utility>

#include "drivers/api/json_reader.h"

namespace rigkeeper::drivers {

namespace {

using boost::system::error_code;
using tcp = asio::ip::tcp;

/// Socket and deadline shared with the timer's handler, which may outlive the coroutine.
struct V3Exchange {
  explicit V3Exchange(const asio::any_io_executor& ex) : socket(ex), timer(ex), resolver(ex) {}
  tcp::socket socket;
  asio::steady_timer timer;
  tcp::resolver resolver;
  bool expired = false;
};

Error transport_error(const V3Exchange& ex, const error_code& ec, const std::string& where,
                      std::chrono::milliseconds timeout, const char* stage) {
  if (ex.expired)
    return {Errc::kTimeout, "no v3 reply from " + where + " within " +
                                std::to_string(timeout.count()) + " ms (" + stage + ")"};
  if (ec == asio::error::connection_refused)
    return {Errc::kUnreachable, "connection refused by " + where};
  if (ec == asio::error::eof)
    return {Errc::kProtocol, where + " closed the connection mid-reply (" + stage + ")"};
  return {Errc::kUnreachable, where + ": " + stage + " failed: " + ec.message()};
}

asio::awaitable<Result<void>> connect(V3Exchange& ex, const std::string& host, uint16_t port,
                                      const std::string& where, std::chrono::milliseconds timeout) {
  error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (!ec) {
    co_await ex.socket.async_connect(tcp::endpoint(address, port),
                                     asio::redirect_error(asio::use_awaitable, ec));
  } else {
    const auto endpoints = co_await ex.resolver.async_resolve(
        host, std::to_string(port), asio::redirect_error(asio::use_awaitable, ec));
    if (!ec)
      co_await asio::async_connect(ex.socket, endpoints,
                                   asio::redirect_error(asio::use_awaitable, ec));
  }
  if (ec) co_return tl::unexpected(transport_error(ex, ec, where, timeout, "connecting"));
  co_return Result<void>{};
}

asio::awaitable<Result<nlohmann::json>> exchange(V3Exchange& ex, std::string host, uint16_t port,
                                                 std::string cmd,
                                                 std::chrono::milliseconds timeout) {
  const std::string where = host + ":" + std::to_string(port);
  auto connected = co_await connect(ex, host, port, where, timeout);
  if (!connected) co_return tl::unexpected(connected.error());
  error_code ec;
  const std::string request = frame_whatsminer_v3(nlohmann::json{{"cmd", cmd}}.dump());
  co_await asio::async_write(ex.socket, asio::buffer(request),
                             asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return tl::unexpected(transport_error(ex, ec, where, timeout, "sending"));
  unsigned char header[4];
  co_await asio::async_read(ex.socket, asio::buffer(header),
                            asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return tl::unexpected(transport_error(ex, ec, where, timeout, "reading the length"));
  const uint32_t length = whatsminer_v3_length(header);
  if (length == 0 || length > kWhatsminerV3MaxReply)
    co_return fail(Errc::kProtocol, where + " announced a v3 reply of " + std::to_string(length) +
                                        " bytes (accepted: 1 to " +
                                        std::to_string(kWhatsminerV3MaxReply) + ")");
  std::string body(length, '\0');
  co_await asio::async_read(ex.socket, asio::buffer(body),
                            asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return tl::unexpected(transport_error(ex, ec, where, timeout, "reading the reply"));
  auto parsed = parse_whatsminer_v3_reply(body);
  if (!parsed) co_return fail(Errc::kProtocol, where + ": " + parsed.error().message);
  co_return parsed;
}

}  // namespace

std::string frame_whatsminer_v3(std::string_view body) {
  const auto n = static_cast<uint32_t>(body.size());
  std::string out;
  out.reserve(body.size() + 4);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  out.append(body);
  return out;
}

uint32_t whatsminer_v3_length(const unsigned char header[4]) {
  return static_cast<uint32_t>(header[0]) | static_cast<uint32_t>(header[1]) << 8 |
         static_cast<uint32_t>(header[2]) << 16 | static_cast<uint32_t>(header[3]) << 24;
}

Result<nlohmann::json> parse_whatsminer_v3_reply(std::string_view body) {
  auto j = read_json(body);
  if (j.is_discarded() || !j.is_object())
    return fail(Errc::kProtocol, "v3 reply is not a JSON object");
  return j;
}

asio::awaitable<Result<nlohmann::json>> whatsminer_v3_get(std::string host, uint16_t port,
                                                          std::string cmd,
                                                          std::chrono::milliseconds timeout) {
  auto ex = std::make_shared<V3Exchange>(co_await asio::this_coro::executor);
  ex->timer.expires_after(timeout);
  ex->timer.async_wait([ex](const error_code& ec) {
    if (ec) return;  // cancelled: the exchange ended first
    ex->expired = true;
    error_code ignored;
    ex->resolver.cancel();
    ex->socket.close(ignored);
  });
  auto result = co_await exchange(*ex, std::move(host), port, std::move(cmd), timeout);
  ex->timer.cancel();
  error_code ignored;
  ex->socket.close(ignored);
  co_return result;
}

}  // namespace rigkeeper::drivers
