#include "drivers/asic/vnish/session.h"

#include <algorithm>

namespace rigkeeper::drivers::vnish {

namespace {

constexpr size_t kMaxReplyBytes = 1u << 20;

std::string firmware_message(const http::Response& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
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

}  // namespace

WebSession::WebSession(WebEndpoint endpoint) : ep_(std::move(endpoint)) {}

Error WebSession::named(Errc code, std::string_view what) const {
  return Error{code, "device " + ep_.device_id + " (" + ep_.base_url + "): " + std::string(what)};
}

asio::awaitable<Result<void>> WebSession::unlock() {
  if (!has_password()) {
    co_return tl::unexpected(
        named(Errc::kAuth, "no web_password configured; VNish control needs it"));
  }
  http::Request req;
  req.method = "POST";
  req.url = ep_.base_url + "/api/v1/unlock";
  req.headers = {{"Content-Type", "application/json"}};
  req.body = nlohmann::json{{"pw", ep_.password}}.dump();
  req.timeout = ep_.timeout;
  req.max_response_bytes = 64 * 1024;
  auto resp = co_await http::fetch(std::move(req));
  if (!resp) co_return tl::unexpected(named(resp.error().code, resp.error().message));
  if (resp->status == 401 || resp->status == 403) {
    co_return tl::unexpected(
        named(Errc::kAuth,
              "unlock refused (HTTP " + std::to_string(resp->status) + "): check web_password"));
  }
  if (resp->status == 404) {
    co_return tl::unexpected(named(Errc::kUnsupported, "no /api/v1/unlock: not a VNish web API"));
  }
  if (!resp->ok()) {
    co_return tl::unexpected(named(
        Errc::kDeviceError,
        "unlock failed (HTTP " + std::to_string(resp->status) + "): " + firmware_message(*resp)));
  }
  auto j = nlohmann::json::parse(resp->body, nullptr, false);
  auto tok = j.is_object() ? j.find("token") : j.end();
  if (!j.is_object() || tok == j.end() || !tok->is_string() || tok->get<std::string>().empty() ||
      tok->get<std::string>().size() > 4096) {
    co_return tl::unexpected(named(Errc::kProtocol, "unlock reply carries no token"));
  }
  token_ = tok->get<std::string>();
  co_return Result<void>{};
}

asio::awaitable<Result<http::Response>> WebSession::send(
    std::string_view method, std::string_view path, const std::optional<nlohmann::json>& body) {
  http::Request req;
  req.method = std::string(method);
  req.url = ep_.base_url + "/api/v1/" + std::string(path);
  if (token_) req.headers.emplace_back("Authorization", "Bearer " + *token_);
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

asio::awaitable<Result<nlohmann::json>> WebSession::call(std::string_view method,
                                                         std::string_view path, bool privileged,
                                                         std::optional<nlohmann::json> body) {
  if (privileged && !token_) {
    if (auto ok = co_await unlock(); !ok) co_return tl::unexpected(ok.error());
  }
  auto resp = co_await send(method, path, body);
  if (resp && resp->status == 401 && has_password()) {  // token expired or lost in a reboot
    token_.reset();
    if (auto ok = co_await unlock(); !ok) co_return tl::unexpected(ok.error());
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
    co_return tl::unexpected(named(Errc::kUnsupported, what + ": not found on this VNish version"));
  }
  if (!resp->ok()) {
    co_return tl::unexpected(named(
        Errc::kDeviceError,
        what + " failed (HTTP " + std::to_string(resp->status) + "): " + firmware_message(*resp)));
  }
  if (resp->body.find_first_not_of(" \r\n\t") == std::string::npos) co_return nlohmann::json();
  auto j = nlohmann::json::parse(resp->body, nullptr, false);
  if (j.is_discarded()) {
    co_return tl::unexpected(named(Errc::kProtocol, what + ": reply is not JSON"));
  }
  co_return j;
}

}  // namespace rigkeeper::drivers::vnish
