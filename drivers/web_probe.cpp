#include "drivers/web_probe.h"

#include <optional>
#include <utility>

#include "drivers/probe_join.h"

namespace rigkeeper::drivers {

namespace {

/// Larger replies are refused by the client; index pages of miner UIs are a few KiB.
constexpr std::size_t kWebProbeMaxResponse = 1u << 20;

asio::awaitable<Result<http::Response>> get(std::string url, std::chrono::milliseconds timeout) {
  http::Request request;
  request.url = std::move(url);
  request.timeout = timeout;
  request.max_response_bytes = kWebProbeMaxResponse;
  co_return co_await http::fetch(std::move(request));
}

}  // namespace

std::string web_url(const std::string& host, uint16_t port, const std::string& path) {
  std::string url = "http://";
  url += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != 80) url += ":" + std::to_string(port);
  url += path.empty() || path.front() != '/' ? "/" + path : path;
  return url;
}

WebProbe web_probe_from(std::string url, const http::Response& response) {
  WebProbe probe;
  probe.url = std::move(url);
  probe.status = response.status;
  probe.realm = http::challenge_realm(response).value_or("");
  probe.server = response.header("server").value_or("");
  probe.body = response.body.substr(0, kWebProbeBodyBytes);
  return probe;
}

asio::awaitable<std::vector<WebProbe>> gather_web(std::string host, uint16_t port,
                                                  std::vector<std::string> paths,
                                                  std::chrono::milliseconds timeout,
                                                  Error* first_error) {
  std::vector<WebProbe> found;
  const std::string root_url = web_url(host, port, "/");
  auto root = co_await get(root_url, timeout);
  if (!root) {
    if (first_error != nullptr) *first_error = root.error();
    co_return found;
  }
  found.push_back(web_probe_from(root_url, *root));

  std::vector<std::optional<WebProbe>> replies(paths.size());
  std::vector<ProbeTask> tasks;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (paths[i] == "/" || paths[i].empty()) continue;
    tasks.push_back([&, i]() -> asio::awaitable<void> {
      const std::string url = web_url(host, port, paths[i]);
      auto reply = co_await get(url, timeout);
      if (reply) replies[i] = web_probe_from(url, *reply);
    });
  }
  co_await run_all(std::move(tasks));
  for (auto& reply : replies)
    if (reply) found.push_back(std::move(*reply));
  co_return found;
}

}  // namespace rigkeeper::drivers
