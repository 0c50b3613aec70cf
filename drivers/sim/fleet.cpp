#include "drivers/sim/fleet.h"

#include <cmath>

#include "drivers/sim/cgminer_dispatch.h"
#include "drivers/sim/fleet_slot.h"
#include "drivers/sim/noise.h"
#include "drivers/sim/reply_damage.h"
#include "drivers/sim/responder.h"
#include "drivers/sim/whatsminer_firmware.h"

namespace rigkeeper::drivers::sim {

namespace {

constexpr auto kTickPeriod = std::chrono::milliseconds(250);

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::chrono::milliseconds seconds_ms(double s) {
  return std::chrono::milliseconds(static_cast<int64_t>(std::llround(s * 1000.0)));
}

}  // namespace

Fleet::Fleet(asio::any_io_executor executor, FleetOptions options)
    : executor_(std::move(executor)), options_(std::move(options)) {}

Fleet::~Fleet() { stop(); }

Result<std::unique_ptr<Fleet>> Fleet::create(asio::any_io_executor executor, FleetOptions options) {
  if (options.asics < 0 || options.asics > kMaxAsics) {
    return fail(Errc::kInvalidArgument, "--asics must be 0.." + std::to_string(kMaxAsics) +
                                            ", not " + std::to_string(options.asics));
  }
  if (!(options.delay_scale >= 0 && options.delay_scale <= 1000)) {
    return fail(Errc::kInvalidArgument, "--delay-scale must be 0..1000");
  }
  auto plan = plan_listen(options.listen, options.asics);
  if (!plan) return tl::unexpected(plan.error());
  std::unique_ptr<Fleet> fleet(new Fleet(std::move(executor), std::move(options)));
  const auto boot = SimClock::now();
  const Delays delays = Delays{}.scaled(fleet->options_.delay_scale);
  for (int i = 0; i < fleet->options_.asics; ++i) {
    auto identity = make_identity(i, fleet->options_.seed);
    identity.ip = (*plan)[static_cast<size_t>(i)].host;
    fleet->slots_.push_back(
        std::make_unique<Slot>(std::move(identity), boot, delays, (*plan)[static_cast<size_t>(i)]));
  }
  // Validate the start-up faults now, so a typo fails before anything listens.
  for (const auto& f : fleet->options_.faults) {
    if (f.target == "*") continue;
    if (auto s = fleet->slot_for(f.target); !s) return tl::unexpected(s.error());
  }
  return fleet;
}

Result<Fleet::Slot*> Fleet::slot_for(std::string_view id) {
  for (auto& s : slots_) {
    if (s->device.id() == id) return s.get();
  }
  return fail(Errc::kInvalidArgument,
              "no device '" + std::string(id.substr(0, 64)) + "' (devices are asic-001.." +
                  (slots_.empty() ? std::string("none") : slots_.back()->device.id()) + ")");
}

AsicDevice* Fleet::find(std::string_view id) {
  auto s = slot_for(id);
  return s ? &(*s)->device : nullptr;
}

Result<void> Fleet::start() {
  for (size_t i = 0; i < slots_.size(); ++i) {
    auto& slot = *slots_[i];
    slot.listener = std::make_unique<CgminerListener>(
        executor_, slot.endpoint,
        [this, i](std::string_view request) { return handle(i, request, SimClock::now()); },
        options_.timeouts);
    if (auto ok = slot.listener->open(); !ok) {
      return fail(ok.error().code, slot.device.id() + ": " + ok.error().message);
    }
    slot.endpoint = slot.listener->endpoint();
    if (auto ok = start_web(i); !ok) return ok;
    if (auto ok = start_v3(i); !ok) return ok;
  }
  const auto now = SimClock::now();
  for (const auto& f : options_.faults) {
    if (auto n = inject(f, now); !n) return tl::unexpected(n.error());
  }
  reconcile(now);
  running_ = std::make_shared<bool>(true);
  asio::co_spawn(executor_, tick_loop(), asio::detached);
  return {};
}

Result<void> Fleet::start_web(size_t i) {
  auto& slot = *slots_[i];
  const bool own_address = per_device_addresses(options_.listen);
  for (const WebResponder* responder : web_responders_for(slot.device.identity().family)) {
    const size_t w = slot.web.size();
    auto make_server = [&](uint16_t port) {
      return std::make_unique<HttpServer>(
          executor_, slot.endpoint.host, port,
          [this, i, w](const HttpRequest& r) { return handle_http(i, w, r, SimClock::now()); },
          options_.timeouts);
    };
    const uint16_t usual = own_address ? responder->default_port() : uint16_t{0};
    auto server = make_server(usual);
    auto ok = server->start();
    // Port 80 needs root (or CAP_NET_BIND_SERVICE); without it the device keeps its own
    // address and the kernel picks the port, which --emit-config writes as usual.
    if (!ok && usual != 0 && usual < 1024) {
      server = make_server(0);
      ok = server->start();
    }
    if (!ok) return fail(ok.error().code, slot.device.id() + ": " + ok.error().message);
    slot.web.push_back({responder, std::move(server)});
  }
  return {};
}

void Fleet::stop() {
  if (running_) *running_ = false;
  for (auto& s : slots_) {
    if (s->listener) s->listener->close();
    for (auto& w : s->web) w.server->stop();
    if (s->v3) s->v3->close();
  }
}

asio::awaitable<void> Fleet::tick_loop() {
  const auto running = running_;
  asio::steady_timer timer(executor_);
  while (*running) {
    timer.expires_after(kTickPeriod);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!*running) co_return;
    reconcile(SimClock::now());
  }
}

