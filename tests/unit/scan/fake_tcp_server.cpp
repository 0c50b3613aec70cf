#include "tests/unit/scan/fake_tcp_server.h"

#include <mutex>
#include <thread>

#include "drivers/api/asio.h"
#include "drivers/whatsminer_v3_probe.h"

namespace rigkeeper::test {

using tcp = asio::ip::tcp;

struct FakeTcpServer::Impl {
  Impl(Complete c, Reply r)
      : complete(std::move(c)),
        reply(std::move(r)),
        acceptor(io, {asio::ip::make_address("127.0.0.1"), 0}) {}
  Complete complete;
  Reply reply;
  asio::io_context io;
  tcp::acceptor acceptor;
  std::thread thread;
  mutable std::mutex mu;
  std::vector<std::string> requests;

  asio::awaitable<void> serve(tcp::socket socket) {
    std::string bytes;
    boost::system::error_code ec;
    char buf[4096];
    while (!complete(bytes)) {
      const auto n = co_await socket.async_read_some(asio::buffer(buf),
                                                     asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      bytes.append(buf, n);
    }
    {
      std::lock_guard lock(mu);
      requests.push_back(bytes);
    }
    const std::string out = reply(bytes);
    if (out.empty()) {  // hang: keep the connection until the client closes it
      while (!ec)
        co_await socket.async_read_some(asio::buffer(buf),
                                        asio::redirect_error(asio::use_awaitable, ec));
      co_return;
    }
    co_await asio::async_write(socket, asio::buffer(out),
                               asio::redirect_error(asio::use_awaitable, ec));
    socket.shutdown(tcp::socket::shutdown_send, ec);
    // Wait for the client to close, so the reply is never reset away.
    while (!ec)
      co_await socket.async_read_some(asio::buffer(buf),
                                      asio::redirect_error(asio::use_awaitable, ec));
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket =
          co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      asio::co_spawn(io, serve(std::move(socket)), asio::detached);
    }
  }
};

FakeTcpServer::FakeTcpServer(Complete complete, Reply reply)
    : impl_(std::make_unique<Impl>(std::move(complete), std::move(reply))) {
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

FakeTcpServer::~FakeTcpServer() {
  impl_->io.stop();
  impl_->thread.join();
}

uint16_t FakeTcpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

std::vector<std::string> FakeTcpServer::requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->requests;
}

std::unique_ptr<FakeTcpServer> FakeTcpServer::http(
    std::function<std::string(const std::string&)> page) {
  return std::make_unique<FakeTcpServer>(
      [](const std::string& b) { return b.find("\r\n\r\n") != std::string::npos; },
      [page = std::move(page)](const std::string& request) {
        const auto sp = request.find(' ');
        const auto sp2 = request.find(' ', sp + 1);
        return page(request.substr(sp + 1, sp2 - sp - 1));
      });
}

std::unique_ptr<FakeTcpServer> FakeTcpServer::whatsminer_v3(std::string raw_reply) {
  return std::make_unique<FakeTcpServer>(
      [](const std::string& b) {
        if (b.size() < 4) return false;
        const auto n =
            drivers::whatsminer_v3_length(reinterpret_cast<const unsigned char*>(b.data()));
        return b.size() >= 4 + static_cast<std::size_t>(n);
      },
      [raw_reply = std::move(raw_reply)](const std::string&) { return raw_reply; });
}

std::string http_response(int status, const std::string& body,
                          const std::vector<std::string>& headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " X\r\n";
  for (const auto& h : headers) out += h + "\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  return out + body;
}

}  // namespace rigkeeper::test
