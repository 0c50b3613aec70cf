#include "tests/support/fake_cgminer_server.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "drivers/api/asio.h"
#include "tests/support/fixtures.h"

namespace rigkeeper::test {

namespace {

using boost::system::error_code;
using tcp = asio::ip::tcp;

constexpr std::size_t kMaxRequestBytes = 64 * 1024;
constexpr int kDripPieces = 16;
constexpr auto kDripInterval = std::chrono::milliseconds(20);

struct Session {
  explicit Session(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}
  tcp::socket socket;
  asio::steady_timer timer;
};

/// {"command":C,"parameter":P} or cgminer's plain-text "C|P".
std::pair<std::string, std::string> parse_request(std::string req) {
  while (!req.empty() && (req.back() == '\0' || req.back() == '\n' || req.back() == '\r'))
    req.pop_back();
  const auto j = nlohmann::json::parse(req, nullptr, false);
  if (j.is_object() && j.contains("command") && j["command"].is_string()) {
    std::string param;
    if (auto it = j.find("parameter"); it != j.end())
      param = it->is_string() ? it->get<std::string>() : it->dump();
    return {j["command"].get<std::string>(), param};
  }
  const auto bar = req.find('|');
  if (bar == std::string::npos) return {req, ""};
  return {req.substr(0, bar), req.substr(bar + 1)};
}

std::string garbage_reply() {
  std::string g = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n\r\n<html>400</html>";
  uint32_t x = 2463534242u;
  for (int i = 0; i < 256; ++i) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    g.push_back(static_cast<char>(x & 0xff));
  }
  g.push_back('\0');
  return g;
}

std::string oversize_reply(std::size_t n) {
  std::string r = R"({"STATUS":[{"STATUS":"S","Code":11,"Msg":"Summary"}],"SUMMARY":[{"pad":")";
  const std::string tail = R"("}],"id":1})";
  if (n > r.size() + tail.size()) r.append(n - r.size() - tail.size(), 'x');
  return r + tail;
}

}  // namespace

struct FakeCgminerServer::Impl {
  explicit Impl(Handler h) : handler(std::move(h)), acceptor(ioc) {}

  Handler handler;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  std::thread thread;
  uint16_t port = 0;
  std::atomic<FakeBehavior> behavior{FakeBehavior::kNormal};
  std::atomic<std::size_t> oversize_bytes{2u << 20};
  std::atomic<std::size_t> accepted{0};
  mutable std::mutex mu;
  std::vector<std::string> requests;  // guarded by mu
  // Touched on the server thread only.
  std::vector<std::weak_ptr<Session>> sessions;
  bool stopping = false;

  std::string reply_for(const std::string& request) {
    auto [cmd, param] = parse_request(request);
    try {
      return handler(cmd, param);
    } catch (const std::exception& e) {
      return nlohmann::json{{"STATUS", {{{"STATUS", "F"}, {"Code", 0}, {"Msg", e.what()}}}},
                            {"id", 1}}
          .dump();
    }
  }

