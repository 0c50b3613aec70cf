#include "drivers/asic/braiins/rest_session.h"

#include <algorithm>

namespace rigkeeper::drivers::braiins {

namespace {

constexpr size_t kMaxReplyBytes = 1u << 20;
constexpr int64_t kDefaultTokenS = 3600;  // when the login reply does not say
constexpr int64_t kRenewMarginS = 30;

// The firmware's own words from an error body ({"message": ...} or text), capped.
std::string firmware_message(const http::Response& r) {
  std::string text = r.body.substr(0, 200);
  try {
    auto j = nlohmann::json::parse(r.body);
    if (j.is_object()) {
      for (const char* k : {"message", "error", "detail"}) {
        auto it = j.find(k);
        if (it != j.end() && it->is_string()) return it->get<std::string>().substr(0, 200);
      }
    }
  } catch (const nlohmann::json::exception&) {
  }
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return text;
}

}  // namespace

RestSession::RestSession(RestEndpoint endpoint) : ep_(std::move(endpoint)) {}

Error RestSession::named(Errc code, std::string_view what) const {
  return Error{code, "device " + ep_.device_id + " (" + ep_.base_url + "): " + std::string(what)};
}

asio::awaitable<Result<void>> RestSession::login() {
  if (!has_credentials()) {
    co_return tl::unexpected(named(Errc::kAuth,
                                   "no username/password configured for the "
                                   "Braiins REST API (driver options)"));
  }
  http::Request req;
  req.method = "POST";
  req.url = ep_.base_url + "/api/v1/auth/login";
  req.headers = {{"Content-Type", "application/json"}};
  req.body = nlohmann::json{{"username", ep_.username}, {"password", ep_.password}}.dump();
  req.timeout = ep_.timeout;
  req.max_response_bytes = 64 * 1024;
  auto resp = co_await http::fetch(std::move(req));
  if (!resp) co_return tl::unexpected(named(resp.error().code, resp.error().message));
  if (resp->status == 404) co_return tl::unexpected(named(Errc::kUnsupported, kNeedsRest));
  if (resp->status == 401 || resp->status == 403) {
    co_return tl::unexpected(named(
        Errc::kAuth,
        "login refused (HTTP " + std::to_string(resp->status) + "): check username/password"));
  }
  if (!resp->ok()) {
    co_return tl::unexpected(named(
        Errc::kDeviceError,
        "login failed (HTTP " + std::to_string(resp->status) + "): " + firmware_message(*resp)));
  }
  auto j = nlohmann::json::parse(resp->body, nullptr, false);
  auto tok = j.is_object() ? j.find("token") : j.end();
  if (!j.is_object() || tok == j.end() || !tok->is_string() || tok->get<std::string>().empty() ||
      tok->get<std::string>().size() > 4096) {
    co_return tl::unexpected(named(Errc::kProtocol, "login reply carries no token"));
  }
  int64_t ttl = kDefaultTokenS;
  if (auto t = j.find("timeout_s"); t != j.end() && t->is_number_integer()) {
    ttl = std::clamp<int64_t>(t->get<int64_t>(), 1, 7 * 86400);
  }
  token_ = tok->get<std::string>();
  token_expires_ = std::chrono::steady_clock::now() +
                   std::chrono::seconds(ttl > 2 * kRenewMarginS ? ttl - kRenewMarginS : ttl);
  co_return Result<void>{};
}

asio::awaitable<Result<http::Response>> RestSession::send(
    std::string_view method, std::string_view path, const std::optional<nlohmann::json>& body) {
  http::Request req;
  req.method = std::string(method);
  req.url = ep_.base_url + "/api/v1/" + std::string(path);
  if (token_) req.headers.emplace_back("Authorization", *token_);
  if (body) {
    req.headers.emplace_back("Content-Type", "application/json");
    req.body = body->dump();
  }
  req.timeout = ep_.timeout;
  req.max_response_bytes = kMaxReplyBytes;
  auto resp = co_await http::fetch(std::move(req));
  if (!resp) co_return tl::unexpected(named(resp.error().code, resp.error().message));
  co_return std::move(*resp);
}

asio::awaitable<Result<nlohmann::json>> RestSession::call(std::string_view method,
                                                          std::string_view path,
                                                          std::optional<nlohmann::json> body) {
  if (!token_ || std::chrono::steady_clock::now() >= token_expires_) {
    token_.reset();
    if (auto ok = co_await login(); !ok) co_return tl::unexpected(ok.error());
  }
  auto resp = co_await send(method, path, body);
  if (resp && resp->status == 401) {  // expired or dropped by a reboot: log in once more
    token_.reset();
    if (auto ok = co_await login(); !ok) co_return tl::unexpected(ok.error());
    resp = co_await send(method, path, body);
  }
  if (!resp) co_return tl::unexpected(resp.error());
  const std::string what = std::string(method) + " /api/v1/" + std::string(path);
  if (resp->status == 401 || resp->status == 403) {
    token_.reset();
    co_return tl::unexpected(
        named(Errc::kAuth, what + " refused (HTTP " + std::to_string(resp->status) + ")"));
  }
  if (resp->status == 404) {
    co_return tl::unexpected(
        named(Errc::kUnsupported, what + ": not found; " + std::string(kNeedsRest)));
  }
  if (!resp->ok()) {
    co_return tl::unexpected(named(
        Errc::kDeviceError,
        what + " failed (HTTP " + std::to_string(resp->status) + "): " + firmware_message(*resp)));
  }
  if (resp->body.find_first_not_of(" \r\n\t") == std::string::npos) co_return nlohmann::json();
  auto j = nlohmann::json::parse(resp->body, nullptr, false);
  if (j.is_discarded())
    co_return tl::unexpected(named(Errc::kProtocol, what + ": reply is not JSON"));
  co_return j;
}

}  // namespace rigkeeper::drivers::braiins
