#pragma once
/// The inside of a Store: its prepared statements, the running totals they maintain, and the
/// write-transaction helper every mutating call goes through. Internal to agent/store.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "agent/store/sqlite_stmt.h"
#include "agent/store/store.h"

namespace rigkeeper::agent {

/// Keys of the store's own rows in `meta` (get_meta can read them, set_meta refuses them).
inline constexpr std::string_view kMetaPrefix = "store.";
inline constexpr const char* kMetaMaxSeq = "store.outbox_max_seq";
inline constexpr const char* kMetaDropped = "store.outbox_dropped_total";
inline constexpr const char* kMetaHistoryBytes = "store.history_bytes";

struct Store::Statements {
  sqlite3* db = nullptr;
  std::filesystem::path path;
  bool read_only = false;

  sqlite::Statement begin, commit, rollback;
  sqlite::Statement meta_get, meta_put;
  sqlite::Statement outbox_insert, outbox_read, outbox_delete, outbox_oldest, outbox_totals;
  sqlite::Statement outbox_droppable, outbox_drop_upto;
  sqlite::Statement history_insert, history_delete_older, history_oldest, history_delete_upto,
      history_total;
  /// history_query variants by filter mask (bit 0 device, 1 since, 2 until), prepared lazily.
  std::array<sqlite::Statement, 8> history_query;

  // Running totals of a read-write store; recomputed or loaded at open, updated only after
  // the transaction that changed them committed.
  int64_t outbox_rows = 0;
  int64_t outbox_bytes = 0;
  int64_t dropped_total = 0;
  int64_t max_seq = 0;
  int64_t history_bytes = 0;
  bool sync_is_full = false;

  Error error(int rc, std::string_view what) const {
    return sqlite::storage_error(db, rc, path, what);
  }
  tl::unexpected<Error> failure(int rc, std::string_view what) const {
    return tl::unexpected<Error>(error(rc, what));
  }
  /// kStorage "opened read-only" for write calls on a read-only store.
  Result<void> writable(std::string_view what) const;

  Result<void> prepare_all();
  /// Loads or recomputes the running totals (at open; and per call for a read-only store).
  Result<void> load_totals();
  Result<std::optional<std::string>> meta_read(std::string_view key);
  Result<int64_t> meta_read_i64(std::string_view key);
  /// Upsert inside the caller's transaction.
  Result<void> meta_write(std::string_view key, std::string_view value);

  /// Runs `body` inside BEGIN IMMEDIATE .. COMMIT with synchronous FULL (durable) or NORMAL;
  /// rolls back if the body or the commit fails. The body must only touch the running totals
  /// through values it hands to `on_commit`, so they change only once the data is committed.
  template <class Body, class OnCommit>
  Result<void> write(bool durable, std::string_view what, Body&& body, OnCommit&& on_commit);

 private:
  Result<void> set_sync(bool full);
  Result<void> begin_txn(bool durable, std::string_view what);
  Result<void> end_txn(bool ok, std::string_view what);
};

template <class Body, class OnCommit>
Result<void> Store::Statements::write(bool durable, std::string_view what, Body&& body,
                                      OnCommit&& on_commit) {
  if (auto r = writable(what); !r) return r;
  if (auto r = begin_txn(durable, what); !r) return r;
  Result<void> r = body();
  Result<void> done = end_txn(r.has_value(), what);
  if (!r) return r;
  if (!done) return done;
  on_commit();
  return {};
}

}  // namespace rigkeeper::agent
