// Schema versions and ordered migrations.
#include "agent/store/schema.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/unit/store/store_test_util.h"

namespace rigkeeper::test {
namespace {

namespace fs = std::filesystem;
using agent::schema::Migration;

class RawDb {
 public:
  explicit RawDb(const fs::path& file) : path_(file) {
    EXPECT_EQ(sqlite3_open(file.c_str(), &db_), SQLITE_OK);
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  sqlite3* get() const { return db_; }
  const fs::path& path() const { return path_; }
  bool has_table(const std::string& name) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", -1,
                       &st, nullptr);
    sqlite3_bind_text(st, 1, name.c_str(), -1, SQLITE_TRANSIENT);
    const bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
  }
  int version() {
    auto v = agent::schema::read_version(db_, path_);
    EXPECT_TRUE(v);
    return v ? *v : -1;
  }

 private:
  fs::path path_;
  sqlite3* db_ = nullptr;
};

TEST(Schema, AnEmptyFileIsMigratedToTheCurrentVersion) {
  TempDir tmp;
  std::ofstream(tmp / "rigkeeper.db").close();  // 0 bytes: a valid, empty SQLite file
  ASSERT_EQ(fs::file_size(tmp / "rigkeeper.db"), 0u);
  {
    auto store = open_store(tmp.path());
    ASSERT_TRUE(store);
  }
  RawDb db(tmp / "rigkeeper.db");
  EXPECT_EQ(db.version(), agent::Store::schema_version());
  EXPECT_EQ(agent::Store::schema_version(), agent::schema::current_version());
  for (const char* t : {"outbox", "history", "meta", "commands"}) EXPECT_TRUE(db.has_table(t)) << t;
}

TEST(Schema, MigrationsApplyInOrderOnlyOnce) {
  TempDir tmp;
  RawDb db(tmp / "x.db");
  const Migration v1[] = {{1, "t1", "CREATE TABLE t1(a)"}};
  auto r = agent::schema::migrate(db.get(), db.path(), v1);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, 1);
  // A later build adds version 2: version 1 is not run again (it would fail: t1 exists).
  const Migration v2[] = {{1, "t1", "CREATE TABLE t1(a)"},
                          {2, "t2", "CREATE TABLE t2(b); INSERT INTO t2 VALUES (7)"}};
  r = agent::schema::migrate(db.get(), db.path(), v2);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, 2);
  EXPECT_TRUE(db.has_table("t2"));
  EXPECT_EQ(db.version(), 2);
  r = agent::schema::migrate(db.get(), db.path(), v2);  // idempotent
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 2);
}

TEST(Schema, AFailedMigrationLeavesThePreviousVersion) {
  TempDir tmp;
  RawDb db(tmp / "x.db");
  const Migration steps[] = {{1, "t1", "CREATE TABLE t1(a)"},
                             {2, "broken", "CREATE TABLE t2(b); SELECT no_such_function()"}};
  auto r = agent::schema::migrate(db.get(), db.path(), steps);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kStorage);
  EXPECT_NE(r.error().message.find("version 2"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("x.db"), std::string::npos) << r.error().message;
  EXPECT_EQ(db.version(), 1);
  EXPECT_TRUE(db.has_table("t1"));
  EXPECT_FALSE(db.has_table("t2"));  // rolled back with its step
}

TEST(Schema, RefusesMigrationListsOutOfOrder) {
  TempDir tmp;
  RawDb db(tmp / "x.db");
  const Migration steps[] = {{1, "a", "CREATE TABLE a(x)"}, {3, "c", "CREATE TABLE c(x)"}};
  auto r = agent::schema::migrate(db.get(), db.path(), steps);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInternal);
}

TEST(Schema, AFileFromANewerBuildIsRefusedNotTouched) {
  TempDir tmp;
  {
    auto store = open_store(tmp.path());
    ASSERT_TRUE(store);
  }
  {
    RawDb db(tmp / "rigkeeper.db");
    ASSERT_EQ(sqlite3_exec(db.get(), "PRAGMA user_version = 99", nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  auto r = agent::Store::open(tmp.path());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kStorage);
  EXPECT_NE(r.error().message.find("newer"), std::string::npos) << r.error().message;
  // Not damage: open_or_recover leaves it where it is.
  auto rec = agent::Store::open_or_recover(tmp.path());
  ASSERT_FALSE(rec);
  EXPECT_TRUE(fs::exists(tmp / "rigkeeper.db"));
  RawDb db(tmp / "rigkeeper.db");
  EXPECT_EQ(db.version(), 99);
}

}  // namespace
}  // namespace rigkeeper::test
