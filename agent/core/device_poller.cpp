#include "agent/core/device_poller.h"

#include <algorithm>
#include <cmath>

#include <spdlog/spdlog.h>

#include "agent/commands/device_directory.h"
#include "drivers/api/registry.h"
#include "drivers/detect.h"

namespace rigkeeper::agent {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

std::shared_ptr<spdlog::logger> logger() {
  static auto log = [] {
    auto l = spdlog::get("poller");
    return l ? l : spdlog::default_logger()->clone("poller");
  }();
  return log;
}

}  // namespace

DevicePoller::DevicePoller(asio::io_context& io, DeviceEntry entry, PollTiming timing,
                           uint32_t seed, SnapshotHandler on_snapshot)
    : io_(io),
      entry_(std::move(entry)),
      timing_(timing),
      rng_(seed),
      on_snapshot_(std::move(on_snapshot)),
      timer_(io) {
  if (entry_.driver != "auto") info_ = drivers::find_driver(entry_.driver);
  status_.id = entry_.id;
  status_.driver = entry_.driver;
  status_.host = entry_.host;
  status_.port = entry_.port.value_or(info_ ? info_->default_port : 4028);
}

void DevicePoller::start() {
  asio::co_spawn(
      io_, [self = shared_from_this()]() -> asio::awaitable<void> { co_await self->run(); },
      asio::detached);
}

void DevicePoller::stop() {
  stopped_ = true;
  timer_.cancel();
}

// Wake-ups are rounded up to a grid of 1/20 of the interval, at most 250 ms: a rack's pollers
// then share their timer expiries and the loop handles their replies in batches (1000 devices
// at 5 s: fifty polls per tick). The shift is within the jitter that spreads them anyway. A
// coarser grid costs peak memory, more polls being in flight at once (docs/PERFORMANCE.md).
steady_clock::time_point DevicePoller::on_grid(steady_clock::time_point t) const {
  const auto tick = std::max<steady_clock::duration>(
      std::min<steady_clock::duration>(milliseconds(250), timing_.interval / 20),
      steady_clock::duration(1));
  const auto since = t.time_since_epoch();
  const auto rounded = (since + tick - steady_clock::duration(1)) / tick * tick;
  return steady_clock::time_point(rounded);
}

