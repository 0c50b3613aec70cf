// The command journal: one row per command id, written durably (synchronous=FULL) before the
// command's `accepted` ack leaves, and updated with every ack after it. Commands are rare, so
// the statements are prepared per call instead of being kept for the store's lifetime.
#include <string>

#include "agent/store/store_statements.h"

namespace rigkeeper::agent {
namespace {

constexpr const char* kColumns = "id, received_ms, source, body, state, acks_json, updated_ms";

CommandRecord read_record(const sqlite::Run& run) {
  CommandRecord r;
  r.id = run.col_bytes(0);
  r.received_ms = run.col_i64(1);
  r.source = run.col_bytes(2);
  r.body = run.col_bytes(3);
  r.state = run.col_bytes(4);
  r.acks_json = run.col_bytes(5);
  r.updated_ms = run.is_null(6) ? 0 : run.col_i64(6);
  return r;
}

}  // namespace

Result<bool> Store::command_insert(const CommandRecord& rec) {
  auto& s = *stmts_;
  bool inserted = false;
  auto body = [&]() -> Result<void> {
    sqlite::Statement st;
    int rc = st.prepare(s.db,
                        "INSERT OR IGNORE INTO commands(id, received_ms, source, body, state, "
                        "acks_json, updated_ms) VALUES(?1, ?2, ?3, ?4, ?5, json(?6), ?7)");
    if (rc != SQLITE_OK) return s.failure(rc, "preparing the command journal insert");
    const std::string acks = rec.acks_json.empty() ? "[]" : rec.acks_json;  // outlives the Run
    sqlite::Run run(st);
    run.text(1, rec.id)
        .i64(2, rec.received_ms)
        .text(3, rec.source)
        .text(4, rec.body)
        .text(5, rec.state)
        .text(6, acks)
        .i64(7, rec.updated_ms ? rec.updated_ms : rec.received_ms);
    rc = run.step();
    if (rc != SQLITE_DONE) return s.failure(rc, "journaling command " + rec.id);
    inserted = sqlite3_changes(s.db) > 0;
    return {};
  };
  if (auto r = s.write(true, "journaling command " + rec.id, body, [] {}); !r)
    return tl::unexpected(r.error());
  return inserted;
}

Result<std::optional<CommandRecord>> Store::command_get(const std::string& id) {
  auto& s = *stmts_;
  sqlite::Statement st;
  int rc = st.prepare(s.db, std::string("SELECT ") + kColumns + " FROM commands WHERE id = ?1");
  if (rc != SQLITE_OK) return s.failure(rc, "preparing the command journal lookup");
  sqlite::Run run(st);
  run.text(1, id);
  rc = run.step();
  if (rc == SQLITE_DONE) return std::optional<CommandRecord>();
  if (rc != SQLITE_ROW) return s.failure(rc, "reading command " + id + " from the journal");
  return std::optional<CommandRecord>(read_record(run));
}

Result<void> Store::command_append_ack(const std::string& id, const std::string& state,
                                       const std::string& ack_json) {
  auto& s = *stmts_;
  auto body = [&]() -> Result<void> {
    sqlite::Statement st;
    int rc = st.prepare(s.db,
                        "UPDATE commands SET acks_json = json_insert(acks_json, '$[#]', json(?2)),"
                        " state = ?3, updated_ms = ?4 WHERE id = ?1");
    if (rc != SQLITE_OK) return s.failure(rc, "preparing the command journal update");
    sqlite::Run run(st);
    run.text(1, id).text(2, ack_json).text(3, state).i64(4, to_unix_ms(now_ms()));
    rc = run.step();
    if (rc != SQLITE_DONE) return s.failure(rc, "storing an ack of command " + id);
    if (sqlite3_changes(s.db) == 0)
      return fail(Errc::kInvalidArgument, "command " + id + " is not in the journal");
    return {};
  };
  return s.write(true, "storing an ack of command " + id, body, [] {});
}

Result<std::vector<CommandRecord>> Store::commands_in_state(const std::string& state) {
  auto& s = *stmts_;
  sqlite::Statement st;
  int rc = st.prepare(s.db, std::string("SELECT ") + kColumns +
                                " FROM commands WHERE state = ?1 ORDER BY received_ms, rowid");
  if (rc != SQLITE_OK) return s.failure(rc, "preparing the command journal scan");
  sqlite::Run run(st);
  run.text(1, state);
  std::vector<CommandRecord> out;
  while ((rc = run.step()) == SQLITE_ROW) out.push_back(read_record(run));
  if (rc != SQLITE_DONE) return s.failure(rc, "scanning the command journal");
  return out;
}

Result<int64_t> Store::commands_prune(int64_t older_than_ms) {
  auto& s = *stmts_;
  int64_t deleted = 0;
  auto body = [&]() -> Result<void> {
    sqlite::Statement st;
    int rc = st.prepare(s.db,
                        "DELETE FROM commands WHERE received_ms < ?1 AND state NOT IN "
                        "('accepted')");
    if (rc != SQLITE_OK) return s.failure(rc, "preparing the command journal prune");
    sqlite::Run run(st);
    run.i64(1, older_than_ms);
    rc = run.step();
    if (rc != SQLITE_DONE) return s.failure(rc, "pruning the command journal");
    deleted = sqlite3_changes(s.db);
    return {};
  };
  if (auto r = s.write(false, "pruning the command journal", body, [] {}); !r)
    return tl::unexpected(r.error());
  return deleted;
}

}  // namespace rigkeeper::agent
