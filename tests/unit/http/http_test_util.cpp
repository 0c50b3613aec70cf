#include "tests/unit/http/http_test_util.h"

#include <stdexcept>

namespace rigkeeper::test {

namespace {

Result<http::Response> run(asio::io_context& io, http::Request request) {
  std::optional<Result<http::Response>> out;
  asio::co_spawn(
      io,
      [&out, request = std::move(request)]() mutable -> asio::awaitable<void> {
        out = co_await http::fetch(std::move(request));
      },
      asio::detached);
  io.restart();
  while (!out) io.run_one_for(std::chrono::milliseconds(100));
  return *out;
}

}  // namespace

LoopbackHttp::LoopbackHttp(sim::HttpHandler handler, sim::ServerTimeouts timeouts)
    : server_(std::make_unique<sim::HttpServer>(io_.get_executor(), "127.0.0.1", 0,
                                                std::move(handler), timeouts)) {
  if (!server_->start()) throw std::runtime_error("cannot start the loopback HTTP server");
}

LoopbackHttp::~LoopbackHttp() {
  server_->stop();
  io_.restart();
  io_.poll();
}

std::string LoopbackHttp::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
}

Result<http::Response> LoopbackHttp::fetch(http::Request request) {
  return run(io_, std::move(request));
}

Result<http::Response> fetch_blocking(http::Request request) {
  asio::io_context io;
  return run(io, std::move(request));
}

}  // namespace rigkeeper::test
