#include "agent/store/sqlite_stmt.h"

#include <limits>

namespace rigkeeper::agent::sqlite {

Error storage_error(sqlite3* db, int rc, const std::filesystem::path& path, std::string_view what) {
  std::string detail;
  if (db != nullptr && (rc == SQLITE_OK || sqlite3_extended_errcode(db) == rc)) {
    detail = sqlite3_errmsg(db);
  } else {
    detail = sqlite3_errstr(rc);
  }
  std::string msg = path.string();
  msg += ": ";
  msg += detail;
  if (!what.empty()) {
    msg += " (while ";
    msg += what;
    msg += ")";
  }
  return Error{Errc::kStorage, std::move(msg)};
}

bool is_corruption(int rc) {
  const int primary = rc & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

Statement::~Statement() {
  // sqlite3_finalize only repeats the statement's last error; nothing to do with it here.
  if (stmt_ != nullptr) (void)sqlite3_finalize(stmt_);
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) (void)sqlite3_finalize(stmt_);
    stmt_ = other.stmt_;
    other.stmt_ = nullptr;
  }
  return *this;
}

int Statement::prepare(sqlite3* db, std::string_view sql) {
  if (stmt_ != nullptr) {
    (void)sqlite3_finalize(stmt_);
    stmt_ = nullptr;
  }
  if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) return SQLITE_TOOBIG;
  return sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                            &stmt_, nullptr);
}

Run::~Run() {
  // reset() repeats the error of the last step, which the caller has already handled.
  (void)sqlite3_reset(stmt_);
  (void)sqlite3_clear_bindings(stmt_);
}

Run& Run::i64(int index, int64_t value) {
  note(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Run& Run::text(int index, std::string_view value) {
  // data() of an empty view may be null, which SQLite would bind as NULL: use "" instead.
  const char* p = value.data() != nullptr ? value.data() : "";
  note(sqlite3_bind_text64(stmt_, index, p, value.size(), SQLITE_STATIC, SQLITE_UTF8));
  return *this;
}

Run& Run::blob(int index, std::string_view value) {
  const char* p = value.data() != nullptr ? value.data() : "";
  note(sqlite3_bind_blob64(stmt_, index, p, value.size(), SQLITE_STATIC));
  return *this;
}

Run& Run::null(int index) {
  note(sqlite3_bind_null(stmt_, index));
  return *this;
}

int Run::step() {
  if (bind_rc_ != SQLITE_OK) return bind_rc_;
  return sqlite3_step(stmt_);
}

int Run::drain() {
  int rc = step();
  while (rc == SQLITE_ROW) rc = sqlite3_step(stmt_);
  return rc;
}

bool Run::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

int64_t Run::col_i64(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string Run::col_bytes(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  const int n = sqlite3_column_bytes(stmt_, col);
  if (p == nullptr || n <= 0) return {};
  return std::string(p, static_cast<std::size_t>(n));
}

int exec(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }

}  // namespace rigkeeper::agent::sqlite
