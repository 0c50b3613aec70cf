#pragma once
// Runs a ControlServer on its own io_context in a background thread, as rigkeeperd would on
// its loop, so that a test can play the client from the test thread.
#include <future>
#include <thread>

#include "agent/control/control_protocol.h"

namespace rigkeeper::test {

class ControlServerThread {
 public:
  ControlServerThread(std::filesystem::path path, agent::ControlServer::Handler handler)
      : server_(io_, std::move(path), std::move(handler)) {}
  ~ControlServerThread() { stop(); }
  ControlServerThread(const ControlServerThread&) = delete;
  ControlServerThread& operator=(const ControlServerThread&) = delete;

  /// start() on this thread (the loop is not running yet), then runs the loop in the background.
  Result<void> start() {
    auto started = server_.start();
    if (started) thread_ = std::thread([this] { io_.run(); });
    return started;
  }

  /// stop() on the loop's thread; the loop then runs out of work and the thread ends.
  void stop() {
    if (!thread_.joinable()) return;
    asio::post(io_, [this] { server_.stop(); });
    thread_.join();
  }

 private:
  asio::io_context io_;
  agent::ControlServer server_;
  std::thread thread_;
};

}  // namespace rigkeeper::test
