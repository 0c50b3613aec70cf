#pragma once
// A tiny scripted TCP server on 127.0.0.1 (a free port) for detection tests: an HTTP page or a
// Whatsminer v3 reply. Its own io_context on its own thread. Each connection: bytes are read
// until `complete(bytes)` says the request is whole, then `reply(bytes)` is written and the
// connection closed. An empty reply means: never answer (hang until the client gives up).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace rigkeeper::test {

class FakeTcpServer {
 public:
  using Complete = std::function<bool(const std::string& bytes)>;
  using Reply = std::function<std::string(const std::string& request)>;

  FakeTcpServer(Complete complete, Reply reply);
  ~FakeTcpServer();
  FakeTcpServer(const FakeTcpServer&) = delete;
  FakeTcpServer& operator=(const FakeTcpServer&) = delete;

  uint16_t port() const;
  std::vector<std::string> requests() const;

  /// An HTTP/1.1 server: `page(path)` gives the whole response (status line, headers, body).
  static std::unique_ptr<FakeTcpServer> http(std::function<std::string(const std::string&)> page);
  /// A Whatsminer v3 server answering every request with `body`, length-prefixed.
  static std::unique_ptr<FakeTcpServer> whatsminer_v3(std::string raw_reply);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// "HTTP/1.1 <status>\r\n" + headers + Content-Length + body.
std::string http_response(int status, const std::string& body,
                          const std::vector<std::string>& headers = {});

}  // namespace rigkeeper::test
