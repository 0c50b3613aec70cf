#include "drivers/asic/common/token_rest_session.h"

#include <algorithm>

#include "drivers/api/json_reader.h"

namespace rigkeeper::drivers::asic {

namespace {

constexpr size_t kMaxReplyBytes = 1u << 20;
constexpr size_t kMaxLoginReplyBytes = 64 * 1024;
constexpr size_t kMaxTokenBytes = 4096;
constexpr int64_t kMaxTtlS = 7 * 86400;
constexpr int64_t kRenewMarginS = 30;  // renew this long before the firmware's timeout

// The firmware's own words from an error body ({"message": ...} or plain text), one line, capped.
std::string firmware_message(const http::Response& r) {
  auto j = read_json(r.body);
  if (j.is_object()) {
    for (const char* k : {"message", "error", "err", "detail"}) {
      auto it = j.find(k);
      if (it != j.end() && it->is_string()) return it->get<std::string>().substr(0, 200);
    }
  }
  std::string text = r.body.substr(0, 200);
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return text;
}

std::string http_status(int status) { return "(HTTP " + std::to_string(status) + ")"; }

}  // namespace

TokenRestSession::TokenRestSession(TokenRestApi api, TokenRestEndpoint endpoint)
    : api_(std::move(api)), ep_(std::move(endpoint)) {}

Error TokenRestSession::named(Errc code, std::string_view what) const {
  return Error{code, "device " + ep_.device_id + " (" + ep_.base_url + "): " + std::string(what)};
}

bool TokenRestSession::token_valid() const {
  return token_ && (!token_expires_ || std::chrono::steady_clock::now() < *token_expires_);
}

asio::awaitable<Result<void>> TokenRestSession::login() {
  token_.reset();
  token_expires_.reset();
  if (!has_credentials()) co_return tl::unexpected(named(Errc::kAuth, api_.no_credentials));
  http::Request req;
  req.method = "POST";
  req.url = ep_.base_url + "/api/v1/" + api_.login_path;
  req.headers = {{"Content-Type", "application/json"}};
  req.body = ep_.credentials->dump();
  req.timeout = ep_.timeout;
  req.max_response_bytes = kMaxLoginReplyBytes;
  auto resp = co_await http::fetch(std::move(req));
  if (!resp) co_return tl::unexpected(named(resp.error().code, resp.error().message));
  if (resp->status == 401 || resp->status == 403) {
    co_return tl::unexpected(named(
        Errc::kAuth,
        api_.login_verb + " refused " + http_status(resp->status) + ": " + api_.credentials_hint));
  }
  if (resp->status == 404)
    co_return tl::unexpected(named(Errc::kUnsupported, api_.login_not_found));
  if (!resp->ok()) {
    co_return tl::unexpected(named(
        Errc::kDeviceError,
        api_.login_verb + " failed " + http_status(resp->status) + ": " + firmware_message(*resp)));
  }
  auto j = read_json(resp->body);
  auto tok = j.is_object() ? j.find("token") : j.end();
  if (!j.is_object() || tok == j.end() || !tok->is_string() || tok->get<std::string>().empty() ||
      tok->get<std::string>().size() > kMaxTokenBytes) {
    co_return tl::unexpected(named(Errc::kProtocol, api_.login_verb + " reply carries no token"));
  }
  std::optional<int64_t> ttl;
  if (api_.default_ttl) ttl = api_.default_ttl->count();
  if (auto t = j.find("timeout_s"); t != j.end() && t->is_number_integer())
    ttl = std::clamp<int64_t>(t->get<int64_t>(), 1, kMaxTtlS);
  token_ = tok->get<std::string>();
  if (ttl) {
    token_expires_ = std::chrono::steady_clock::now() +
                     std::chrono::seconds(*ttl > 2 * kRenewMarginS ? *ttl - kRenewMarginS : *ttl);
  }
  co_return Result<void>{};
}

asio::awaitable<Result<http::Response>> TokenRestSession::send(
    std::string_view method, std::string_view path, const std::optional<nlohmann::json>& body) {
  http::Request req;
  req.method = std::string(method);
  req.url = ep_.base_url + "/api/v1/" + std::string(path);
  if (token_) {
    req.headers.emplace_back("Authorization",
                             api_.auth_scheme.empty() ? *token_ : api_.auth_scheme + " " + *token_);
  }
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

asio::awaitable<Result<nlohmann::json>> TokenRestSession::call(std::string_view method,
                                                               std::string_view path, Auth auth,
                                                               std::optional<nlohmann::json> body) {
  if (auth == Auth::kToken && !token_valid()) {
    if (auto ok = co_await login(); !ok) co_return tl::unexpected(ok.error());
  }
  auto resp = co_await send(method, path, body);
  if (resp && resp->status == 401 && has_credentials()) {  // expired or lost in a reboot
    if (auto ok = co_await login(); !ok) co_return tl::unexpected(ok.error());
    resp = co_await send(method, path, body);
  }
  if (!resp) co_return tl::unexpected(resp.error());
  const std::string what = std::string(method) + " /api/v1/" + std::string(path);
  if (resp->status == 401 || resp->status == 403) {
    token_.reset();
    co_return tl::unexpected(named(Errc::kAuth, what + " refused " + http_status(resp->status)));
  }
  if (resp->status == 404)
    co_return tl::unexpected(named(Errc::kUnsupported, what + ": " + api_.call_not_found));
  if (!resp->ok()) {
    co_return tl::unexpected(
        named(Errc::kDeviceError,
              what + " failed " + http_status(resp->status) + ": " + firmware_message(*resp)));
  }
  if (resp->body.find_first_not_of(" \r\n\t") == std::string::npos) co_return nlohmann::json();
  auto j = read_json(resp->body);
  if (j.is_discarded())
    co_return tl::unexpected(named(Errc::kProtocol, what + ": reply is not JSON"));
  co_return j;
}

}  // namespace rigkeeper::drivers::asic
