#pragma once
// A loopback HTTP server (the simulator's) on its own io_context, and a helper that runs one
// client fetch to completion on that io_context.
#include <optional>
#include <string>

#include "drivers/api/http_client.h"
#include "drivers/sim/http_server.h"

namespace rigkeeper::test {

namespace http = drivers::http;
namespace sim = drivers::sim;

class LoopbackHttp {
 public:
  explicit LoopbackHttp(sim::HttpHandler handler, sim::ServerTimeouts timeouts = {});
  ~LoopbackHttp();

  std::string url(const std::string& path) const;
  asio::io_context& io() { return io_; }
  sim::HttpServer& server() { return *server_; }

  /// Runs `request` (client side) until it completes; the server runs on the same thread.
  Result<http::Response> fetch(http::Request request);

 private:
  asio::io_context io_;
  std::unique_ptr<sim::HttpServer> server_;
};

/// Runs `request` on a fresh io_context with no server (refused ports, TLS servers in other
/// processes).
Result<http::Response> fetch_blocking(http::Request request);

}  // namespace rigkeeper::test
