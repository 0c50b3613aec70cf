#include "drivers/asic/antminer/web_client.h"

#include <algorithm>

namespace rigkeeper::drivers::antminer {

namespace {

// CGI replies are small JSON objects; anything larger is not the miner's CGI.
constexpr size_t kMaxReplyBytes = 256 * 1024;
// Control requests get at least this long: set_miner_conf restarts bmminer before answering.
constexpr std::chrono::milliseconds kMinTimeout{10'000};

std::string host_for_url(const std::string& host) {
  return host.find(':') != std::string::npos && host.front() != '[' ? "[" + host + "]" : host;
}

}  // namespace

WebClient::WebClient(const DeviceConfig& config)
    : device_id_(config.id),
      user_(config.options.get_string("web_user")),
      password_(config.options.get_string("web_password")),
      timeout_(std::max(config.timeout, kMinTimeout)),
      poll_timeout_(config.timeout) {
  const std::string scheme = config.options.get_string("web_scheme").value_or("http");
  const int64_t port = config.options.get_int("web_port").value_or(80);
  base_ = scheme + "://" + host_for_url(config.host) + ":" + std::to_string(port);
}

asio::awaitable<Result<std::string>> WebClient::get(const std::string& cgi, bool for_poll) {
  http::Request req;
  req.url = base_ + "/cgi-bin/" + cgi;
  req.timeout = for_poll ? poll_timeout_ : timeout_;
  co_return co_await send(std::move(req), cgi);
}

asio::awaitable<Result<std::string>> WebClient::post(const std::string& cgi,
                                                     const nlohmann::json& body) {
  http::Request req;
  req.method = "POST";
  req.url = base_ + "/cgi-bin/" + cgi;
  req.headers.emplace_back("Content-Type", "application/json");
  req.body = body.dump();
  req.timeout = timeout_;
  co_return co_await send(std::move(req), cgi);
}

asio::awaitable<Result<std::string>> WebClient::send(http::Request req, const std::string& cgi) {
  if (!has_credentials()) {
    co_return fail(Errc::kAuth, "no web credentials configured for " + device_id_ +
                                    " (set web_user and web_password)");
  }
  req.auth = http::Auth::kDigest;
  req.username = *user_;
  req.password = *password_;
  req.max_response_bytes = kMaxReplyBytes;
  req.tls.insecure = true;  // stock firmware serves a self-signed certificate, if any
  auto r = co_await http::fetch(std::move(req));
  if (!r) co_return tl::unexpected(Error{r.error().code, device_id_ + ": " + r.error().message});
  if (r->status == 401 || r->status == 403) {
    co_return fail(Errc::kAuth, "web credentials refused by " + device_id_ + " (HTTP " +
                                    std::to_string(r->status) + " on " + cgi + ")");
  }
  if (!r->ok()) {
    co_return fail(Errc::kDeviceError,
                   device_id_ + ": HTTP " + std::to_string(r->status) + " on " + cgi);
  }
  co_return std::move(r->body);
}

}  // namespace rigkeeper::drivers::antminer
