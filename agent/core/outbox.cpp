#include "agent/core/outbox.h"

#include <algorithm>
#include <limits>

#include <spdlog/spdlog.h>

#include "drivers/api/timestamp.h"

namespace rigkeeper::agent {

namespace {

constexpr int64_t kConnectedFlushBytes = 256 * 1024;

int64_t message_bytes(const OutboxMessage& m) {
  return static_cast<int64_t>(m.topic.size() + m.payload.size());
}

std::shared_ptr<spdlog::logger> logger() {
  static auto log = [] {
    auto l = spdlog::get("outbox");
    return l ? l : spdlog::default_logger()->clone("outbox");
  }();
  return log;
}

}  // namespace

Outbox::Outbox(asio::io_context& io, Store& store, MqttLink& link, OutboxOptions options)
    : store_(store),
      link_(link),
      options_(options),
      flush_timer_(io),
      batch_timer_(io),
      alive_(std::make_shared<bool>(true)) {}

Outbox::~Outbox() { *alive_ = false; }

Result<void> Outbox::start() {
  auto stats = store_.outbox_stats();
  if (!stats) return tl::unexpected(stats.error());
  next_seq_ = stats->max_seq + 1;
  disk_rows_ = stats->rows;
  disk_bytes_ = stats->bytes;
  disk_max_seq_ = stats->max_seq;
  disk_cursor_ = 0;
  dropped_total_ = stats->dropped_total;
  if (disk_rows_ > 0)
    logger()->info("{} messages ({} bytes) waiting from before the restart", disk_rows_,
                   disk_bytes_);
  schedule_flush();
  return {};
}

void Outbox::enqueue(MessageClass cls, std::string topic, std::string payload, int qos,
                     bool retain) {
  OutboxMessage msg{next_seq_++, cls,    std::move(topic),    std::move(payload),
                    qos,         retain, to_unix_ms(now_ms())};
  if (!stopped_ && !droppable(cls)) {
    // Events and acks are on disk (FULL sync) before anything else happens to them.
    pending_.push_back(std::move(msg));
    pending_bytes_ += message_bytes(pending_.back());
    flush_pending(/*durable=*/true);
    pump();
    return;
  }
  // Telemetry waits for its burst; while the link is down the flush timer takes it to disk.
  pending_bytes_ += message_bytes(msg);
  pending_.push_back(std::move(msg));
  trim_memory();
  if (link_.connected()) schedule_batch();
}

void Outbox::publish(OutboxMessage msg, bool on_disk) {
  const int64_t seq = msg.seq;
  auto& sent = inflight_[seq];
  sent = Sent{std::move(msg), on_disk};
  std::weak_ptr<bool> alive = alive_;
  link_.publish(sent.msg.topic, sent.msg.payload, sent.msg.qos, sent.msg.retain,
                [this, alive, seq](bool ok) {
                  if (auto a = alive.lock(); a && *a) on_done(seq, ok);
                });
}

void Outbox::on_done(int64_t seq, bool ok) {
  auto it = inflight_.find(seq);
  if (it == inflight_.end()) return;  // already sent back to disk by a connection loss
  if (ok) {
    ++published_total_;
    if (it->second.on_disk) acked_on_disk_.push_back(seq);
    inflight_.erase(it);
    if (acked_on_disk_.size() >= options_.drain_batch) delete_acked();
    // A backlog drains at the pace of completions; new telemetry waits for its burst unless
    // the in-flight window held it back after the burst left.
    if (disk_max_seq_ > disk_cursor_ || !batch_armed_) pump();
    return;
  }
  // A failed publish is retried from disk, in sequence order, on the next pump or connect.
  if (it->second.on_disk) {
    disk_cursor_ = std::min(disk_cursor_, seq - 1);
  } else {
    OutboxMessage m = std::move(it->second.msg);
    pending_bytes_ += message_bytes(m);
    pending_.insert(std::upper_bound(pending_.begin(), pending_.end(), m.seq,
                                     [](int64_t s, const OutboxMessage& x) { return s < x.seq; }),
                    std::move(m));
    flush_pending(false);
  }
  inflight_.erase(it);
}

void Outbox::on_connected() {
  delete_acked();
  pump();
}

void Outbox::on_connection_lost() {
  reclaim_inflight();
  flush_pending(false);
}

// Nothing unconfirmed is forgotten: memory-only messages go back to pending (in sequence
// order, ahead of anything newer), disk rows are re-read from the lowest unconfirmed seq.
void Outbox::reclaim_inflight() {
  std::vector<OutboxMessage> unconfirmed;
  for (auto& [seq, sent] : inflight_) {
    if (sent.on_disk)
      disk_cursor_ = std::min(disk_cursor_, seq - 1);
    else
      unconfirmed.push_back(std::move(sent.msg));
  }
  inflight_.clear();
  for (auto& m : unconfirmed) pending_bytes_ += message_bytes(m);
  pending_.insert(pending_.begin(), std::make_move_iterator(unconfirmed.begin()),
                  std::make_move_iterator(unconfirmed.end()));
  std::sort(pending_.begin(), pending_.end(),
            [](const OutboxMessage& a, const OutboxMessage& b) { return a.seq < b.seq; });
}

void Outbox::pump() {
  if (stopped_ || !link_.connected()) return;
  while (inflight_.size() < options_.max_inflight) {
    if (disk_max_seq_ > disk_cursor_) {
      const std::size_t room =
          std::min(options_.drain_batch, options_.max_inflight - inflight_.size());
      auto rows = store_.outbox_read(disk_cursor_, room);
      if (!rows) {
        logger()->error("cannot read the outbox: {}", rows.error().message);
        return;
      }
      if (rows->empty()) {
        disk_cursor_ = disk_max_seq_;  // the rest was dropped at the cap or already deleted
        continue;
      }
      for (auto& m : *rows) {
        disk_cursor_ = m.seq;
        publish(std::move(m), /*on_disk=*/true);
      }
      continue;
    }
    if (pending_.empty()) break;
    OutboxMessage m = std::move(pending_.front());
    pending_.pop_front();
    pending_bytes_ -= message_bytes(m);
    publish(std::move(m), /*on_disk=*/false);
  }
}

void Outbox::flush_pending(bool durable) {
  if (pending_.empty()) return;
  std::vector<OutboxMessage> batch(std::make_move_iterator(pending_.begin()),
                                   std::make_move_iterator(pending_.end()));
  pending_.clear();
  auto r = store_.outbox_append(batch, durable);
  if (!r) {
    // Keep them in memory (bounded by trim_memory) and try again on the next flush.
    logger()->error("cannot write {} messages to the outbox: {}", batch.size(), r.error().message);
    pending_.assign(std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
    trim_memory();
    return;
  }
  pending_bytes_ = 0;
  disk_max_seq_ = std::max(disk_max_seq_, batch.back().seq);
  disk_cursor_ = std::min(disk_cursor_, batch.front().seq - 1);
  disk_rows_ += static_cast<int64_t>(batch.size());
  for (const auto& m : batch) disk_bytes_ += message_bytes(m);
  if (disk_bytes_ > options_.disk_max_bytes) {
    auto cap = store_.outbox_enforce_cap_detailed(options_.disk_max_bytes);
    if (!cap) {
      logger()->error("cannot enforce the outbox cap: {}", cap.error().message);
    } else {
      if (cap->dropped > 0) {
        dropped_total_ += cap->dropped;
        logger()->warn("outbox at its cap of {} bytes: dropped the {} oldest telemetry messages",
                       options_.disk_max_bytes, cap->dropped);
      }
      if (cap->over_cap)
        logger()->warn("outbox holds {} bytes of events and acks alone, over its cap of {}: kept",
                       cap->bytes_after, options_.disk_max_bytes);
    }
    if (auto st = store_.outbox_stats()) {
      disk_rows_ = st->rows;
      disk_bytes_ = st->bytes;
    }
  }
}

void Outbox::delete_acked() {
  if (acked_on_disk_.empty()) return;
  auto r = store_.outbox_delete(acked_on_disk_);
  if (!r) {
    logger()->error("cannot delete delivered rows: {}", r.error().message);
    return;  // they will be delivered again: at-least-once
  }
  acked_on_disk_.clear();
  if (auto st = store_.outbox_stats()) {
    disk_rows_ = st->rows;
    disk_bytes_ = st->bytes;
  }
}

void Outbox::trim_memory() {
  int64_t dropped = 0;
  auto it = pending_.begin();
  while (pending_bytes_ > options_.memory_max_bytes && it != pending_.end()) {
    if (droppable(it->cls)) {
      pending_bytes_ -= message_bytes(*it);
      it = pending_.erase(it);
      ++dropped;
    } else {
      ++it;
    }
  }
  if (dropped > 0) {
    dropped_total_ += dropped;
    (void)store_.outbox_count_dropped(dropped);
    logger()->warn("outbox memory full and disk refusing writes: dropped {} telemetry messages",
                   dropped);
  }
}

void Outbox::schedule_flush() {
  if (stopped_) return;
  flush_timer_.expires_after(options_.flush_interval);
  std::weak_ptr<bool> alive = alive_;
  flush_timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    auto a = alive.lock();
    if (ec || !a || !*a || stopped_) return;
    delete_acked();
    if (!link_.connected() || pending_bytes_ > kConnectedFlushBytes) flush_pending(false);
    pump();
    schedule_flush();
  });
}

void Outbox::schedule_batch() {
  if (batch_armed_ || stopped_) return;
  batch_armed_ = true;
  batch_timer_.expires_after(options_.publish_batch);
  std::weak_ptr<bool> alive = alive_;
  batch_timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    auto a = alive.lock();
    if (!a || !*a) return;
    batch_armed_ = false;
    if (!ec && !stopped_) pump();
  });
}

void Outbox::stop() {
  if (stopped_) return;
  stopped_ = true;
  flush_timer_.cancel();
  batch_timer_.cancel();
  delete_acked();
  reclaim_inflight();
  flush_pending(/*durable=*/true);
}

OutboxCounters Outbox::counters() const {
  OutboxCounters c;
  c.pending_rows = static_cast<int64_t>(pending_.size() + inflight_.size());
  c.disk_rows = disk_rows_;
  c.disk_bytes = disk_bytes_;
  c.dropped_total = dropped_total_;
  c.published_total = published_total_;
  return c;
}

}  // namespace rigkeeper::agent
