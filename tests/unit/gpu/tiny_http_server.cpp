#include "tests/unit/gpu/tiny_http_server.h"

#include <memory>

namespace rigkeeper::test {

TinyHttpServer::TinyHttpServer(std::function<TinyReply(const std::string&)> handler)
    : acceptor_(io_, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
      handler_(std::move(handler)) {
  port_ = acceptor_.local_endpoint().port();
  accept_one();
  thread_ = std::thread([this] { io_.run(); });
}

TinyHttpServer::~TinyHttpServer() {
  asio::post(io_, [this] { acceptor_.close(); });
  io_.stop();
  thread_.join();
}

void TinyHttpServer::accept_one() {
  acceptor_.async_accept([this](boost::system::error_code ec, asio::ip::tcp::socket socket) {
    if (ec) return;
    accept_one();
    auto sock = std::make_shared<asio::ip::tcp::socket>(std::move(socket));
    auto buf = std::make_shared<std::string>();
    asio::async_read_until(
        *sock, asio::dynamic_buffer(*buf), "\r\n\r\n",
        [this, sock, buf](boost::system::error_code rec, size_t) {
          if (rec) return;
          ++requests_;
          // "GET /path HTTP/1.1"
          const auto sp1 = buf->find(' ');
          const auto sp2 = buf->find(' ', sp1 + 1);
          const std::string path = buf->substr(sp1 + 1, sp2 - sp1 - 1);
          TinyReply r = handler_(path);
          auto out = std::make_shared<std::string>(
              "HTTP/1.1 " + std::to_string(r.status) + " X\r\nContent-Type: " + r.content_type +
              "\r\nContent-Length: " + std::to_string(r.body.size()) +
              "\r\nConnection: close\r\n\r\n" + r.body);
          asio::async_write(*sock, asio::buffer(*out),
                            [sock, out](boost::system::error_code, size_t) {
                              boost::system::error_code ignored;
                              sock->shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
                            });
        });
  });
}

}  // namespace rigkeeper::test
