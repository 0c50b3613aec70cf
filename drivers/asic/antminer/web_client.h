#pragma once
/// The stock Antminer web CGI transport: `http(s)://host:web_port/cgi-bin/<name>.cgi` with HTTP
/// digest authentication (realm "antMiner Configuration"), over drivers/api/http_client.h.
/// The credentials come only from the device's config (`web_user`, `web_password`); they are
/// never logged or put in messages.
///
/// Threading: one instance per device, used from the driver's executor.
/// Errors (messages name the device): kAuth when no credentials are configured or the device
/// refuses them (401), kDeviceError for another non-2xx status, transport errors as the
/// HTTP client reports them.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "drivers/api/driver.h"
#include "drivers/api/http_client.h"

namespace rigkeeper::drivers::antminer {

class WebClient {
 public:
  explicit WebClient(const DeviceConfig& config);

  /// True when both web_user and web_password are configured.
  bool has_credentials() const { return user_.has_value() && password_.has_value(); }

  /// GET /cgi-bin/<cgi> and the reply body. `for_poll`: under the device's poll timeout
  /// (control requests get at least 10 s: set_miner_conf restarts bmminer before answering).
  asio::awaitable<Result<std::string>> get(const std::string& cgi, bool for_poll = false);
  /// POST /cgi-bin/<cgi> with a JSON body and the reply body.
  asio::awaitable<Result<std::string>> post(const std::string& cgi, const nlohmann::json& body);

 private:
  asio::awaitable<Result<std::string>> send(http::Request request, const std::string& cgi);

  std::string device_id_;
  std::string base_;  ///< http://host:port
  std::optional<std::string> user_;
  std::optional<std::string> password_;
  std::chrono::milliseconds timeout_;       ///< control requests
  std::chrono::milliseconds poll_timeout_;  ///< reads made during a poll
};

}  // namespace rigkeeper::drivers::antminer
