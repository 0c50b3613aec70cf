#pragma once
/// A session with the VNish web API (`/api/v1`): reads (summary, info, status, settings,
/// autotune/presets) go without a token; privileged calls first unlock with
/// `POST /api/v1/unlock {"pw": <web password>}` -> `{"token": ...}` and carry
/// `Authorization: Bearer <token>`. A 401 drops the token and unlocks once more (tokens die
/// with a reboot or after the firmware's unlock timeout).
///
/// Threading: one instance per device, used from one executor.
/// Errors (naming the device, never the password): kAuth when no password is configured or
/// the unlock or a call is refused (401/403); kUnsupported for 404 (no such endpoint on this
/// VNish version); kDeviceError for other non-2xx replies, with the firmware's message;
/// kProtocol for a 2xx body that is not JSON; transport errors as http::fetch gives them.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "drivers/api/asio.h"
#include "drivers/api/http_client.h"
#include "drivers/api/result.h"

namespace rigkeeper::drivers::vnish {

struct WebEndpoint {
  std::string device_id;  ///< for error messages
  std::string base_url;   ///< "http://host:80"
  std::string password;   ///< web password; empty: none configured
  std::chrono::milliseconds timeout{3000};
};

class WebSession {
 public:
  explicit WebSession(WebEndpoint endpoint);

  const WebEndpoint& endpoint() const { return ep_; }
  bool has_password() const { return !ep_.password.empty(); }

  /// `method` on /api/v1/<path>; `privileged` unlocks first. The reply's JSON (null when
  /// the 2xx body is empty).
  asio::awaitable<Result<nlohmann::json>> call(std::string_view method, std::string_view path,
                                               bool privileged,
                                               std::optional<nlohmann::json> body = {});

  // g++ 12 rejects string-literal arrays as coroutine arguments: callers pass these.
  static constexpr std::string_view kGet = "GET";
  static constexpr std::string_view kPost = "POST";

 private:
  asio::awaitable<Result<void>> unlock();
  asio::awaitable<Result<http::Response>> send(std::string_view method, std::string_view path,
                                               const std::optional<nlohmann::json>& body);
  Error named(Errc code, std::string_view what) const;

  WebEndpoint ep_;
  std::optional<std::string> token_;
};

}  // namespace rigkeeper::drivers::vnish