asio::awaitable<void> DevicePoller::run() {
  boost::system::error_code ec;
  const auto interval = timing_.interval.count();
  anchor_ = steady_clock::now() +
            milliseconds(std::uniform_int_distribution<int64_t>(0, interval - 1)(rng_));
  slot_ = 0;
  timer_.expires_at(on_grid(anchor_));
  co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  while (!stopped_) {
    co_await poll_once();
    if (stopped_) break;
    timer_.expires_at(on_grid(next_poll_time()));
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

steady_clock::time_point DevicePoller::next_poll_time() {
  const auto now = steady_clock::now();
  if (status_.consecutive_failures >= timing_.quarantine_after) {
    // Quarantined: back off exponentially; the cadence is re-anchored when it recovers.
    const int extra = std::min(status_.consecutive_failures - timing_.quarantine_after, 16);
    const auto backoff =
        std::min<int64_t>(timing_.interval.count() << (extra + 1), timing_.max_backoff.count());
    status_.quarantined_until = now_ms() + milliseconds(backoff);
    anchor_ = now + milliseconds(backoff);
    slot_ = 0;
    return anchor_;
  }
  // One poll per slot: anchor + k * interval, each nudged by up to +-jitter of the interval.
  // Jitter never accumulates, so every device is polled exactly once per cycle.
  const auto interval = timing_.interval;
  ++slot_;
  auto slot_start = anchor_ + interval * slot_;
  if (slot_start < now) {  // the last poll overran its slot: skip to the next one
    slot_ = (now - anchor_) / interval + 1;
    slot_start = anchor_ + interval * slot_;
  }
  const double j = std::uniform_real_distribution<double>(-timing_.jitter, timing_.jitter)(rng_);
  return slot_start + milliseconds(static_cast<int64_t>(j * static_cast<double>(interval.count())));
}

asio::awaitable<void> DevicePoller::poll_once() {
  co_await busy_->lock();  // a command under way on this device finishes first
  commands::AsyncLockGuard guard(busy_);
  if (stopped_) co_return;
  status_.last_poll = now_ms();
  ++status_.polls;
  auto ready = co_await ensure_driver();
  if (!ready) {
    record_failure(ready.error());
    co_return;
  }
  auto snap = co_await driver_->poll();
  if (stopped_) co_return;
  if (!snap) {
    record_failure(snap.error());
    co_return;
  }
  record_success(std::move(*snap));
}

asio::awaitable<Result<drivers::CommandOutcome>> DevicePoller::execute(drivers::DeviceCommand cmd) {
  auto self = shared_from_this();
  co_await busy_->lock();
  commands::AsyncLockGuard guard(busy_);
  auto ready = co_await ensure_driver();
  if (!ready) co_return tl::unexpected(ready.error());
  const uint32_t need = commands::capability_for(cmd.type);
  if (!(info_->capabilities & need))
    co_return fail(Errc::kUnsupported, "device " + entry_.id + ": driver " + info_->name +
                                           " does not support " + cmd.type);
  logger()->info("device={} executing {}", entry_.id, cmd.type);
  co_return co_await driver_->execute(cmd);
}

asio::awaitable<Result<void>> DevicePoller::ensure_driver() {
  if (driver_) co_return Result<void>{};
  if (!info_) {
    auto found = co_await drivers::detect(entry_.host, status_.port, timing_.timeout);
    if (!found) co_return tl::unexpected(found.error());
    info_ = found->driver;
    identity_ = found->identity;
    status_.driver = info_->name;
    if (info_->firmware == "cgminer")
      logger()->warn(
          "device={} firmware not recognised: reading it with the generic cgminer driver",
          entry_.id);
    logger()->info("device={} detected {} {} ({} firmware {}) driver={}", entry_.id,
                   identity_->make, identity_->model, identity_->firmware,
                   identity_->firmware_version.value_or("?"), info_->name);
  }
  drivers::DeviceConfig dc;
  dc.id = entry_.id;
  dc.host = entry_.host;
  dc.port = status_.port;
  dc.timeout = timing_.timeout;
  dc.options = entry_.options;
  if (entry_.family_defaults) {
    if (auto it = entry_.family_defaults->find(info_->name); it != entry_.family_defaults->end())
      for (const auto& [key, value] : it->second.values())
        if (!dc.options.values().count(key)) dc.options.set(key, value);
  }
  driver_ = info_->create(io_.get_executor(), dc);
  if (!driver_) co_return fail(Errc::kInternal, "driver " + info_->name + " could not be created");
  co_return Result<void>{};
}

void DevicePoller::record_success(drivers::DeviceSnapshot snap) {
  snap.device_id = entry_.id;
  snap.host = entry_.host;
  if (snap.ts.time_since_epoch().count() == 0) snap.ts = now_ms();
  if (status_.consecutive_failures > 0)
    logger()->info("device={} recovered after {} failed polls", entry_.id,
                   status_.consecutive_failures);
  status_.consecutive_failures = 0;
  status_.quarantined_until.reset();
  status_.last_error.reset();
  status_.last_ok = snap.ts;
  next_log_at_ = 1;
  status_.last = std::move(snap);
  on_snapshot_(*status_.last, true);
}

void DevicePoller::record_failure(const Error& err) {
  ++status_.failures;
  const int n = ++status_.consecutive_failures;
  status_.last_error = err;
  if (n >= next_log_at_) {
    // Logged at 1, 2, 4, 8... consecutive failures, then "recovered".
    logger()->warn(
        "device={} host={}:{} poll failed ({}): {}{}", entry_.id, entry_.host, status_.port,
        to_string(err.code), err.message,
        n >= timing_.quarantine_after ? fmt::format(" [{} in a row, quarantined]", n) : "");
    next_log_at_ = n * 2;
  }
  // An auto-detected device that keeps answering something its driver cannot read may have
  // changed firmware: forget the driver and identify it again.
  if (entry_.driver == "auto" && n % 5 == 0 &&
      (err.code == Errc::kProtocol || err.code == Errc::kUnsupported)) {
    driver_.reset();
    info_ = nullptr;
  }
  status_.last = offline_snapshot(err);
  on_snapshot_(*status_.last, false);
}

drivers::DeviceSnapshot DevicePoller::offline_snapshot(const Error& err) const {
  drivers::DeviceSnapshot s;
  s.ts = now_ms();
  s.device_id = entry_.id;
  s.host = entry_.host;
  if (status_.last) {
    s.kind = status_.last->kind;
    s.make = status_.last->make;
    s.model = status_.last->model;
    s.firmware = status_.last->firmware;
    s.firmware_version = status_.last->firmware_version;
    s.hashrate_nominal_ths = status_.last->hashrate_nominal_ths;
  } else if (identity_) {
    s.make = identity_->make;
    s.model = identity_->model;
    s.firmware = identity_->firmware;
    s.firmware_version = identity_->firmware_version;
  } else if (info_) {
    s.firmware = info_->firmware;
  }
  s.state = drivers::DeviceState::kOffline;
  s.errors.push_back(std::string(to_string(err.code)) + ": " + err.message);
  return s;
}

}  // namespace rigkeeper::agent
