// Opening the store: files and modes, pragmas, reopen, meta, the read-only CLI view.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/unit/store/store_test_util.h"

namespace rigkeeper::test {
namespace {

namespace fs = std::filesystem;

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

// Runs one query on a separate raw connection and returns the first column of the first row.
std::string raw_query(const fs::path& db_file, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(db_file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(st, 0);
      out = t ? reinterpret_cast<const char*>(t) : "";
    } else {
      out = std::string("ERROR ") + sqlite3_errmsg(db);
    }
    sqlite3_finalize(st);
  }
  sqlite3_close_v2(db);
  return out;
}

TEST(StoreOpen, CreatesDirectoryAndFileWithRestrictedModes) {
  TempDir tmp;
  const fs::path dir = tmp / "state" / "rigkeeper";
  auto store = open_store(dir);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->path(), dir / "rigkeeper.db");
  EXPECT_EQ(mode_of(dir), 0750u);
  EXPECT_EQ(mode_of(dir / "rigkeeper.db"), 0640u);
  ASSERT_TRUE(store->outbox_append(std::vector<OutboxMessage>{msg(1)}, false));
  ASSERT_TRUE(fs::exists(dir / "rigkeeper.db-wal"));  // WAL journaling
  EXPECT_EQ(mode_of(dir / "rigkeeper.db-wal"), 0640u);
  EXPECT_EQ(raw_query(dir / "rigkeeper.db", "PRAGMA journal_mode"), "wal");
}

TEST(StoreOpen, AStateDirThatIsAFileIsAClearError) {
  TempDir tmp;
  std::ofstream(tmp / "state") << "x";
  auto r = Store::open(tmp / "state");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kStorage);
  EXPECT_NE(r.error().message.find((tmp / "state").string()), std::string::npos)
      << r.error().message;
}

TEST(StoreOpen, ReopenKeepsRowsInOrderAndTheHighWaterMark) {
  TempDir tmp;
  {
    auto store = open_store(tmp.path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->outbox_append(std::vector<OutboxMessage>{msg(1), msg(2), msg(3)}, false));
    ASSERT_TRUE(
        store->outbox_append(std::vector<OutboxMessage>{msg(4, MessageClass::kEvent)}, true));
  }
  {
    auto store = open_store(tmp.path());
    ASSERT_TRUE(store);
    auto rows = store->outbox_read(0, 10);
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ((*rows)[i].seq, static_cast<int64_t>(i + 1));
    auto st = store->outbox_stats();
    ASSERT_TRUE(st);
    EXPECT_EQ(st->rows, 4);
    EXPECT_EQ(st->max_seq, 4);
    const std::vector<int64_t> all{1, 2, 3, 4};
    ASSERT_TRUE(store->outbox_delete(all));
  }
  auto store = open_store(tmp.path());
  ASSERT_TRUE(store);
  auto st = store->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->rows, 0);
  EXPECT_EQ(st->max_seq, 4);  // from meta: seq never goes backwards
}

TEST(StoreOpen, MetaGetSetAndReservedKeys) {
  TempDir tmp;
  {
    auto store = open_store(tmp.path());
    ASSERT_TRUE(store);
    auto none = store->get_meta("started_at");
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->has_value());
    ASSERT_TRUE(store->set_meta("started_at", "2026-01-01T00:00:00.000Z"));
    ASSERT_TRUE(store->set_meta("curtailment", "{\"mode\":\"sleep\"}", /*durable=*/true));
    ASSERT_TRUE(store->set_meta("started_at", "2026-01-02T00:00:00.000Z"));
    auto reserved = store->set_meta("store.outbox_max_seq", "0");
    ASSERT_FALSE(reserved);
    EXPECT_EQ(reserved.error().code, Errc::kInvalidArgument);
  }
  auto store = open_store(tmp.path());
  ASSERT_TRUE(store);
  auto v = store->get_meta("started_at");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->value_or(""), "2026-01-02T00:00:00.000Z");
  v = store->get_meta("curtailment");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->value_or(""), "{\"mode\":\"sleep\"}");
}

