#pragma once
/// A session with a miner firmware's token-authenticated REST API under `/api/v1` (Braiins OS+
/// 25.07+, VNish): a log-in `POST /api/v1/<login_path>` with a JSON body of credentials
/// answers `{"token": ..., ["timeout_s": N]}`; authenticated calls carry the token in
/// `Authorization` (bare, or after a scheme such as "Bearer"). The token is renewed when its
/// lifetime runs out and once more when a call answers 401 (the miner rebooted or dropped it).
/// What differs per firmware (paths, scheme, wording) is a TokenRestApi.
///
/// Threading: one instance per device, used from one executor.
/// Errors (naming the device, never the credentials): kAuth when nothing is configured or the
/// log-in or a call is refused (401/403); kUnsupported for 404; kDeviceError for other non-2xx
/// replies, with the firmware's own message; kProtocol for a 2xx body that is not JSON or a
/// log-in reply without a token; transport errors as http::fetch gives them.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "drivers/api/asio.h"
#include "drivers/api/http_client.h"
#include "drivers/api/result.h"

namespace rigkeeper::drivers::asic {

/// What one firmware's REST API looks like to TokenRestSession.
struct TokenRestApi {
  std::string login_path;        ///< under /api/v1/: "auth/login", "unlock"
  std::string login_verb;        ///< the log-in's name in messages: "login", "unlock"
  std::string auth_scheme;       ///< "" sends the bare token; "Bearer" sends "Bearer <token>"
  std::string no_credentials;    ///< message when no credentials are configured
  std::string credentials_hint;  ///< after "<verb> refused (HTTP 401): "
  std::string login_not_found;   ///< message for a 404 on the log-in path
  std::string call_not_found;    ///< after "<METHOD> /api/v1/<path>: " for a 404 on a call
  /// Token lifetime when the log-in reply carries no `timeout_s`; nullopt: until refused.
  std::optional<std::chrono::seconds> default_ttl;
};

struct TokenRestEndpoint {
  std::string device_id;  ///< for error messages
  std::string base_url;   ///< "http://host:80"
  /// The log-in request's JSON body; nullopt when no credentials are configured.
  std::optional<nlohmann::json> credentials;
  std::chrono::milliseconds timeout{3000};
};

class TokenRestSession {
 public:
  /// Whether a call needs the token (and logs in first when there is none yet).
  enum class Auth { kNone, kToken };

  TokenRestSession(TokenRestApi api, TokenRestEndpoint endpoint);

  const TokenRestEndpoint& endpoint() const { return ep_; }
  bool has_credentials() const { return ep_.credentials.has_value(); }

  /// `method` on /api/v1/<path> with an optional JSON body; the reply's JSON (null for an
  /// empty 2xx body). A 401 logs in once more and repeats the call when credentials exist.
  asio::awaitable<Result<nlohmann::json>> call(std::string_view method, std::string_view path,
                                               Auth auth, std::optional<nlohmann::json> body = {});

  // g++ 12 rejects string-literal arrays as coroutine arguments: callers pass these.
  static constexpr std::string_view kGet = "GET";
  static constexpr std::string_view kPut = "PUT";
  static constexpr std::string_view kPost = "POST";

  /// Forgets the token (tests; credentials changed).
  void drop_token() { token_.reset(); }

 private:
  asio::awaitable<Result<void>> login();
  asio::awaitable<Result<http::Response>> send(std::string_view method, std::string_view path,
                                               const std::optional<nlohmann::json>& body);
  bool token_valid() const;
  Error named(Errc code, std::string_view what) const;

  TokenRestApi api_;
  TokenRestEndpoint ep_;
  std::optional<std::string> token_;
  std::optional<std::chrono::steady_clock::time_point> token_expires_;
};

}  // namespace rigkeeper::drivers::asic
