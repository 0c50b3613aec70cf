#pragma once
/// HTTP(S) for drivers (Antminer web CGI, Braiins and VNish REST, Redfish, dcgm-exporter):
/// Boost.Beast on the caller's io_context, so hundreds of concurrent requests share the event
/// loop every other socket of the daemon uses and never block it. TLS is OpenSSL through
/// Asio, with the server's certificate checked against the URL's host name or IP address.
/// Authentication: Basic, and Digest (RFC 7616, drivers/api/http_auth) answered after the
/// server's challenge. A kept-alive connection is reused by the next request to the same
/// server within two seconds (a device's poll asks its endpoints back to back) and closed
/// after that.
///
/// Every request carries its own deadline and response size cap; the body of an oversize
/// reply is never buffered beyond the cap. HTTP status codes are returned as they are (a 401
/// is a Response, not an Error); transport failures are Errors naming the URL without
/// credentials. Redirects are not followed; no compressed encoding is asked for.
///
/// Thread-safety: fetch_async() may be called from any thread (the request is spawned on the
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
  kDigest,  ///< RFC 7616 digest (MD5 and SHA-256) answering the server's challenge
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
