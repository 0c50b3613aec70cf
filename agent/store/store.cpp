#include "agent/store/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "agent/store/schema.h"
#include "agent/store/store_statements.h"

namespace rigkeeper::agent {
namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr int64_t kJournalSizeLimit = 4 << 20;  // the WAL is truncated to this after a checkpoint

Error os_error(const std::filesystem::path& path, std::string_view what, int err) {
  return Error{Errc::kStorage,
               path.string() + ": " + std::strerror(err) + " (while " + std::string(what) + ")"};
}

// The directory (0750) and an empty file (0640) before SQLite sees them: SQLite would create
// the file 0644, and it gives the -wal and -shm files the database file's mode.
Result<void> prepare_files(const std::filesystem::path& dir, const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    if (dir.has_parent_path()) std::filesystem::create_directories(dir.parent_path(), ec);
    if (::mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST)
      return tl::unexpected(os_error(dir, "creating the state directory", errno));
    if (::chmod(dir.c_str(), 0750) != 0)
      return tl::unexpected(os_error(dir, "setting the state directory's mode", errno));
  }
  if (!std::filesystem::is_directory(dir, ec)) {
    return fail(Errc::kStorage, dir.string() + ": not a directory (the state directory)");
  }
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0) {
    if (errno == EEXIST) return {};
    return tl::unexpected(os_error(file, "creating the database file", errno));
  }
  const int chmod_err = ::fchmod(fd, 0640) != 0 ? errno : 0;
  ::close(fd);
  if (chmod_err != 0)
    return tl::unexpected(os_error(file, "setting the database file's mode", chmod_err));
  return {};
}

// Runs a pragma and returns its first result column as text ("" if it returns no row).
Result<std::string> pragma(sqlite3* db, const std::filesystem::path& path, const std::string& sql) {
  sqlite::Statement st;
  int rc = st.prepare(db, sql);
  if (rc != SQLITE_OK) return tl::unexpected(sqlite::storage_error(db, rc, path, sql));
  sqlite::Run run(st);
  rc = run.step();
  if (rc == SQLITE_DONE) return std::string();
  if (rc != SQLITE_ROW) return tl::unexpected(sqlite::storage_error(db, rc, path, sql));
  std::string value = run.col_bytes(0);
  rc = run.drain();
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite::storage_error(db, rc, path, sql));
  return value;
}

Result<void> configure(sqlite3* db, const std::filesystem::path& path,
                       const StoreOptions& options) {
  const int64_t cache_kib = options.page_cache_kib > 0 ? options.page_cache_kib : 2048;
  if (options.read_only) {
    // The first read of the file: a damaged or foreign file fails here.
    if (auto r = pragma(db, path, "PRAGMA schema_version"); !r) return tl::unexpected(r.error());
  } else {
    auto mode = pragma(db, path, "PRAGMA journal_mode = WAL");
    if (!mode) return tl::unexpected(mode.error());
    if (*mode != "wal") {
      return fail(Errc::kStorage,
                  path.string() + ": cannot switch to WAL journaling (got \"" + *mode + "\")");
    }
  }
  const std::string pragmas[] = {
      "PRAGMA synchronous = NORMAL",
      "PRAGMA cache_size = -" + std::to_string(cache_kib),
      "PRAGMA foreign_keys = ON",
      "PRAGMA trusted_schema = OFF",
      "PRAGMA journal_size_limit = " + std::to_string(kJournalSizeLimit),
  };
  for (const std::string& p : pragmas) {
    if (options.read_only && p.find("journal_size_limit") != std::string::npos) continue;
    if (auto r = pragma(db, path, p); !r) return tl::unexpected(r.error());
  }
  return {};
}

Result<void> check_schema(sqlite3* db, const std::filesystem::path& path, bool read_only) {
  if (!read_only) {
    auto v = schema::migrate(db, path, schema::migrations());
    if (!v) return tl::unexpected(v.error());
    return {};
  }
  auto v = schema::read_version(db, path);
  if (!v) return tl::unexpected(v.error());
  if (*v != schema::current_version()) {
    return fail(Errc::kStorage, path.string() + ": schema version " + std::to_string(*v) +
                                    ", this build reads " +
                                    std::to_string(schema::current_version()) +
                                    " (start rigkeeperd of this version once to migrate it)");
  }
  return {};
}

