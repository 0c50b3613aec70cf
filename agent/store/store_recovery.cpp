// Store::open_or_recover: the daemon's open. A database that SQLite reports as damaged is moved
// aside, with its WAL, so that a controller never stays down over a broken file, and so that
// the broken file is still there for a post-mortem.
#include <string>
#include <system_error>

#include "agent/store/sqlite_stmt.h"
#include "agent/store/store.h"
#include "drivers/api/timestamp.h"

namespace rigkeeper::agent {
namespace {

namespace fs = std::filesystem;

// What SQLite finds wrong with an open database: nullopt when it reads as sound; an error
// when it could not be checked for another reason (busy, I/O), which is not corruption.
Result<std::optional<std::string>> integrity_problem(sqlite3* db, const fs::path& file) {
  sqlite::Statement st;
  int rc = st.prepare(db, "PRAGMA quick_check(1)");
  if (rc == SQLITE_OK) {
    sqlite::Run run(st);
    rc = run.step();
    if (rc == SQLITE_ROW) {
      std::string verdict = run.col_bytes(0);
      if (verdict == "ok") return std::optional<std::string>{};
      return std::optional<std::string>("integrity check: " + verdict);
    }
  }
  if (sqlite::is_corruption(rc)) return std::optional<std::string>(sqlite3_errmsg(db));
  return tl::unexpected(sqlite::storage_error(db, rc, file, "checking the database's integrity"));
}

// The same, on a file that Store::open refused: opened read-only on its own.
std::optional<std::string> probe_file(const fs::path& file) {
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  std::optional<std::string> problem;
  if (rc != SQLITE_OK) {
    if (sqlite::is_corruption(rc)) problem = sqlite3_errstr(rc);
  } else {
    (void)sqlite3_busy_timeout(db, 5000);
    (void)sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);  // leave the WAL be
    auto r = integrity_problem(db, file);
    if (r) problem = *r;  // could not check: not known to be corrupt, so leave it alone
  }
  (void)sqlite3_close_v2(db);
  return problem;
}

// 20261122T091500Z, from the RFC 3339 text (calendar code that holds past 2038 on 32-bit ARM).
std::string utc_stamp() {
  const std::string t = format_rfc3339(now_ms());  // 2026-11-22T09:15:00.123Z
  std::string out;
  for (char c : t.substr(0, 19)) {
    if (c != '-' && c != ':') out += c;
  }
  return out + "Z";
}

fs::path with_suffix(const fs::path& p, const char* suffix) {
  return fs::path(p.string() + suffix);
}

// Renames the database (and its -wal and -journal) to `<file>.corrupt-<UTC time>`; drops the
// -shm index, which SQLite rebuilds. Returns the new name of the database.
Result<fs::path> move_aside(const fs::path& file) {
  const std::string base = file.string() + ".corrupt-" + utc_stamp();
  fs::path target = base;
  std::error_code ec;
  for (int n = 2; fs::exists(target, ec) && n < 1000; ++n) target = base + "-" + std::to_string(n);
  fs::rename(file, target, ec);
  if (ec) {
    return fail(Errc::kStorage, file.string() + ": cannot move the damaged database aside to " +
                                    target.string() + ": " + ec.message());
  }
  for (const char* side : {"-wal", "-journal"}) {
    if (fs::exists(with_suffix(file, side), ec)) {
      fs::rename(with_suffix(file, side), with_suffix(target, side), ec);
      if (ec) {
        return fail(Errc::kStorage,
                    with_suffix(file, side).string() + ": cannot move it aside: " + ec.message());
      }
    }
  }
  fs::remove(with_suffix(file, "-shm"), ec);
  if (ec)
    return fail(Errc::kStorage,
                with_suffix(file, "-shm").string() + ": cannot remove it: " + ec.message());
  return target;
}

}  // namespace

Result<OpenedStore> Store::open_or_recover(const fs::path& dir, StoreOptions options) {
  auto opened = open(dir, options);
  if (options.read_only) {
    if (!opened) return tl::unexpected(opened.error());
    return OpenedStore{std::move(*opened), std::nullopt, {}};
  }

  const fs::path file = dir / kFileName;
  std::string problem;
  if (opened) {
    auto p = integrity_problem((*opened)->db_, file);
    if (!p) return tl::unexpected(p.error());
    if (!p->has_value()) return OpenedStore{std::move(*opened), std::nullopt, {}};
    problem = **p;
    // Close before renaming, keeping the WAL as it is for the post-mortem.
    (void)sqlite3_db_config((*opened)->db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    opened->reset();
  } else {
    std::error_code ec;
    if (!fs::exists(file, ec)) return tl::unexpected(opened.error());
    auto p = probe_file(file);
    if (!p) return tl::unexpected(opened.error());  // not damaged: permissions, schema, disk...
    problem = opened.error().message;
  }

  auto aside = move_aside(file);
  if (!aside) return tl::unexpected(aside.error());
  auto fresh = open(dir, options);
  if (!fresh) return tl::unexpected(fresh.error());
  std::string note = file.string() + " was damaged (" + problem + "); moved it aside to " +
                     aside->string() + " and started a fresh database";
  return OpenedStore{std::move(*fresh), *aside, std::move(note)};
}

}  // namespace rigkeeper::agent
