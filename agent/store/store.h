#pragma once
/// The controller's durable state in one SQLite database (WAL): the outbox of messages not yet
/// delivered to the broker, the telemetry history with retention, counters, and the command
/// journal. Telemetry commits use synchronous=NORMAL (a power cut may lose the last commit);
/// durable appends (events, acks, journal) commit with synchronous=FULL.
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
inline bool droppable(MessageClass c) { return c == MessageClass::kTelemetry || c == MessageClass::kRack; }

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
  int64_t bytes = 0;         ///< sum of topic + payload sizes on disk
  int64_t dropped_total = 0; ///< persisted across restarts
  std::optional<int64_t> oldest_ms;
  int64_t max_seq = 0;       ///< highest seq ever stored (0 if none)
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

class Store {
 public:
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  /// Opens (creating and migrating if needed) `<dir>/rigkeeper.db`.
  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& dir, StoreOptions options = {});

  // --- outbox -------------------------------------------------------------------------------
  /// Appends in one transaction. `durable`: commit with synchronous=FULL.
  Result<void> outbox_append(std::span<const OutboxMessage> messages, bool durable);
  /// Oldest first, seq > after_seq, at most `limit` rows.
  Result<std::vector<OutboxMessage>> outbox_read(int64_t after_seq, std::size_t limit);
  Result<void> outbox_delete(std::span<const int64_t> seqs);
  /// Drops the oldest droppable rows until the outbox is at most `max_bytes`; adds the number
  /// dropped to the persisted counter and returns it.
  Result<int64_t> outbox_enforce_cap(int64_t max_bytes);
  /// Adds to the persisted drop counter (drops made in memory before reaching disk).
  Result<void> outbox_count_dropped(int64_t n);
  Result<OutboxStats> outbox_stats();

  // --- history ------------------------------------------------------------------------------
  Result<void> history_append(std::span<const HistoryRow> rows);
  Result<std::vector<HistoryRow>> history_query(const HistoryQuery& q);
  /// Deletes rows older than `older_than_ms`, then the oldest until the table holds at most
  /// `max_bytes` of snapshots. Returns rows deleted.
  Result<int64_t> history_prune(int64_t older_than_ms, int64_t max_bytes);

  // --- key/value state (started_at, counters, later the curtailment state) ------------------
  Result<std::optional<std::string>> get_meta(const std::string& key);
  Result<void> set_meta(const std::string& key, const std::string& value, bool durable = false);

  const std::filesystem::path& path() const { return path_; }

 private:
  Store(sqlite3* db, std::filesystem::path path);
  sqlite3* db_;
  std::filesystem::path path_;
  struct Statements;
  std::unique_ptr<Statements> stmts_;
};

}  // namespace rigkeeper::agent
