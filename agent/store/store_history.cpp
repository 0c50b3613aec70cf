// The telemetry history: one row per device snapshot, pruned by age and then by size.
#include <algorithm>
#include <limits>
#include <string>

#include "agent/store/store_statements.h"

namespace rigkeeper::agent {
namespace {

constexpr int kByDevice = 1;
constexpr int kBySince = 2;
constexpr int kByUntil = 4;

std::string query_sql(int mask) {
  // Newest first so that LIMIT keeps the newest; the caller reverses into time order. The
  // (device_id, ts_ms) and (ts_ms) indexes serve both the filter and the order.
  std::string sql = "SELECT device_id, ts_ms, snapshot FROM history WHERE 1";
  if (mask & kByDevice) sql += " AND device_id = ?1";
  if (mask & kBySince) sql += " AND ts_ms >= ?2";
  if (mask & kByUntil) sql += " AND ts_ms <= ?3";
  sql += " ORDER BY ts_ms DESC, rowid DESC LIMIT ?4";
  return sql;
}

}  // namespace

Result<void> Store::history_append(std::span<const HistoryRow> rows) {
  if (rows.empty()) return {};
  auto& s = *stmts_;
  int64_t bytes = 0;
  for (const HistoryRow& r : rows) bytes += static_cast<int64_t>(r.snapshot_json.size());
  auto body = [&]() -> Result<void> {
    for (const HistoryRow& r : rows) {
      sqlite::Run run(s.history_insert);
      run.text(1, r.device_id).i64(2, r.ts_ms).text(3, r.snapshot_json);
      const int rc = run.step();
      if (rc != SQLITE_DONE) return s.failure(rc, "appending history of device " + r.device_id);
    }
    return s.meta_write(kMetaHistoryBytes, std::to_string(s.history_bytes + bytes));
  };
  return s.write(false, "appending to the history", body, [&] { s.history_bytes += bytes; });
}

Result<std::vector<HistoryRow>> Store::history_query(const HistoryQuery& q) {
  auto& s = *stmts_;
  const int mask =
      (q.device_id ? kByDevice : 0) | (q.since_ms ? kBySince : 0) | (q.until_ms ? kByUntil : 0);
  sqlite::Statement& st = s.history_query[static_cast<std::size_t>(mask)];
  if (st.get() == nullptr) {
    const int rc = st.prepare(s.db, query_sql(mask));
    if (rc != SQLITE_OK) return s.failure(rc, "preparing the history query");
  }
  const int64_t limit =
      q.limit == 0
          ? -1
          : static_cast<int64_t>(std::min<uint64_t>(q.limit, std::numeric_limits<int64_t>::max()));
  sqlite::Run run(st);
  if (q.device_id) run.text(1, *q.device_id);
  if (q.since_ms) run.i64(2, *q.since_ms);
  if (q.until_ms) run.i64(3, *q.until_ms);
  run.i64(4, limit);
  std::vector<HistoryRow> out;
  int rc;
  while ((rc = run.step()) == SQLITE_ROW) {
    out.push_back(HistoryRow{run.col_bytes(0), run.col_i64(1), run.col_bytes(2)});
  }
  if (rc != SQLITE_DONE) return s.failure(rc, "querying the history");
  std::reverse(out.begin(), out.end());
  return out;
}

Result<int64_t> Store::history_prune(int64_t older_than_ms, int64_t max_bytes) {
  if (max_bytes < 0) return fail(Errc::kInvalidArgument, "history size limit must be >= 0 bytes");
  auto& s = *stmts_;
  int64_t deleted = 0;
  int64_t freed = 0;
  auto drain_deleted = [&](sqlite::Run& run, const char* what) -> Result<void> {
    int rc;
    while ((rc = run.step()) == SQLITE_ROW) {
      ++deleted;
      freed += run.col_i64(0);
    }
    if (rc != SQLITE_DONE) return s.failure(rc, what);
    return {};
  };
  auto body = [&]() -> Result<void> {
    {
      sqlite::Run run(s.history_delete_older);
      run.i64(1, older_than_ms);
      if (auto r = drain_deleted(run, "pruning history by age"); !r) return r;
    }
    const int64_t excess = s.history_bytes - freed - max_bytes;
    if (excess > 0) {
      // Walk the oldest rows until enough would be freed, then delete up to that row.
      int64_t last_ts = 0;
      int64_t last_rowid = 0;
      int64_t planned = 0;
      bool found = false;
      {
        sqlite::Run scan(s.history_oldest);
        int rc = SQLITE_DONE;
        while (planned < excess && (rc = scan.step()) == SQLITE_ROW) {
          found = true;
          last_rowid = scan.col_i64(0);
          last_ts = scan.col_i64(1);
          planned += scan.col_i64(2);
        }
        if (planned < excess && rc != SQLITE_DONE)
          return s.failure(rc, "scanning the oldest history");
      }
      if (found) {
        sqlite::Run run(s.history_delete_upto);
        run.i64(1, last_ts).i64(2, last_rowid);
        if (auto r = drain_deleted(run, "pruning history by size"); !r) return r;
      }
    }
    if (deleted == 0) return {};
    return s.meta_write(kMetaHistoryBytes, std::to_string(s.history_bytes - freed));
  };
  auto r = s.write(false, "pruning the history", body, [&] { s.history_bytes -= freed; });
  if (!r) return tl::unexpected(r.error());
  return deleted;
}

}  // namespace rigkeeper::agent