  asio::awaitable<std::string> read_request(Session& s) {
    std::string req;
    char buf[4096];
    for (;;) {
      error_code ec;
      const std::size_t n = co_await s.socket.async_read_some(
          asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
      req.append(buf, n);
      if (ec || req.size() > kMaxRequestBytes) break;
      const auto first = req.find_first_not_of(" \r\n\t");
      if (first != std::string::npos && (req[first] != '{' || nlohmann::json::accept(req))) break;
    }
    co_return req;
  }

  asio::awaitable<bool> write(Session& s, std::string_view bytes) {
    error_code ec;
    co_await asio::async_write(s.socket, asio::buffer(bytes.data(), bytes.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }

  asio::awaitable<void> drip(Session& s, const std::string& reply) {
    const std::size_t piece = reply.size() / kDripPieces + 1;
    for (std::size_t at = 0; at < reply.size(); at += piece) {
      if (!co_await write(s, std::string_view(reply).substr(at, piece))) break;
      s.timer.expires_after(kDripInterval);
      error_code ec;
      co_await s.timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (ec || stopping) break;
    }
  }

  asio::awaitable<void> hang(Session& s) {
    char sink[512];
    for (;;) {  // until the client gives up (EOF) or the server stops
      error_code ec;
      co_await s.socket.async_read_some(asio::buffer(sink),
                                        asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
    }
  }

  asio::awaitable<void> serve(std::shared_ptr<Session> s) {
    const std::string request = co_await read_request(*s);
    if (request.empty() || stopping) co_return;
    {
      std::lock_guard lock(mu);
      requests.push_back(request);
    }
    error_code ec;
    switch (behavior.load()) {
      case FakeBehavior::kNormal:
        co_await write(*s, reply_for(request) + std::string(1, '\0'));
        break;
      case FakeBehavior::kHang:
        co_await hang(*s);
        break;
      case FakeBehavior::kReset: {
        const std::string reply = reply_for(request);
        co_await write(*s, std::string_view(reply).substr(0, reply.size() / 2));
        s->socket.set_option(asio::socket_base::linger(true, 0), ec);
        s->socket.close(ec);  // with linger 0: RST instead of FIN
        co_return;
      }
      case FakeBehavior::kCloseWithoutReply:
        break;
      case FakeBehavior::kGarbage:
        co_await write(*s, garbage_reply());
        break;
      case FakeBehavior::kOversize:
        co_await write(*s, oversize_reply(oversize_bytes.load()));
        break;
      case FakeBehavior::kSlowDrip:
        co_await drip(*s, reply_for(request) + std::string(1, '\0'));
        break;
    }
    s->socket.shutdown(tcp::socket::shutdown_both, ec);
    s->socket.close(ec);
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      error_code ec;
      tcp::socket socket =
          co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (stopping || !acceptor.is_open()) co_return;
      if (ec) continue;
      ++accepted;
      auto session = std::make_shared<Session>(std::move(socket));
      std::erase_if(sessions, [](const std::weak_ptr<Session>& w) { return w.expired(); });
      sessions.push_back(session);
      asio::co_spawn(ioc, serve(std::move(session)), asio::detached);
    }
  }

  void shutdown() {  // on the server thread
    stopping = true;
    error_code ec;
    acceptor.close(ec);
    for (auto& w : sessions) {
      if (auto s = w.lock()) {
        s->socket.close(ec);
        s->timer.cancel();
      }
    }
  }
};

FakeCgminerServer::FakeCgminerServer(Handler handler)
    : impl_(std::make_unique<Impl>(std::move(handler))) {
  const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  impl_->port = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->ioc, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([impl = impl_.get()] { impl->ioc.run(); });
}

FakeCgminerServer::~FakeCgminerServer() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->shutdown(); });
  impl_->thread.join();
}

uint16_t FakeCgminerServer::port() const { return impl_->port; }
void FakeCgminerServer::set_behavior(FakeBehavior b) { impl_->behavior.store(b); }
void FakeCgminerServer::set_oversize_bytes(std::size_t n) { impl_->oversize_bytes.store(n); }
std::size_t FakeCgminerServer::connections() const { return impl_->accepted.load(); }

std::vector<std::string> FakeCgminerServer::requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->requests;
}

std::string FakeCgminerServer::invalid_command_reply() {
  static const std::string reply = [] {
    const auto p = fixture_path("asic/errors/invalid_command_s19pro_stock.json");
    if (std::filesystem::exists(p)) return read_file(p);
    return std::string(
        R"({"STATUS": [{"Code": 14, "Description": "cgminer 1.0.0", "Msg": "Invalid command", "STATUS": "E", "When": 1687903253}], "id": 1})");
  }();
  return reply;
}

FakeCgminerServer::Handler FakeCgminerServer::serve_fixture_dir(const std::string& fixture_dir,
                                                                bool accept_multi) {
  const std::filesystem::path dir = std::filesystem::path(fixture_dir).is_absolute()
                                        ? std::filesystem::path(fixture_dir)
                                        : fixture_path(fixture_dir);
  auto single = [dir](const std::string& cmd) {
    const bool plain = !cmd.empty() && cmd.find_first_of("/\\") == std::string::npos && cmd != "..";
    const auto file = dir / (cmd + ".json");
    if (plain && std::filesystem::is_regular_file(file)) return read_file(file);
    return invalid_command_reply();
  };
  return [single, accept_multi](const std::string& command, const std::string&) -> std::string {
    if (command.find('+') == std::string::npos) return single(command);
    if (!accept_multi) return invalid_command_reply();
    std::vector<std::string> cmds;  // cgminer: blanks ignored, duplicates collapse
    std::size_t start = 0;
    while (start <= command.size()) {
      const auto end = std::min(command.find('+', start), command.size());
      std::string c = command.substr(start, end - start);
      if (!c.empty() && std::find(cmds.begin(), cmds.end(), c) == cmds.end()) cmds.push_back(c);
      start = end + 1;
    }
    std::string out = "{";
    for (const auto& c : cmds) out += nlohmann::json(c).dump() + ":[" + single(c) + "],";
    return out + "\"id\":1}";
  };
}

}  // namespace rigkeeper::test
