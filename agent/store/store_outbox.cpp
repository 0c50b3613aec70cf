// The outbox: messages not yet confirmed by the broker, in seq order, capped in bytes.
#include <algorithm>
#include <limits>
#include <string>

#include "agent/store/store_statements.h"

namespace rigkeeper::agent {
namespace {

int64_t message_bytes(const OutboxMessage& m) {
  return static_cast<int64_t>(m.topic.size() + m.payload.size());
}

Result<void> validate(const OutboxMessage& m) {
  const int cls = static_cast<int>(m.cls);
  if (m.seq <= 0)
    return fail(Errc::kInvalidArgument,
                "outbox: seq must be positive, got " + std::to_string(m.seq));
  if (cls < 0 || cls > static_cast<int>(MessageClass::kAck)) {
    return fail(Errc::kInvalidArgument, "outbox: unknown message class " + std::to_string(cls));
  }
  if (m.qos < 0 || m.qos > 2)
    return fail(Errc::kInvalidArgument, "outbox: qos must be 0..2, got " + std::to_string(m.qos));
  return {};
}

}  // namespace

Result<void> Store::outbox_append(std::span<const OutboxMessage> messages, bool durable) {
  if (messages.empty()) return {};
  int64_t bytes = 0;
  int64_t high = 0;
  for (const OutboxMessage& m : messages) {
    if (auto r = validate(m); !r) return r;
    bytes += message_bytes(m);
    high = std::max(high, m.seq);
  }
  auto& s = *stmts_;
  const int64_t new_max = std::max(s.max_seq, high);
  auto body = [&]() -> Result<void> {
    for (const OutboxMessage& m : messages) {
      sqlite::Run run(s.outbox_insert);
      run.i64(1, m.seq).i64(2, static_cast<int>(m.cls)).text(3, m.topic).blob(4, m.payload);
      run.i64(5, m.qos).i64(6, m.retain ? 1 : 0).i64(7, m.created_ms);
      const int rc = run.step();
      if (rc != SQLITE_DONE) return s.failure(rc, "appending outbox seq " + std::to_string(m.seq));
    }
    // The high-water mark outlives the rows, so seq never goes backwards after a restart.
    if (new_max > s.max_seq) return s.meta_write(kMetaMaxSeq, std::to_string(new_max));
    return {};
  };
  return s.write(durable, "appending to the outbox", body, [&] {
    s.outbox_rows += static_cast<int64_t>(messages.size());
    s.outbox_bytes += bytes;
    s.max_seq = new_max;
  });
}

Result<std::vector<OutboxMessage>> Store::outbox_read(int64_t after_seq, std::size_t limit) {
  auto& s = *stmts_;
  std::vector<OutboxMessage> out;
  if (limit == 0) return out;
  const auto capped =
      static_cast<int64_t>(std::min<uint64_t>(limit, std::numeric_limits<int64_t>::max()));
  sqlite::Run run(s.outbox_read);
  run.i64(1, after_seq).i64(2, capped);
  int rc;
  while ((rc = run.step()) == SQLITE_ROW) {
    OutboxMessage m;
    m.seq = run.col_i64(0);
    m.cls = static_cast<MessageClass>(run.col_i64(1));
    m.topic = run.col_bytes(2);
    m.payload = run.col_bytes(3);
    m.qos = static_cast<int>(run.col_i64(4));
    m.retain = run.col_i64(5) != 0;
    m.created_ms = run.col_i64(6);
    out.push_back(std::move(m));
  }
  if (rc != SQLITE_DONE) return s.failure(rc, "reading the outbox");
  return out;
}

Result<void> Store::outbox_delete(std::span<const int64_t> seqs) {
  if (seqs.empty()) return {};
  auto& s = *stmts_;
  int64_t rows = 0;
  int64_t bytes = 0;
  auto body = [&]() -> Result<void> {
    for (int64_t seq : seqs) {
      sqlite::Run run(s.outbox_delete);
      run.i64(1, seq);
      int rc;
      while ((rc = run.step()) == SQLITE_ROW) {
        ++rows;
        bytes += run.col_i64(0);
      }
      if (rc != SQLITE_DONE) return s.failure(rc, "deleting outbox seq " + std::to_string(seq));
    }
    return {};
  };
  return s.write(false, "deleting delivered outbox rows", body, [&] {
    s.outbox_rows -= rows;
    s.outbox_bytes -= bytes;
  });
}

Result<int64_t> Store::outbox_enforce_cap(int64_t max_bytes) {
  auto r = outbox_enforce_cap_detailed(max_bytes);
  if (!r) return tl::unexpected(r.error());
  return r->dropped;
}

Result<CapOutcome> Store::outbox_enforce_cap_detailed(int64_t max_bytes) {
  if (max_bytes < 0) return fail(Errc::kInvalidArgument, "outbox cap must be >= 0 bytes");
  auto& s = *stmts_;
  if (s.read_only) {
    if (auto r = s.writable("enforcing the outbox cap"); !r) return tl::unexpected(r.error());
  }
  if (s.outbox_bytes <= max_bytes) return CapOutcome{0, s.outbox_bytes, false};

  int64_t dropped = 0;
  int64_t freed = 0;
  auto body = [&]() -> Result<void> {
    const int64_t excess = s.outbox_bytes - max_bytes;
    int64_t cutoff = 0;
    {
      // Oldest droppable rows first, until enough is freed (or none is left).
      sqlite::Run scan(s.outbox_droppable);
      int rc = SQLITE_DONE;
      while (freed < excess && (rc = scan.step()) == SQLITE_ROW) {
        cutoff = scan.col_i64(0);
        freed += scan.col_i64(1);
        ++dropped;
      }
      if (freed < excess && rc != SQLITE_DONE)
        return s.failure(rc, "scanning the outbox for droppable rows");
    }
    if (dropped == 0) return {};
    sqlite::Run del(s.outbox_drop_upto);
    del.i64(1, cutoff);
    const int rc = del.step();
    if (rc != SQLITE_DONE) return s.failure(rc, "dropping the oldest outbox rows");
    return s.meta_write(kMetaDropped, std::to_string(s.dropped_total + dropped));
  };
  auto r = s.write(false, "enforcing the outbox cap", body, [&] {
    s.outbox_rows -= dropped;
    s.outbox_bytes -= freed;
    s.dropped_total += dropped;
  });
  if (!r) return tl::unexpected(r.error());
  return CapOutcome{dropped, s.outbox_bytes, s.outbox_bytes > max_bytes};
}

Result<void> Store::outbox_count_dropped(int64_t n) {
  if (n < 0) return fail(Errc::kInvalidArgument, "outbox drop count must be >= 0");
  if (n == 0) return {};
  auto& s = *stmts_;
  return s.write(
      false, "counting dropped messages",
      [&] { return s.meta_write(kMetaDropped, std::to_string(s.dropped_total + n)); },
      [&] { s.dropped_total += n; });
}

Result<OutboxStats> Store::outbox_stats() {
  auto& s = *stmts_;
  if (s.read_only) {
    // Another process (the daemon) writes: count afresh.
    if (auto r = s.load_totals(); !r) return tl::unexpected(r.error());
  }
  OutboxStats st;
  st.rows = s.outbox_rows;
  st.bytes = s.outbox_bytes;
  st.dropped_total = s.dropped_total;
  st.max_seq = s.max_seq;
  sqlite::Run run(s.outbox_oldest);
  const int rc = run.step();
  if (rc == SQLITE_ROW) {
    st.oldest_ms = run.col_i64(0);
  } else if (rc != SQLITE_DONE) {
    return s.failure(rc, "reading the oldest outbox row");
  }
  return st;
}

}  // namespace rigkeeper::agent
