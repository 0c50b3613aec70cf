#pragma once
/// The controller's durable state in one SQLite database (WAL): the outbox of messages not yet
/// delivered to the broker, the telemetry history with retention, counters, and the command
/// journal. Telemetry commits use synchronous=NORMAL (a power cut may roll back the newest
/// commits, those since the WAL was last synced); durable appends (events, acks, journal)
/// commit with synchronous=FULL. Details in docs/STORAGE.md.
///
/// Threading: not thread-safe; owned and used by the agent's io_context thread (or by one CLI
/// process, read-only). Errors: Errc::kStorage naming the database path and SQLite's message.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "drivers/api/result.h"
#include "drivers/api/timestamp.h"

struct sqlite3;

namespace rigkeeper::agent {

/// What a queued message is, which decides what a full outbox may drop.
enum class MessageClass : int { kTelemetry = 0, kRack = 1, kEvent = 2, kAck = 3 };

/// True for classes the outbox may drop at its cap (telemetry and rack summaries).
inline bool droppable(MessageClass c) {
  return c == MessageClass::kTelemetry || c == MessageClass::kRack;
}

struct OutboxMessage {
  int64_t seq = 0;  ///< global order, assigned by the caller, strictly increasing
  MessageClass cls = MessageClass::kTelemetry;
  std::string topic;
  std::string payload;
  int qos = 0;
  bool retain = false;
  int64_t created_ms = 0;  ///< unix ms when produced
};

struct OutboxStats {
  int64_t rows = 0;
  int64_t bytes = 0;          ///< sum of topic + payload sizes on disk
  int64_t dropped_total = 0;  ///< persisted across restarts
  std::optional<int64_t> oldest_ms;
  int64_t max_seq = 0;  ///< highest seq ever stored (0 if none)
};

struct HistoryRow {
  std::string device_id;
  int64_t ts_ms = 0;
  std::string snapshot_json;  ///< the contract snapshot as published
};

struct HistoryQuery {
  std::optional<std::string> device_id;
  std::optional<int64_t> since_ms;
  std::optional<int64_t> until_ms;
  std::size_t limit = 1000;  ///< newest rows first when limited, returned in time order
};

struct StoreOptions {
  bool read_only = false;
  int64_t page_cache_kib = 2048;  ///< SQLite cache_size, kept small for controllers
};

/// What outbox_enforce_cap_detailed() did.
struct CapOutcome {
  int64_t dropped = 0;      ///< droppable rows deleted by this call
  int64_t bytes_after = 0;  ///< outbox bytes afterwards
  /// True when the outbox is still over the cap because events and acks alone exceed it:
  /// they are never dropped, so the outbox grows past the cap until the broker takes them.
  bool over_cap = false;
};

/// One command in the journal (`commands` table): written durably before its `accepted` ack
/// is sent, updated with every ack after it. See docs/COMMANDS.md.
struct CommandRecord {
  std::string id;
  int64_t received_ms = 0;
  std::string source;            ///< "mqtt:<topic>" or "local"
  std::string body;              ///< the command JSON exactly as received
  std::string state;             ///< the latest ack status ("accepted" until final)
  std::string acks_json = "[]";  ///< JSON array of every ack sent, oldest first
  int64_t updated_ms = 0;
};

class Store;

/// What Store::open_or_recover() did.
struct OpenedStore {
  std::unique_ptr<Store> store;
  /// Set when a damaged database was moved aside (`rigkeeper.db.corrupt-<UTC time>`, its WAL
  /// beside it as `...-wal`) and a fresh one created.
  std::optional<std::filesystem::path> moved_aside;
  std::string note;  ///< empty, or one line saying what was wrong and what was done
};

class Store {
 public:
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  /// The database file's name inside the state directory.
  static constexpr const char* kFileName = "rigkeeper.db";

  /// Opens (creating and migrating if needed) `<dir>/rigkeeper.db`. A new directory is created
  /// with mode 0750 and a new file with 0640. Read-only (the CLI): never creates or migrates,
  /// works while the daemon writes (WAL), and every write method fails with kStorage.
  /// Errors: kStorage naming the file and SQLite's message (damaged file, permissions, a
  /// schema newer than this build).
  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& dir,
                                             StoreOptions options = {});

