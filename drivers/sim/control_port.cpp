#include "drivers/sim/control_port.h"

#include <array>
#include <string>

namespace rigkeeper::drivers::sim {

namespace {

using nlohmann::json;
using tcp = asio::ip::tcp;

constexpr size_t kMaxControlBytes = size_t{64} * 1024;
constexpr auto kControlDeadline = std::chrono::seconds(5);

json error(const std::string& message) { return {{"ok", false}, {"error", message}}; }

json add_faults(Fleet& fleet, const json& spec, SimTime now) {
  if (!spec.is_string()) return error("\"fault\" must be a string like \"asic-003:hang\"");
  auto parsed = parse_faults(spec.get<std::string>());
  if (!parsed) return error(parsed.error().message);
  json added = json::array();
  for (const auto& f : *parsed) {
    auto n = fleet.inject(f, now);
    if (!n) return error(n.error().message);
    added.push_back(f.text());
  }
  return {{"ok", true}, {"added", added}};
}

std::string string_field(const json& req, const char* key) {
  const auto it = req.find(key);
  return it != req.end() && it->is_string() ? it->get<std::string>() : std::string();
}

json device_action(Fleet& fleet, const json& req, SimTime now) {
  const std::string action = string_field(req, "action");
  const std::string id = string_field(req, "device");
  AsicDevice* device = fleet.find(id);
  if (!device) return error("no device '" + id.substr(0, 64) + "'");
  if (action == "sleep") {
    device->sleep(now);
  } else if (action == "wake") {
    device->wake(now);
  } else if (action == "reboot") {
    device->reboot(now);
    fleet.reconcile(now);
  } else if (action == "set_power") {
    const auto w = req.find("watts");
    if (w == req.end() || !(w->is_null() || (w->is_number() && w->get<double>() > 0))) {
      return error("set_power needs \"watts\": a positive number or null");
    }
    device->set_power_target(now,
                             w->is_null() ? std::nullopt : std::optional<double>(w->get<double>()));
  } else if (action == "set_profile") {
    if (!device->set_profile(now, string_field(req, "profile"))) {
      return error("no profile '" + string_field(req, "profile").substr(0, 32) + "' on " + id);
    }
  } else if (action == "set_pool") {
    const std::string url = string_field(req, "url");
    if (url.empty()) return error("set_pool needs \"url\"");
    device->set_pool(now, {url, string_field(req, "user")});
  } else {
    return error("unknown action '" + action.substr(0, 32) + "'");
  }
  return {{"ok", true}, {"device", id}, {"action", action}};
}

}  // namespace

json handle_control(Fleet& fleet, std::string_view request, SimTime now) {
  if (request.size() > kMaxControlBytes) return error("request too large");
  const json req = json::parse(request, nullptr, false);
  if (req.is_discarded() || !req.is_object()) return error("expected one JSON object");
  if (req.contains("fault")) return add_faults(fleet, req["fault"], now);
  if (req.contains("clear")) {
    auto n = fleet.clear(string_field(req, "clear"));
    if (!n) return error(n.error().message);
    return {{"ok", true}, {"cleared", *n}};
  }
  if (req.contains("list")) return {{"ok", true}, {"faults", fleet.faults(now)}};
  if (req.contains("state")) {
    auto d = fleet.describe(string_field(req, "state"), now);
    if (!d) return error(d.error().message);
    return {{"ok", true}, {"device", *d}};
  }
  if (req.contains("action")) return device_action(fleet, req, now);
  return error("unknown request: expected fault, clear, list, state or action");
}

ControlPort::ControlPort(asio::any_io_executor executor, Fleet& fleet)
    : executor_(std::move(executor)), fleet_(fleet), acceptor_(executor_) {}

ControlPort::~ControlPort() { close(); }

Result<uint16_t> ControlPort::open(uint16_t port) {
  boost::system::error_code ec;
  const tcp::endpoint ep(asio::ip::address_v4::loopback(), port);
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    close();
    return fail(Errc::kUnreachable,
                "control port 127.0.0.1:" + std::to_string(port) + ": " + ec.message());
  }
  const uint16_t bound = acceptor_.local_endpoint(ec).port();
  asio::co_spawn(executor_, accept_loop(), asio::detached);
  return bound;
}

void ControlPort::close() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

asio::awaitable<void> ControlPort::accept_loop() {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket s = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (!ec) asio::co_spawn(executor_, serve(std::move(s)), asio::detached);
  }
}

asio::awaitable<void> ControlPort::serve(tcp::socket socket) {
  // Shared so the deadline's handler can never reach a destroyed socket.
  const auto sock = std::make_shared<tcp::socket>(std::move(socket));
  asio::steady_timer deadline(executor_, kControlDeadline);
  deadline.async_wait([weak = std::weak_ptr<tcp::socket>(sock)](boost::system::error_code e) {
    if (auto s = weak.lock(); s && !e) s->cancel(e);
  });
  boost::system::error_code ec;
  std::string line;
  std::array<char, 4096> chunk{};
  while (line.find('\n') == std::string::npos && line.size() <= kMaxControlBytes) {
    const size_t n = co_await sock->async_read_some(asio::buffer(chunk),
                                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    line.append(chunk.data(), n);
  }
  const auto reply = handle_control(fleet_, line.substr(0, line.find('\n')), SimClock::now());
  const std::string out =
      reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  co_await asio::async_write(*sock, asio::buffer(out),
                             asio::redirect_error(asio::use_awaitable, ec));
  sock->shutdown(tcp::socket::shutdown_send, ec);
  deadline.cancel();
  sock->close(ec);
}

}  // namespace rigkeeper::drivers::sim
