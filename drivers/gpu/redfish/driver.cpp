#include "drivers/gpu/redfish/driver.h"

#include <atomic>
#include <cmath>

#include <spdlog/spdlog.h>

namespace rigkeeper::drivers::redfish {
namespace {

constexpr size_t kMaxResourceBytes = 1u << 20;  // the largest mockup resource is ~40 KiB

std::string make_base(const DeviceConfig& config, bool http) {
  std::string host = config.host;
  if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
  return std::string(http ? "http://" : "https://") + host + ":" +
         std::to_string(config.port.value_or(http ? 80 : kDefaultPort));
}

std::string status_text(long status) { return "HTTP " + std::to_string(status); }

}  // namespace

RedfishDriver::RedfishDriver(asio::any_io_executor executor, const DeviceConfig& config)
    : GpuNodeDriver(std::move(executor), config, "redfish"), timeout_(config.timeout) {
  const auto& o = config.options;
  const bool http = o.get_string("scheme").value_or("https") == "http";
  allowed_ = !http || o.get_bool("allow_http").value_or(false);
  base_ = make_base(config, http);
  username_ = o.get_string("username").value_or("");
  password_ = o.get_string("password").value_or("");
  session_auth_ = o.get_string("auth").value_or("session") != "basic";
  system_ = o.get_string("system");
  if (system_ && system_->empty()) system_.reset();
  ca_file_ = o.get_string("ca_file").value_or("");
  insecure_ = o.get_bool("insecure").value_or(false);
  if (insecure_) {
    static std::atomic<bool> warned{false};
    if (!warned.exchange(true)) {
      spdlog::warn("redfish: device={} insecure = true: the BMC's TLS certificate is not verified",
                   device_id_);
    }
  }
  fetch_ = [this](std::string uri) { return get_json(std::move(uri)); };
}

RedfishDriver::~RedfishDriver() {
  if (token_.empty() || session_uri_.empty()) return;
  // Log out (best effort): the BMC frees the session slot instead of waiting for its timeout.
  http::Request req;
  req.method = "DELETE";
  req.url = session_uri_.starts_with("http") ? session_uri_ : base_ + session_uri_;
  req.timeout = timeout_;
  req.headers.emplace_back("X-Auth-Token", token_);
  req.tls.ca_file = ca_file_;
  req.tls.insecure = insecure_;
  http::fetch_async(executor_, std::move(req), [](Result<http::Response>) {});
}

Error RedfishDriver::on_device(Error e) const { return name_device(std::move(e)); }

asio::awaitable<Result<void>> RedfishDriver::login() {
  http::Request req;
  req.method = "POST";
  req.url = base_ + "/redfish/v1/SessionService/Sessions";
  req.timeout = timeout_;
  req.max_response_bytes = kMaxResourceBytes;
  req.headers.emplace_back("Content-Type", "application/json");
  req.body = Json{{"UserName", username_}, {"Password", password_}}.dump();
  req.tls.ca_file = ca_file_;
  req.tls.insecure = insecure_;
  auto resp = co_await http::fetch(std::move(req));
  if (!resp) co_return tl::unexpected(resp.error());
  if (resp->status == 401 || resp->status == 403) {
    co_return fail(Errc::kAuth,
                   base_ + ": session login refused (" + status_text(resp->status) + ")");
  }
  auto token = resp->header("x-auth-token");
  if (!resp->ok() || !token || token->empty()) {
    co_return fail(Errc::kProtocol, base_ + ": session login answered " +
                                        status_text(resp->status) + " without X-Auth-Token");
  }
  token_ = *token;
  session_uri_ = resp->header("location").value_or("");
  co_return Result<void>{};
}

asio::awaitable<Result<http::Response>> RedfishDriver::send(std::string method, std::string path,
                                                            std::string body) {
  if (!allowed_) {
    co_return fail(Errc::kConfig, base_ + ": plain http refused (set allow_http = true)");
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (session_auth_ && token_.empty()) {
      auto ok = co_await login();
      if (!ok) co_return tl::unexpected(ok.error());
    }
    http::Request req;
    req.method = method;
    req.url = path.starts_with("http") ? path : base_ + path;
    req.timeout = timeout_;
    req.max_response_bytes = kMaxResourceBytes;
    req.headers.emplace_back("Accept", "application/json");
    if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
    req.body = body;
    req.tls.ca_file = ca_file_;
    req.tls.insecure = insecure_;
    if (session_auth_) {
      req.headers.emplace_back("X-Auth-Token", token_);
    } else if (!username_.empty()) {
      req.auth = http::Auth::kBasic;
      req.username = username_;
      req.password = password_;
    }
    auto resp = co_await http::fetch(std::move(req));
    if (!resp) co_return resp;
    if (resp->status == 401 && session_auth_ && attempt == 0) {
      token_.clear();  // the session expired or the BMC restarted: log in again once
      continue;
    }
    co_return resp;
  }
  co_return fail(Errc::kAuth, base_ + path + ": refused after a fresh session login");
}

asio::awaitable<Result<Json>> RedfishDriver::get_json(std::string path) {
  const std::string method = "GET";
  const std::string no_body;
  auto resp = co_await send(method, path, no_body);
  if (!resp) co_return tl::unexpected(resp.error());
  if (resp->status == 401 || resp->status == 403) {
    co_return fail(Errc::kAuth, base_ + path + " answered " + status_text(resp->status));
  }
  if (!resp->ok()) {
    co_return fail(Errc::kProtocol, base_ + path + " answered " + status_text(resp->status));
  }
  co_return parse_body(resp->body, base_ + path);
}

asio::awaitable<Result<gpu::GpuNodeReading>> RedfishDriver::read() {
  auto node = co_await crawl(fetch_, system_);
  if (!node) co_return tl::unexpected(node.error());
  gpu::GpuNodeReading reading;
  reading.gpus = make_snapshot(*node).gpus;
  co_return reading;
}

asio::awaitable<Result<DeviceSnapshot>> RedfishDriver::poll() {
  auto node = co_await crawl(fetch_, system_);
  if (!node) co_return tl::unexpected(on_device(node.error()));
  DeviceSnapshot snap = make_snapshot(*node);
  snap.device_id = device_id_;
  snap.host = host_;
  snap.ts = now_ms();
  last_ = std::move(*node);
  co_return snap;
}

}  // namespace rigkeeper::drivers::redfish
