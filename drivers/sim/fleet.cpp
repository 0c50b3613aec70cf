#include "drivers/sim/fleet.h"

#include <cmath>

#include "drivers/sim/cgminer_dispatch.h"
#include "drivers/sim/fleet_slot.h"
#include "drivers/sim/noise.h"
#include "drivers/sim/reply_damage.h"
#include "drivers/sim/responder.h"

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

void Fleet::stop() {
  if (running_) *running_ = false;
  for (auto& s : slots_) {
    if (s->listener) s->listener->close();
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
  }
}

std::vector<EmittedDevice> Fleet::devices() const {
  std::vector<EmittedDevice> out;
  for (const auto& s : slots_) {
    const auto& id = s->device.identity();
    out.push_back({id.id, std::string(driver_name(id.family)), std::string(id.model->name),
                   s->endpoint.host, s->endpoint.port});
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
  const Json reply = answer_json(request, reading, responder_for(s.device.identity().family));
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

}  // namespace rigkeeper::drivers::sim