void Fleet::reconcile(SimTime now) {
  for (auto& s : slots_) {
    s->faults.expire(now);
    if (!s->listener) continue;
    const bool want = !s->faults.refusing(now) && s->device.reachable(now);
    if (want && !s->listener->is_open()) {
      (void)s->listener->open();  // a failed re-bind is retried on the next tick
    } else if (!want && s->listener->is_open()) {
      s->listener->close();
    }
    for (auto& w : s->web) {  // every port of the device follows the cgminer socket
      if (want && !w.server->listening()) {
        (void)w.server->start();
      } else if (!want && w.server->listening()) {
        w.server->stop();
      }
    }
    if (s->v3 && want != s->v3->is_open()) {
      if (want)
        (void)s->v3->open();
      else
        s->v3->close();
    }
  }
}

std::vector<EmittedDevice> Fleet::devices() const {
  std::vector<EmittedDevice> out;
  for (const auto& s : slots_) {
    const auto& id = s->device.identity();
    EmittedDevice d{id.id, std::string(driver_name(id.family)), std::string(id.model->name),
                    s->endpoint.host, s->endpoint.port};
    for (const auto& w : s->web) {
      std::string key(w.responder->config_key());
      std::string name =
          key.size() > 5 && key.ends_with("_port") ? key.substr(0, key.size() - 5) : key;
      d.web.push_back({std::move(name), std::move(key), w.server->port()});
      for (auto& o : w.responder->config_options(s->device)) d.options.push_back(std::move(o));
    }
    if (s->v3) d.web.push_back({"v3", "v3_port", s->v3->endpoint().port});
    if (id.family == Family::kWhatsminer)
      d.options.emplace_back("admin_password", std::string(whatsminer::kDefaultPassword));
    out.push_back(std::move(d));
  }
  return out;
}

ServerResponse Fleet::handle(size_t index, std::string_view request, SimTime now) {
  auto& s = *slots_.at(index);
  const uint64_t serial = ++s.requests;
  if (!s.device.reachable(now)) return {ServerResponse::Mode::kReset, {}, {}};
  const auto fault = s.faults.transport(now);
  if (fault && fault->kind == FaultKind::kHang) return {ServerResponse::Mode::kHang, {}, {}};
  if (fault && (fault->kind == FaultKind::kReset || fault->kind == FaultKind::kRefuse)) {
    return {ServerResponse::Mode::kReset, {}, {}};
  }
  const auto reading = s.device.read(now, unix_now(), s.faults.health(now));
  const DeviceAccess access{&s.device, now};
  const auto& responder = responder_for(s.device.identity().family);
  auto special = s.device.identity().family == Family::kWhatsminer
                     ? whatsminer::v2_special(request, reading, access, responder)
                     : std::nullopt;
  const Json reply =
      special ? std::move(*special) : answer_json(request, reading, responder, &access);
  ServerResponse r;
  if (!fault) {
    r.bytes = to_wire(reply);
    r.bytes.push_back('\0');
    return r;
  }
  switch (fault->kind) {
    case FaultKind::kGarbage:
      r.bytes = garbage_reply(hash_of({options_.seed, index, serial}),
                              static_cast<size_t>(fault->arg(0, 200)));
      break;
    case FaultKind::kTruncate:
      r.bytes = truncated_reply(to_wire(reply) + '\0', fault->arg(0, 50));
      break;
    case FaultKind::kMalformed:
      r.bytes = malformed_reply(to_wire(reply), serial);
      break;
    default:  // slow
      r.delay = seconds_ms(fault->arg(0, 8));
      r.bytes = to_wire(reply) + '\0';
      break;
  }
  return r;
}

HttpReply Fleet::handle_http(size_t index, size_t web, const HttpRequest& request, SimTime now) {
  auto& s = *slots_.at(index);
  const uint64_t serial = ++s.requests;
  HttpReply reset;
  reset.mode = ServerResponse::Mode::kReset;
  if (!s.device.reachable(now)) return reset;
  const auto fault = s.faults.transport(now);
  if (fault && fault->kind == FaultKind::kHang) {
    HttpReply hang;
    hang.mode = ServerResponse::Mode::kHang;
    return hang;
  }
  if (fault && (fault->kind == FaultKind::kReset || fault->kind == FaultKind::kRefuse)) {
    return reset;
  }
  HttpReply reply = s.web.at(web).responder->respond(request, s.device, now, unix_now());
  if (!fault) return reply;
  switch (fault->kind) {
    case FaultKind::kGarbage:
      reply.body = garbage_reply(hash_of({options_.seed, index, serial}),
                                 static_cast<size_t>(fault->arg(0, 200)));
      break;
    case FaultKind::kTruncate:
      reply.body = truncated_reply(reply.body, fault->arg(0, 50));
      break;
    case FaultKind::kMalformed:
      reply.body = malformed_reply(reply.body, serial);
      break;
    default:  // slow
      reply.delay = seconds_ms(fault->arg(0, 8));
      break;
  }
  return reply;
}

}  // namespace rigkeeper::drivers::sim
