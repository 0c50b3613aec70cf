#pragma once
#include <cstdint>
#include <string>

namespace rigkeeper::test {

/// A TCP port on 127.0.0.1 that was free a moment ago (bound, read back, released).
uint16_t free_port();

/// True once something accepts TCP connections on host:port, polling until `timeout_ms`.
bool wait_for_port(const std::string& host, uint16_t port, int timeout_ms);

}  // namespace rigkeeper::test
