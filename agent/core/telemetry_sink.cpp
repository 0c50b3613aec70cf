#include "agent/core/telemetry_sink.h"

#include <spdlog/spdlog.h>

namespace rigkeeper::agent {

namespace {
constexpr int64_t kPruneEveryMs = 10 * 60 * 1000;
constexpr std::size_t kHistoryBatch = 512;
}  // namespace

TelemetrySink::TelemetrySink(asio::io_context& io, Store& store, Outbox& outbox,
                             const Topics& topics, TelemetrySinkOptions options)
    : store_(store), outbox_(outbox), topics_(topics), options_(options), timer_(io) {}

void TelemetrySink::start() {
  prune_history();
  schedule();
}

void TelemetrySink::stop() {
  stopped_ = true;
  timer_.cancel();
  flush_history();
}

void TelemetrySink::on_snapshot(const drivers::DeviceSnapshot& snap) {
  std::string payload = drivers::to_json_string(snap);
  const int64_t ts = to_unix_ms(snap.ts);
  auto& last = last_history_ms_[snap.device_id];
  if (last == 0 || ts - last >= options_.history_interval.count()) {
    last = ts;
    history_buffer_.push_back(HistoryRow{snap.device_id, ts, payload});
    if (history_buffer_.size() >= kHistoryBatch) flush_history();
  }
  outbox_.enqueue(MessageClass::kTelemetry, topics_.telemetry(snap.device_id), std::move(payload),
                  options_.telemetry_qos);
}

void TelemetrySink::flush_history() {
  if (history_buffer_.empty()) return;
  if (auto r = store_.history_append(history_buffer_); !r)
    spdlog::error("cannot write {} history rows: {}", history_buffer_.size(), r.error().message);
  history_buffer_.clear();
}

void TelemetrySink::prune_history() {
  const int64_t now = to_unix_ms(now_ms());
  last_prune_ms_ = now;
  auto r =
      store_.history_prune(now - options_.history_retention.count(), options_.history_max_bytes);
  if (!r)
    spdlog::error("cannot prune the history: {}", r.error().message);
  else if (*r > 0)
    spdlog::debug("history: pruned {} rows", *r);
}

void TelemetrySink::schedule() {
  if (stopped_) return;
  timer_.expires_after(options_.history_flush_interval);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    flush_history();
    if (to_unix_ms(now_ms()) - last_prune_ms_ >= kPruneEveryMs) prune_history();
    schedule();
  });
}

}  // namespace rigkeeper::agent
