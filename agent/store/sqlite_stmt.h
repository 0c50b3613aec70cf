#pragma once
/// Thin RAII over the SQLite C API for the store: owned prepared statements, one execution of
/// a statement at a time (bind, step, read columns, reset), and errors that name the database
/// file. Internal to agent/store; nothing here throws.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "drivers/api/result.h"

namespace rigkeeper::agent::sqlite {

/// An Errc::kStorage error: "<path>: <SQLite's message> (while <what>)". When `rc` is not the
/// connection's latest error (a bind failure, say) SQLite's text for `rc` is used instead.
Error storage_error(sqlite3* db, int rc, const std::filesystem::path& path, std::string_view what);

/// True for the result codes that mean the file itself is damaged or not a database.
bool is_corruption(int rc);

/// Owns one prepared statement; finalised on destruction. Move-only.
class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(Statement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  /// Prepares `sql` (kept for the life of the store). Returns SQLite's result code.
  int prepare(sqlite3* db, std::string_view sql);
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

/// One execution of a prepared statement. Binds remember the first failure, which step()
/// then returns; destruction resets the statement and clears its bindings, so bound string
/// views only need to outlive this object.
class Run {
 public:
  explicit Run(const Statement& s) : stmt_(s.get()) {}
  ~Run();
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  Run& i64(int index, int64_t value);
  Run& text(int index, std::string_view value);
  Run& blob(int index, std::string_view value);
  Run& null(int index);

  /// SQLITE_ROW, SQLITE_DONE, or the error (a failed bind's code if one failed).
  int step();
  /// Steps to the end, discarding rows. SQLITE_DONE or the error.
  int drain();

  bool is_null(int col) const;
  int64_t col_i64(int col) const;
  /// Text or blob column as bytes ("" for NULL).
  std::string col_bytes(int col) const;

 private:
  void note(int rc) {
    if (bind_rc_ == SQLITE_OK && rc != SQLITE_OK) bind_rc_ = rc;
  }
  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;
};

/// Runs SQL text with no parameters (DDL, pragmas); returns SQLite's result code.
int exec(sqlite3* db, const char* sql);

}  // namespace rigkeeper::agent::sqlite
