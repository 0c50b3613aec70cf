#pragma once
/// The HTTP side of a simulated device (Antminer web CGI, Braiins and VNish REST, Redfish,
/// dcgm-exporter's /metrics): a small HTTP/1.1 server (Boost.Beast) per listener, one
/// coroutine per connection with deadlines on every phase, keep-alive honoured, request size
/// capped. The device decides every reply through a handler, so faults (hang, reset, slow)
/// apply over HTTP exactly as over the cgminer socket.
///
/// Thread-safety: none; use from the io_context's thread.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "drivers/api/asio.h"
#include "drivers/api/result.h"
#include "drivers/sim/cgminer_server.h"

namespace rigkeeper::drivers::sim {

struct HttpRequest {
  std::string method;  ///< "GET", "POST", ...
  std::string target;  ///< path and query as sent: "/cgi-bin/get_miner_conf.cgi?x=1"
  std::map<std::string, std::string> headers;  ///< names lower-cased
  std::string body;

  std::string_view path() const;  ///< target without the query
  std::optional<std::string> header(std::string_view lower_name) const;
};

struct HttpReply {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  ///< extra, e.g. WWW-Authenticate
  std::string body;
  /// Transport behaviour (hang, reset, delay) as for the cgminer socket; kSend sends the reply.
  ServerResponse::Mode mode = ServerResponse::Mode::kSend;
  std::chrono::milliseconds delay{0};

  static HttpReply json(int status, std::string body);
  static HttpReply text(int status, std::string body, std::string content_type = "text/plain");
};

using HttpHandler = std::function<HttpReply(const HttpRequest&)>;

class HttpServer {
 public:
  HttpServer(asio::any_io_executor executor, std::string address, uint16_t port,
             HttpHandler handler, ServerTimeouts timeouts = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and starts accepting; port 0 picks a free one. Errc::kUnreachable naming the
  /// address when the bind fails.
  Result<void> start();
  void stop();
  bool listening() const;
  uint16_t port() const;  ///< the bound port (after start)

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

/// Server side of HTTP digest authentication (RFC 7616, MD5, qop=auth) as cgminer-era
/// lighttpd on Antminers does it. Stateless nonces derived from a per-device secret and
/// time, so any nonce the server issued in the last `nonce_ttl_s` is accepted.
struct DigestRealm {
  std::string realm;  ///< e.g. "antMiner Configuration"
  std::string user;
  std::string password;
  std::string secret;  ///< per device, for nonces
  int nonce_ttl_s = 300;

  /// True when `request` carries valid credentials for this realm.
  bool authorized(const HttpRequest& request, int64_t now_unix) const;
  /// The 401 reply with a fresh WWW-Authenticate challenge.
  HttpReply challenge(int64_t now_unix) const;
};

}  // namespace rigkeeper::drivers::sim