  /// The daemon's open: like open(), plus PRAGMA quick_check; a file SQLite reports as damaged
  /// or not a database is renamed `rigkeeper.db.corrupt-<UTC time>` and a fresh one created.
  /// Other failures (permissions, disk full, newer schema) are returned untouched: moving the
  /// file would lose data that is not damaged. Read-only: never moves anything.
  static Result<OpenedStore> open_or_recover(const std::filesystem::path& dir,
                                             StoreOptions options = {});

  /// The schema version this build creates (PRAGMA user_version after open).
  static int schema_version();

  // --- outbox -------------------------------------------------------------------------------
  /// Appends in one transaction (all or none). `durable`: commit with synchronous=FULL, which
  /// also hardens every earlier NORMAL commit. Each seq must be > 0 and not already stored
  /// (kInvalidArgument / kStorage otherwise); qos 0..2; cls one of MessageClass.
  Result<void> outbox_append(std::span<const OutboxMessage> messages, bool durable);
  /// Oldest first, seq > after_seq, at most `limit` rows.
  Result<std::vector<OutboxMessage>> outbox_read(int64_t after_seq, std::size_t limit);
  /// Deletes the rows with these seqs (delivered); unknown seqs are ignored.
  Result<void> outbox_delete(std::span<const int64_t> seqs);
  /// Drops the oldest droppable rows until the outbox is at most `max_bytes`; adds the number
  /// dropped to the persisted counter and returns it. Never drops events or acks; see
  /// outbox_enforce_cap_detailed() to learn whether they alone keep the outbox over the cap.
  Result<int64_t> outbox_enforce_cap(int64_t max_bytes);
  /// outbox_enforce_cap() with the outcome in full. Cheap when under the cap (no query).
  Result<CapOutcome> outbox_enforce_cap_detailed(int64_t max_bytes);
  /// Adds to the persisted drop counter (drops made in memory before reaching disk).
  Result<void> outbox_count_dropped(int64_t n);
  /// Kept in memory by a read-write store (one indexed lookup for oldest_ms); a read-only
  /// store recounts, since the daemon may have written since.
  Result<OutboxStats> outbox_stats();

  // --- history ------------------------------------------------------------------------------
  Result<void> history_append(std::span<const HistoryRow> rows);
  /// Rows matching every filter given (since and until inclusive), the newest `limit` of them
  /// (0: no limit), returned oldest first.
  Result<std::vector<HistoryRow>> history_query(const HistoryQuery& q);
  /// Deletes rows older than `older_than_ms`, then the oldest until the table holds at most
  /// `max_bytes` of snapshots. Returns rows deleted.
  Result<int64_t> history_prune(int64_t older_than_ms, int64_t max_bytes);

  // --- command journal (store_commands.cpp; every write is synchronous=FULL) --------------
  /// Journals a new command with its first ack. False (nothing written) when the id is
  /// already journaled.
  Result<bool> command_insert(const CommandRecord& record);
  /// The journaled command with this id, or nullopt.
  Result<std::optional<CommandRecord>> command_get(const std::string& id);
  /// Appends one ack (a JSON object) to the command's acks and sets its state.
  /// kInvalidArgument when the id is not journaled.
  Result<void> command_append_ack(const std::string& id, const std::string& state,
                                  const std::string& ack_json);
  /// Commands whose state is `state` ("accepted": interrupted before their final ack),
  /// oldest first.
  Result<std::vector<CommandRecord>> commands_in_state(const std::string& state);
  /// Deletes finished commands received before `older_than_ms`; returns rows deleted.
  Result<int64_t> commands_prune(int64_t older_than_ms);

  // --- key/value state (started_at, counters, later the curtailment state) ------------------
  /// Keys starting with "store." are the store's own counters: readable, not settable
  /// (kInvalidArgument).
  Result<std::optional<std::string>> get_meta(const std::string& key);
  Result<void> set_meta(const std::string& key, const std::string& value, bool durable = false);

  /// Copies the WAL into the database file (PRAGMA wal_checkpoint(TRUNCATE)) when no reader
  /// holds it; SQLite also checkpoints on its own every ~4 MiB of WAL. For a clean shutdown.
  Result<void> checkpoint();

  const std::filesystem::path& path() const { return path_; }

 private:
  Store(sqlite3* db, std::filesystem::path path);
  sqlite3* db_;
  std::filesystem::path path_;
  struct Statements;
  std::unique_ptr<Statements> stmts_;
};

}  // namespace rigkeeper::agent
