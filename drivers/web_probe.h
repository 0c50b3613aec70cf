#pragma once
/// The web half of detection: an HTTP GET of `/` on a device's web port and, when that port
/// answers at all, GETs of the families' unauthenticated endpoints, all without credentials.
/// Every HTTP reply, whatever its status, becomes a WebProbe (a 401's realm is a marker too).
///
/// Thread-safety: gather_web() runs on the caller's (single-threaded) executor and never blocks.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "drivers/api/asio.h"
#include "drivers/api/driver.h"
#include "drivers/api/http_client.h"

namespace rigkeeper::drivers {

/// Bytes of a body kept in a WebProbe.
inline constexpr std::size_t kWebProbeBodyBytes = 16 * 1024;

/// "http://host/path", or "http://host:port/path" off port 80; IPv6 literals in brackets.
std::string web_url(const std::string& host, uint16_t port, const std::string& path);

/// A WebProbe from one reply: status, realm of the challenge, Server header, the first
/// kWebProbeBodyBytes of the body. Pure.
WebProbe web_probe_from(std::string url, const http::Response& response);

/// GETs `/`, then (if it got an HTTP reply) every path in `paths` concurrently, each bounded
/// by `timeout`. Returns the replies in request order; empty when the port did not answer
/// HTTP (refused, silent, garbage). `first_error` (optional) receives the error of `/`.
asio::awaitable<std::vector<WebProbe>> gather_web(std::string host, uint16_t port,
                                                  std::vector<std::string> paths,
                                                  std::chrono::milliseconds timeout,
                                                  Error* first_error = nullptr);

}  // namespace rigkeeper::drivers
