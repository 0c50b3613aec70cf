#include <algorithm>
#include <charconv>
#include <string>

#include "agent/store/store_statements.h"

// A row's size as the outbox cap counts it (topic plus payload bytes), and a snapshot's.
#define RK_OUTBOX_ROW_BYTES "length(CAST(topic AS BLOB)) + length(payload)"
#define RK_SNAPSHOT_BYTES "length(CAST(snapshot AS BLOB))"

namespace rigkeeper::agent {

Result<void> Store::Statements::writable(std::string_view what) const {
  if (!read_only) return {};
  return fail(Errc::kStorage,
              path.string() + ": opened read-only (while " + std::string(what) + ")");
}

Result<void> Store::Statements::prepare_all() {
  struct Sql {
    sqlite::Statement Statements::*stmt;
    const char* text;
  };

  static constexpr Sql kStatements[] = {
      {&Statements::begin, "BEGIN IMMEDIATE"},
      {&Statements::commit, "COMMIT"},
      {&Statements::rollback, "ROLLBACK"},
      {&Statements::meta_get, "SELECT value FROM meta WHERE key = ?1"},
      {&Statements::meta_put,
       "INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = "
       "excluded.value"},
      {&Statements::outbox_insert,
       "INSERT INTO outbox(seq, cls, topic, payload, qos, retain, created_ms) VALUES(?1, ?2, ?3, "
       "?4, ?5, ?6, ?7)"},
      {&Statements::outbox_read,
       "SELECT seq, cls, topic, payload, qos, retain, created_ms FROM outbox WHERE seq > ?1 ORDER "
       "BY seq LIMIT ?2"},
      {&Statements::outbox_delete,
       "DELETE FROM outbox WHERE seq = ?1 RETURNING " RK_OUTBOX_ROW_BYTES},
      {&Statements::outbox_oldest, "SELECT created_ms FROM outbox ORDER BY seq LIMIT 1"},
      {&Statements::outbox_totals, "SELECT count(*), coalesce(sum(" RK_OUTBOX_ROW_BYTES
                                   "), 0), coalesce(max(seq), 0) FROM outbox"},
      {&Statements::outbox_droppable,
       "SELECT seq, " RK_OUTBOX_ROW_BYTES " FROM outbox WHERE cls IN (0, 1) ORDER BY seq"},
      {&Statements::outbox_drop_upto, "DELETE FROM outbox WHERE cls IN (0, 1) AND seq <= ?1"},
      {&Statements::history_insert,
       "INSERT INTO history(device_id, ts_ms, snapshot) VALUES(?1, ?2, ?3)"},
      {&Statements::history_delete_older,
       "DELETE FROM history WHERE ts_ms < ?1 RETURNING " RK_SNAPSHOT_BYTES},
      {&Statements::history_oldest,
       "SELECT rowid, ts_ms, " RK_SNAPSHOT_BYTES " FROM history ORDER BY ts_ms, rowid"},
      {&Statements::history_delete_upto,
       "DELETE FROM history WHERE ts_ms < ?1 OR (ts_ms = ?1 AND rowid <= ?2) "
       "RETURNING " RK_SNAPSHOT_BYTES},
      {&Statements::history_total, "SELECT coalesce(sum(" RK_SNAPSHOT_BYTES "), 0) FROM history"},
  };
  for (const Sql& s : kStatements) {
    const int rc = (this->*s.stmt).prepare(db, s.text);
    if (rc != SQLITE_OK) return failure(rc, std::string("preparing \"") + s.text + "\"");
  }
  return {};
}

Result<std::optional<std::string>> Store::Statements::meta_read(std::string_view key) {
  sqlite::Run run(meta_get);
  run.text(1, key);
  const int rc = run.step();
  if (rc == SQLITE_DONE) return std::optional<std::string>{};
  if (rc != SQLITE_ROW) return failure(rc, "reading meta key " + std::string(key));
  return std::optional<std::string>(run.col_bytes(0));
}

Result<int64_t> Store::Statements::meta_read_i64(std::string_view key) {
  auto v = meta_read(key);
  if (!v) return tl::unexpected(v.error());
  if (!v->has_value()) return 0;
  const std::string& s = **v;
  int64_t out = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return fail(Errc::kStorage, path.string() + ": meta key " + std::string(key) + " holds \"" +
                                    s.substr(0, 40) + "\", not an integer");
  }
  return out;
}

Result<void> Store::Statements::meta_write(std::string_view key, std::string_view value) {
  sqlite::Run run(meta_put);
  run.text(1, key).text(2, value);
  const int rc = run.step();
  if (rc != SQLITE_DONE) return failure(rc, "writing meta key " + std::string(key));
  return {};
}

Result<void> Store::Statements::load_totals() {
  {
    sqlite::Run run(outbox_totals);
    const int rc = run.step();
    if (rc != SQLITE_ROW) return failure(rc, "counting the outbox");
    outbox_rows = run.col_i64(0);
    outbox_bytes = run.col_i64(1);
    max_seq = run.col_i64(2);
  }
  auto hw = meta_read_i64(kMetaMaxSeq);
  if (!hw) return tl::unexpected(hw.error());
  max_seq = std::max(max_seq, *hw);
  auto dropped = meta_read_i64(kMetaDropped);
  if (!dropped) return tl::unexpected(dropped.error());
  dropped_total = *dropped;
  if (read_only) return {};  // the history total only serves pruning, which a reader never does

  auto hb = meta_read(kMetaHistoryBytes);
  if (!hb) return tl::unexpected(hb.error());
  if (hb->has_value()) {
    auto n = meta_read_i64(kMetaHistoryBytes);
    if (!n) return tl::unexpected(n.error());
    history_bytes = *n;
    return {};
  }
  // First open of this file (or the key was removed by hand): count once and remember.
  sqlite::Run run(history_total);
  const int rc = run.step();
  if (rc != SQLITE_ROW) return failure(rc, "measuring the history");
  history_bytes = run.col_i64(0);
  return {};
}

Result<void> Store::Statements::set_sync(bool full) {
  // Not a cached statement: PRAGMA synchronous takes effect when compiled, not when stepped.
  const char* sql = full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
  const int rc = sqlite::exec(db, sql);
  if (rc != SQLITE_OK) return failure(rc, sql);
  sync_is_full = full;
  return {};
}

Result<void> Store::Statements::begin_txn(bool durable, std::string_view what) {
  // synchronous applies to the commit; it is set outside the transaction, and a previous
  // durable commit whose switch back failed is corrected here.
  if (sync_is_full != durable) {
    if (auto r = set_sync(durable); !r) return r;
  }
  sqlite::Run run(begin);
  const int rc = run.step();
  if (rc != SQLITE_DONE) return failure(rc, std::string(what) + ": begin");
  return {};
}

Result<void> Store::Statements::end_txn(bool ok, std::string_view what) {
  Result<void> r;
  if (ok) {
    sqlite::Run run(commit);
    const int rc = run.step();
    if (rc != SQLITE_DONE) r = failure(rc, std::string(what) + ": commit");
  }
  if ((!ok || !r) && sqlite3_get_autocommit(db) == 0) {
    sqlite::Run run(rollback);
    (void)run.step();  // the error that made us roll back is the one to report
  }
  if (sync_is_full) (void)set_sync(false);  // retried before the next transaction if it fails
  return r;
}

}  // namespace rigkeeper::agent
