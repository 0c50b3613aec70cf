#include "agent/store/schema.h"

#include <string>

#include "agent/store/sqlite_stmt.h"

namespace rigkeeper::agent::schema {
namespace {

// Version 1. Sizes in the store are bytes: payloads are BLOBs (length() counts bytes), topics
// and snapshots TEXT (readable with the sqlite3 CLI and json_extract()).
constexpr const char* kV1 = R"sql(
CREATE TABLE outbox(
  seq        INTEGER PRIMARY KEY,      -- global order, assigned by the agent
  cls        INTEGER NOT NULL,         -- 0 telemetry, 1 rack, 2 event, 3 ack
  topic      TEXT    NOT NULL,
  payload    BLOB    NOT NULL,
  qos        INTEGER NOT NULL DEFAULT 0,
  retain     INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL          -- unix ms when produced
);
-- The cap drops the oldest droppable rows first: this walks them in seq order.
CREATE INDEX outbox_droppable ON outbox(seq) WHERE cls IN (0, 1);

CREATE TABLE history(
  device_id TEXT    NOT NULL,
  ts_ms     INTEGER NOT NULL,          -- snapshot time, unix ms
  snapshot  TEXT    NOT NULL           -- the contract's device snapshot JSON
);
CREATE INDEX history_device_ts ON history(device_id, ts_ms);
CREATE INDEX history_ts ON history(ts_ms);

CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- The command journal (filled by the command dispatcher).
CREATE TABLE commands(
  id          TEXT PRIMARY KEY,
  received_ms INTEGER NOT NULL,
  source      TEXT,
  body        TEXT,
  state       TEXT,
  acks_json   TEXT NOT NULL DEFAULT '[]',
  updated_ms  INTEGER
);
CREATE INDEX commands_received ON commands(received_ms);
)sql";

constexpr Migration kMigrations[] = {
    {1, "outbox, history, meta and command journal", kV1},
};

Result<void> exec_step(sqlite3* db, const std::filesystem::path& path, const std::string& sql,
                       const std::string& what) {
  const int rc = sqlite::exec(db, sql.c_str());
  if (rc != SQLITE_OK) return tl::unexpected(sqlite::storage_error(db, rc, path, what));
  return {};
}

Result<void> apply(sqlite3* db, const std::filesystem::path& path, const Migration& m) {
  const std::string what =
      "migrating the schema to version " + std::to_string(m.version) + " (" + m.what + ")";
  if (auto r = exec_step(db, path, "BEGIN IMMEDIATE", what); !r) return r;
  auto r = exec_step(db, path, m.sql, what);
  if (r) r = exec_step(db, path, "PRAGMA user_version = " + std::to_string(m.version), what);
  if (r) r = exec_step(db, path, "COMMIT", what);
  if (!r && sqlite3_get_autocommit(db) == 0) (void)sqlite::exec(db, "ROLLBACK");
  return r;
}

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

int current_version() { return migrations().back().version; }

Result<int> read_version(sqlite3* db, const std::filesystem::path& path) {
  sqlite::Statement st;
  int rc = st.prepare(db, "PRAGMA user_version");
  if (rc != SQLITE_OK)
    return tl::unexpected(sqlite::storage_error(db, rc, path, "reading the schema version"));
  sqlite::Run run(st);
  rc = run.step();
  if (rc != SQLITE_ROW)
    return tl::unexpected(sqlite::storage_error(db, rc, path, "reading the schema version"));
  return static_cast<int>(run.col_i64(0));
}

Result<int> migrate(sqlite3* db, const std::filesystem::path& path,
                    std::span<const Migration> steps) {
  auto version = read_version(db, path);
  if (!version) return version;
  const int last = steps.empty() ? 0 : steps.back().version;
  if (*version > last) {
    return fail(Errc::kStorage, path.string() + ": schema version " + std::to_string(*version) +
                                    " is newer than this build understands (" +
                                    std::to_string(last) +
                                    "); it was written by a newer rigkeeper");
  }
  int expected = 1;
  for (const Migration& m : steps) {
    if (m.version != expected++) {
      return fail(Errc::kInternal,
                  "schema migrations out of order at version " + std::to_string(m.version));
    }
  }
  for (const Migration& m : steps) {
    if (m.version <= *version) continue;
    if (auto r = apply(db, path, m); !r) return tl::unexpected(r.error());
    *version = m.version;
  }
  return *version;
}

}  // namespace rigkeeper::agent::schema