// The name handed to SQLite. A reader that cannot create the -shm index beside a WAL database
// (the CLI run by a technician in the daemon's group: directory 0750, file 0640) is refused
// by SQLite once the daemon has stopped and removed the WAL. Without a WAL the file is
// complete, so such a reader opens it as immutable instead.
std::string sqlite_name(const std::filesystem::path& file, bool read_only, int& flags) {
  if (!read_only) return file.string();
  const std::filesystem::path dir =
      file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (std::filesystem::exists(file.string() + "-wal", ec) || ::access(dir.c_str(), W_OK) == 0)
    return file.string();
  flags |= SQLITE_OPEN_URI;
  std::string uri = "file:";
  for (const char c : file.string()) {
    if (c == '%' || c == '?' || c == '#') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[(static_cast<unsigned char>(c) >> 4) & 0xf];
      uri += kHex[static_cast<unsigned char>(c) & 0xf];
    } else {
      uri += c;
    }
  }
  return uri + "?immutable=1";
}

}  // namespace

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& dir, StoreOptions options) {
  const std::filesystem::path file = dir / kFileName;
  if (options.read_only) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
      return fail(Errc::kStorage,
                  file.string() + ": no database here (rigkeeperd creates it on first start)");
    }
  } else if (auto r = prepare_files(dir, file); !r) {
    return tl::unexpected(r.error());
  }

  sqlite3* db = nullptr;
  int flags =
      (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  const std::string name = sqlite_name(file, options.read_only, flags);
  const int rc = sqlite3_open_v2(name.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = sqlite::storage_error(db, rc, file, "opening");
    (void)sqlite3_close_v2(db);
    return tl::unexpected(std::move(e));
  }
  std::unique_ptr<Store> store(new Store(db, file));  // owns db from here on
  (void)sqlite3_busy_timeout(db, kBusyTimeoutMs);
  // Until the file has proved sound, closing must not checkpoint or delete its WAL: a damaged
  // database is moved aside together with its WAL (see open_or_recover).
  (void)sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);

  if (auto r = configure(db, file, options); !r) return tl::unexpected(r.error());
  if (auto r = check_schema(db, file, options.read_only); !r) return tl::unexpected(r.error());

  auto& s = *store->stmts_;
  s.db = db;
  s.path = file;
  s.read_only = options.read_only;
  if (auto r = s.prepare_all(); !r) return tl::unexpected(r.error());
  if (auto r = s.load_totals(); !r) return tl::unexpected(r.error());
  // A clean close checkpoints and removes the WAL.
  (void)sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, nullptr);
  return store;
}

int Store::schema_version() { return schema::current_version(); }

Store::Store(sqlite3* db, std::filesystem::path path)
    : db_(db), path_(std::move(path)), stmts_(std::make_unique<Statements>()) {}

Store::~Store() {
  stmts_.reset();  // statements are finalised before the connection closes
  // The last connection to close checkpoints the WAL and removes it; nothing to report to.
  (void)sqlite3_close_v2(db_);
}

Result<std::optional<std::string>> Store::get_meta(const std::string& key) {
  return stmts_->meta_read(key);
}

Result<void> Store::set_meta(const std::string& key, const std::string& value, bool durable) {
  if (std::string_view(key).substr(0, kMetaPrefix.size()) == kMetaPrefix) {
    return fail(Errc::kInvalidArgument,
                "meta key " + key + " is reserved for the store's own counters");
  }
  return stmts_->write(
      durable, "writing meta key " + key, [&] { return stmts_->meta_write(key, value); }, [] {});
}

Result<void> Store::checkpoint() {
  if (auto r = stmts_->writable("checkpointing"); !r) return r;
  int log_frames = 0;
  int checkpointed = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log_frames,
                                           &checkpointed);
  // BUSY: a reader holds part of the WAL; what could be copied was, the rest waits for later.
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) return stmts_->failure(rc, "checkpointing the WAL");
  return {};
}

}  // namespace rigkeeper::agent
