#pragma once
/// HTTP(S) for drivers (Antminer web CGI, Braiins and VNish REST, Redfish, dcgm-exporter):
/// libcurl's multi interface driven by the caller's io_context (its sockets and timeouts waited
/// on by Asio's reactor, one multi handle per context), with every transfer completed on the
/// caller's executor, so hundreds of concurrent requests never block the loop.
///
/// Every request carries its own deadline and response size cap; the body of an oversize
/// reply is never buffered beyond the cap. HTTP status codes are returned as they are (a 401
/// is a Response, not an Error); transport failures are Errors naming the URL.
///
/// Thread-safety: fetch_async() may be called from any thread (the transfer is handed to the
/// executor's context); completions run there. A context that makes requests is run by one
/// thread at a time.
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "drivers/api/asio.h"
#include "drivers/api/result.h"

namespace rigkeeper::drivers::http {

enum class Auth {
  kNone,
  kBasic,   ///< Authorization: Basic on the first request
  kDigest,  ///< RFC 7616 digest (MD5 and SHA-256), the challenge handled by libcurl
  kAny,     ///< whatever the server's challenge asks for (basic only over TLS or when asked)
};

/// TLS settings of a request to an https:// URL.
struct Tls {
  std::string ca_file;      ///< PEM bundle to verify the server with; empty: system store
  bool insecure = false;    ///< skip peer and host verification (lab BMCs; logged by callers)
  std::string client_cert;  ///< PEM client certificate, optional
  std::string client_key;   ///< PEM key of client_cert
};

struct Request {
  std::string method = "GET";                                ///< GET, POST, PUT, PATCH, DELETE
  std::string url;                                           ///< http(s)://host[:port]/path[?query]
  std::vector<std::pair<std::string, std::string>> headers;  ///< e.g. {"Content-Type", ...}
  std::string body;                                          ///< sent for POST/PUT/PATCH
  std::chrono::milliseconds timeout{5000};                   ///< whole transfer deadline
  size_t max_response_bytes = 4u << 20;                      ///< larger replies: kProtocol
  Auth auth = Auth::kNone;
  std::string username;  ///< never logged
  std::string password;  ///< never logged
  Tls tls;
};

struct Response {
  long status = 0;  ///< HTTP status of the final response (after auth round trips)
  /// Headers of the final response, names lower-cased, in arrival order.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// The first header called `name` (case-insensitive), or nullopt.
  std::optional<std::string> header(std::string_view name) const;
  bool ok() const { return status >= 200 && status < 300; }
};

/// Performs one request. Errors: kUnreachable (refused, no route, DNS), kTimeout (deadline),
/// kProtocol (oversize or malformed reply, TLS verification failure says so), kInvalidArgument
/// (bad URL or method). Messages name the URL without credentials.
asio::awaitable<Result<Response>> fetch(Request request);

/// Same, for callers outside a coroutine: runs on `executor`, calls `done` there.
void fetch_async(asio::any_io_executor executor, Request request,
                 std::function<void(Result<Response>)> done);

/// The realm of a WWW-Authenticate challenge (`Digest realm="antMiner Configuration"`), or
/// nullopt. Used by detection.
std::optional<std::string> challenge_realm(const Response& response);

}  // namespace rigkeeper::drivers::http