TEST(StoreOpen, ReadOnlyReaderSeesTheWritersCommits) {
  TempDir tmp;
  auto writer = open_store(tmp.path());
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->outbox_append(std::vector<OutboxMessage>{msg(1), msg(2)}, false));
  ASSERT_TRUE(writer->history_append(std::vector<agent::HistoryRow>{{"a", 1000, "{}"}}));
  ASSERT_TRUE(writer->set_meta("started_at", "x"));

  StoreOptions ro;
  ro.read_only = true;
  auto reader = open_store(tmp.path(), ro);
  ASSERT_TRUE(reader);
  auto rows = reader->outbox_read(0, 10);
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->size(), 2u);

  // The daemon keeps writing while the CLI has the file open.
  ASSERT_TRUE(writer->outbox_append(std::vector<OutboxMessage>{msg(3, MessageClass::kAck)}, true));
  ASSERT_TRUE(writer->outbox_enforce_cap(0));  // drops telemetry 1 and 2
  auto st = reader->outbox_stats();
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(st->rows, 1);
  EXPECT_EQ(st->max_seq, 3);
  EXPECT_EQ(st->dropped_total, 2);
  auto hist = reader->history_query(agent::HistoryQuery{});
  ASSERT_TRUE(hist);
  EXPECT_EQ(hist->size(), 1u);
  auto meta = reader->get_meta("started_at");
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->value_or(""), "x");

  // Every write through the reader is refused, naming the file.
  auto w1 = reader->outbox_append(std::vector<OutboxMessage>{msg(9)}, false);
  ASSERT_FALSE(w1);
  EXPECT_EQ(w1.error().code, Errc::kStorage);
  EXPECT_NE(w1.error().message.find("read-only"), std::string::npos) << w1.error().message;
  EXPECT_FALSE(reader->set_meta("k", "v"));
  EXPECT_FALSE(reader->outbox_delete(std::vector<int64_t>{3}));
  EXPECT_FALSE(reader->outbox_enforce_cap(0));
  EXPECT_FALSE(reader->history_prune(1 << 30, 0));
  EXPECT_FALSE(reader->checkpoint());
  // ...and the writer is unaffected.
  ASSERT_TRUE(writer->outbox_append(std::vector<OutboxMessage>{msg(4)}, false));
  ASSERT_TRUE(writer->checkpoint());
}

TEST(StoreOpen, ReadOnlyAfterTheDaemonClosedAndWithoutAFile) {
  TempDir tmp;
  StoreOptions ro;
  ro.read_only = true;
  auto missing = Store::open(tmp.path(), ro);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kStorage);
  EXPECT_NE(missing.error().message.find("rigkeeper.db"), std::string::npos);
  EXPECT_FALSE(fs::exists(tmp / "rigkeeper.db"));  // a reader never creates it

  {
    auto writer = open_store(tmp.path());
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->outbox_append(std::vector<OutboxMessage>{msg(1)}, false));
  }
  auto reader = open_store(tmp.path(), ro);
  ASSERT_TRUE(reader);
  auto st = reader->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->rows, 1);
}

// In a child switched to an unprivileged user: opens read-only and exits 0 if it sees `rows`.
int read_as_nobody(const fs::path& dir, int64_t rows) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(20);
    if (::access(dir.c_str(), W_OK) == 0) ::_exit(21);  // the point: no write access
    StoreOptions ro;
    ro.read_only = true;
    auto s = Store::open(dir, ro);
    if (!s) ::_exit(1);
    auto st = (*s)->outbox_stats();
    ::_exit(st && st->rows == rows ? 0 : 2);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(StoreOpen, AReaderWithoutWriteAccessReadsWithTheDaemonStoppedOrRunning) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to switch to an unprivileged user";
  TempDir tmp;
  {
    auto writer = open_store(tmp.path());
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->outbox_append(std::vector<OutboxMessage>{msg(1), msg(2)}, false));
  }
  // "Others" stand in for the daemon's group here: read, no write.
  fs::permissions(tmp.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(tmp / "rigkeeper.db", fs::perms::owner_read | fs::perms::owner_write |
                                            fs::perms::group_read | fs::perms::others_read);
  ASSERT_FALSE(fs::exists(tmp / "rigkeeper.db-wal"));
  EXPECT_EQ(read_as_nobody(tmp.path(), 2), 0) << "daemon stopped";

  auto writer = open_store(tmp.path());
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->outbox_append(std::vector<OutboxMessage>{msg(3)}, false));
  ASSERT_TRUE(fs::exists(tmp / "rigkeeper.db-shm"));
  EXPECT_EQ(read_as_nobody(tmp.path(), 3), 0) << "daemon running";
}

TEST(StoreOpen, TheCommandJournalTableExists) {
  TempDir tmp;
  auto store = open_store(tmp.path());
  ASSERT_TRUE(store);
  const std::string sql =
      raw_query(tmp / "rigkeeper.db", "SELECT sql FROM sqlite_master WHERE name = 'commands'");
  EXPECT_NE(sql.find("PRIMARY KEY"), std::string::npos) << sql;
  for (const char* col :
       {"id ", "received_ms", "source", "body", "state", "acks_json", "updated_ms"}) {
    EXPECT_NE(sql.find(col), std::string::npos) << col << " in " << sql;
  }
}

}  // namespace
}  // namespace rigkeeper::test
