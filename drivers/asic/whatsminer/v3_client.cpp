#include "drivers/asic/whatsminer/v3_client.h"

#include <ctime>
#include <memory>

#include "drivers/api/cgminer_exchange.h"
#include "drivers/api/json_reader.h"
#include "drivers/asic/whatsminer/crypto.h"
#include "drivers/asic/whatsminer/parser.h"

namespace rigkeeper::drivers::whatsminer {

namespace {

using boost::system::error_code;
using tcp = asio::ip::tcp;

struct Conn {
  explicit Conn(const asio::any_io_executor& io) : socket(io), timer(io) {}
  tcp::socket socket;
  asio::steady_timer timer;
  bool expired = false;
};

Error io_error(const Conn& c, const error_code& ec, const char* stage) {
  if (c.expired)
    return {Errc::kTimeout, std::string("no reply within the deadline (") + stage + ")"};
  if (ec == asio::error::connection_refused) return {Errc::kUnreachable, "connection refused"};
  if (ec == asio::error::eof || ec == asio::error::connection_reset)
    return {Errc::kProtocol, std::string("connection closed while ") + stage};
  return {Errc::kUnreachable, std::string(stage) + " failed: " + ec.message()};
}

asio::awaitable<Result<std::string>> run(Conn& c, const std::string& host, uint16_t port,
                                         const std::string& frame) {
  error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  if (ec) {
    tcp::resolver resolver(c.socket.get_executor());
    auto eps = co_await resolver.async_resolve(host, std::to_string(port),
                                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec || eps.empty()) co_return fail(Errc::kUnreachable, "cannot resolve " + host);
    addr = eps.begin()->endpoint().address();
  }
  co_await c.socket.async_connect(tcp::endpoint(addr, port),
                                  asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return tl::unexpected(io_error(c, ec, "connecting"));
  co_await asio::async_write(c.socket, asio::buffer(frame),
                             asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return tl::unexpected(io_error(c, ec, "sending"));
  unsigned char head[4];
  co_await asio::async_read(c.socket, asio::buffer(head),
                            asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return tl::unexpected(io_error(c, ec, "reading the length"));
  const uint32_t len = static_cast<uint32_t>(head[0]) | (static_cast<uint32_t>(head[1]) << 8) |
                       (static_cast<uint32_t>(head[2]) << 16) |
                       (static_cast<uint32_t>(head[3]) << 24);
  if (len == 0 || len > kV3MaxFrame)
    co_return fail(Errc::kProtocol, "reply length " + std::to_string(len) + " out of range");
  std::string body(len, '\0');
  co_await asio::async_read(c.socket, asio::buffer(body),
                            asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return tl::unexpected(io_error(c, ec, "reading the reply"));
  error_code ignored;
  c.socket.close(ignored);
  co_return body;
}

}  // namespace

std::string v3_frame(const std::string& body) {
  const auto n = static_cast<uint32_t>(body.size());
  std::string out;
  out.reserve(body.size() + 4);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  return out + body;
}

V3Client::V3Client(asio::any_io_executor executor, std::string host, uint16_t port,
                   std::chrono::milliseconds timeout)
    : executor_(std::move(executor)), host_(std::move(host)), port_(port), timeout_(timeout) {}

Error V3Client::named(Error e) const {
  e.message = detail::endpoint_name(host_, port_) + " (API v3): " + e.message;
  return e;
}

asio::awaitable<Result<nlohmann::json>> V3Client::exchange(const nlohmann::json& request) {
  const auto coro = co_await asio::this_coro::executor;
  auto c = std::make_shared<Conn>(executor_);
  c->timer.expires_after(timeout_);
  c->timer.async_wait(asio::bind_executor(coro, [c](const error_code& ec) {
    if (ec) return;
    c->expired = true;
    error_code ignored;
    c->socket.close(ignored);
  }));
  auto body = co_await run(*c, host_, port_, v3_frame(request.dump()));
  c->timer.cancel();
  if (!body) co_return tl::unexpected(named(body.error()));
  auto j = read_json(*body);
  if (j.is_discarded() || !j.is_object())
    co_return tl::unexpected(named({Errc::kProtocol, "reply is not a JSON object"}));
  co_return j;
}

Result<nlohmann::json> v3_check(nlohmann::json reply, const std::string& cmd) {
  const auto code = reply.find("code");
  if (code == reply.end() || !code->is_number_integer())
    return fail(Errc::kProtocol, cmd + ": reply has no code");
  const auto msg_it = reply.find("msg");
  nlohmann::json msg = msg_it == reply.end() ? nlohmann::json() : std::move(*msg_it);
  const int c = code->get<int>();
  if (c == 0) return msg;
  std::string text = msg.is_string() ? msg.get<std::string>().substr(0, 160) : "";
  if (c == -4 || says_api_disabled(text)) {
    if (says_api_disabled(text))
      return fail(Errc::kAuth, cmd + ": API access disabled on the miner; enable it in the web UI");
    return fail(Errc::kAuth, cmd + ": access denied (password refused): " + text);
  }
  if (c == -2) return fail(Errc::kUnsupported, cmd + ": not supported by this firmware");
  return fail(Errc::kDeviceError,
              cmd + ": firmware refused (code " + std::to_string(c) + "): " + text);
}

asio::awaitable<Result<nlohmann::json>> V3Client::get(const std::string& cmd,
                                                      nlohmann::json param) {
  nlohmann::json req = {{"cmd", cmd}};
  if (!param.is_null()) req["param"] = std::move(param);
  auto reply = co_await exchange(req);
  if (!reply) co_return reply;
  auto msg = v3_check(std::move(*reply), cmd);
  if (!msg) co_return tl::unexpected(named(msg.error()));
  co_return msg;
}

asio::awaitable<Result<nlohmann::json>> V3Client::set(const std::string& cmd, nlohmann::json param,
                                                      const std::string& password) {
  if (!salt_) {
    auto info = co_await get("get.device.info", "salt");
    if (!info) co_return tl::unexpected(info.error());
    auto s = info->find("salt");
    if (!info->is_object() || s == info->end() || !s->is_string() || s->get<std::string>().empty())
      co_return tl::unexpected(named({Errc::kProtocol, "get.device.info gave no salt"}));
    salt_ = s->get<std::string>().substr(0, 64);
  }
  const int64_t ts = static_cast<int64_t>(std::time(nullptr));
  nlohmann::json req = {{"cmd", cmd},
                        {"param", std::move(param)},
                        {"ts", ts},
                        {"account", "super"},
                        {"token", v3_token(cmd, password, *salt_, ts)}};
  auto reply = co_await exchange(req);
  if (!reply) co_return reply;
  auto msg = v3_check(std::move(*reply), cmd);
  if (!msg) {
    if (msg.error().code == Errc::kAuth) salt_.reset();  // the salt may have changed
    co_return tl::unexpected(named(msg.error()));
  }
  co_return msg;
}

}  // namespace rigkeeper::drivers::whatsminer
