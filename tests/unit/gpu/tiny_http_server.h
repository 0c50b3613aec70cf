#pragma once
/// A loopback HTTP/1.1 server for the dcgm tests (until the simulator serves GPU nodes): one
/// thread, one request per connection, the reply chosen by a handler from the request path.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "drivers/api/asio.h"

namespace rigkeeper::test {

struct TinyReply {
  int status = 200;
  std::string body;
  std::string content_type = "text/plain; version=0.0.4; charset=utf-8";
};

class TinyHttpServer {
 public:
  explicit TinyHttpServer(std::function<TinyReply(const std::string& path)> handler);
  ~TinyHttpServer();
  uint16_t port() const { return port_; }
  int requests() const { return requests_.load(); }

 private:
  void accept_one();
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::function<TinyReply(const std::string&)> handler_;
  uint16_t port_ = 0;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace rigkeeper::test
