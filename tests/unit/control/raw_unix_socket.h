#pragma once
// Plain POSIX Unix-socket helpers for the control tests: misbehaving clients and servers that
// ControlServer and control_request must cope with.
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <thread>

namespace rigkeeper::test {

/// Connects to `path`; -1 on failure.
int unix_connect(const std::filesystem::path& path);

/// Sends `data` on a connected socket (blocking); false on error.
bool send_bytes(int fd, const std::string& data);

/// Reads until EOF; nullopt if `timeout` passes first.
std::optional<std::string> read_to_eof(int fd, std::chrono::milliseconds timeout);

/// Binds and listens on `path` (no accept); returns the listening fd or -1.
int unix_listen(const std::filesystem::path& path);

/// A one-connection-at-a-time server in a thread: accepts, hands each connection's fd to
/// `serve` (which owns the fd) until stopped.
class RawServer {
 public:
  RawServer(const std::filesystem::path& path, std::function<void(int fd)> serve);
  ~RawServer();
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;
  bool listening() const { return listen_fd_ >= 0; }

 private:
  int listen_fd_;
  int wake_[2] = {-1, -1};
  std::thread thread_;
};

}  // namespace rigkeeper::test
