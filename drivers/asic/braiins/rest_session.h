#pragma once
/// An authenticated session with the Braiins OS+ public REST API (`/api/v1`, 25.07+):
/// `POST /api/v1/auth/login {"username","password"}` gives `{"token","timeout_s"}`; every
/// other request carries the bare token as `Authorization: <token>` (no "Bearer"). The token
/// is renewed before `timeout_s` runs out and once more when a request answers 401 (the
/// miner rebooted or the token expired early).
///
/// Threading: one instance per device, used from one executor.
/// Errors (messages name the device, never the credentials): kAuth for 401/403 or missing
/// credentials; kUnsupported "REST API needs Braiins OS 25.07 or later" for 404 on the login
/// or on /api/v1 paths; kDeviceError for other non-2xx replies (with the firmware's message);
/// kProtocol for a 2xx body that is not JSON; transport errors as http::fetch gives them.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "drivers/api/asio.h"
#include "drivers/api/http_client.h"
#include "drivers/api/result.h"

namespace rigkeeper::drivers::braiins {

struct RestEndpoint {
  std::string device_id;  ///< for error messages
  std::string base_url;   ///< "http://host:80"
  std::string username;   ///< empty: none configured
  std::string password;
  std::chrono::milliseconds timeout{3000};
};

inline constexpr std::string_view kNeedsRest = "REST API needs Braiins OS 25.07 or later";

class RestSession {
 public:
  explicit RestSession(RestEndpoint endpoint);

  bool has_credentials() const { return !ep_.username.empty(); }
  const RestEndpoint& endpoint() const { return ep_; }

  /// `method` on /api/v1/<path> with an optional JSON body; the reply's JSON (null for an
  /// empty 2xx body).
  asio::awaitable<Result<nlohmann::json>> call(std::string_view method, std::string_view path,
                                               std::optional<nlohmann::json> body = {});

  /// Literals passed to call(): g++ 12 rejects string-literal arrays as coroutine arguments.
  static constexpr std::string_view kGet = "GET";
  static constexpr std::string_view kPut = "PUT";
  static constexpr std::string_view kPost = "POST";

  /// Forgets the token (tests; credentials changed).
  void drop_token() { token_.reset(); }

 private:
  asio::awaitable<Result<void>> login();
  asio::awaitable<Result<http::Response>> send(std::string_view method, std::string_view path,
                                               const std::optional<nlohmann::json>& body);
  Error named(Errc code, std::string_view what) const;

  RestEndpoint ep_;
  std::optional<std::string> token_;
  std::chrono::steady_clock::time_point token_expires_{};
};

}  // namespace rigkeeper::drivers::braiins
