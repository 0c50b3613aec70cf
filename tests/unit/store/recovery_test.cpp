// A damaged database: a clear error from open(), and open_or_recover() moving it aside.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/unit/store/store_test_util.h"

namespace rigkeeper::test {
namespace {

namespace fs = std::filesystem;

std::string garbage(std::size_t n) {
  std::mt19937 rng(42);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(rng() & 0xff);
  return out;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<fs::path> corrupt_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().rfind("rigkeeper.db.corrupt-", 0) == 0)
      out.push_back(e.path());
  }
  return out;
}

TEST(Recovery, OpenNamesTheFileAndSqlitesMessage) {
  TempDir tmp;
  std::ofstream(tmp / "rigkeeper.db", std::ios::binary) << garbage(8192);
  auto r = Store::open(tmp.path());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kStorage);
  EXPECT_NE(r.error().message.find((tmp / "rigkeeper.db").string()), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("not a database"), std::string::npos) << r.error().message;

  StoreOptions ro;
  ro.read_only = true;
  auto r2 = Store::open(tmp.path(), ro);
  ASSERT_FALSE(r2);
  EXPECT_NE(r2.error().message.find("not a database"), std::string::npos) << r2.error().message;
  // Read-only never moves anything.
  auto r3 = Store::open_or_recover(tmp.path(), ro);
  ASSERT_FALSE(r3);
  EXPECT_TRUE(corrupt_files(tmp.path()).empty());
}

TEST(Recovery, AGarbageFileIsMovedAsideAndAFreshStoreStarts) {
  TempDir tmp;
  const std::string junk = garbage(8192);
  std::ofstream(tmp / "rigkeeper.db", std::ios::binary) << junk;
  std::ofstream(tmp / "rigkeeper.db-wal", std::ios::binary) << garbage(100);

  auto r = Store::open_or_recover(tmp.path());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->store);
  ASSERT_TRUE(r->moved_aside.has_value());
  EXPECT_NE(r->note.find("moved it aside"), std::string::npos) << r->note;
  EXPECT_NE(r->note.find(r->moved_aside->string()), std::string::npos) << r->note;

  const auto aside = corrupt_files(tmp.path());
  ASSERT_EQ(aside.size(), 2u);  // the database and its WAL, side by side
  EXPECT_EQ(read_all(*r->moved_aside), junk);
  EXPECT_TRUE(fs::exists(r->moved_aside->string() + "-wal"));

  // The fresh store works.
  ASSERT_TRUE(r->store->outbox_append(std::vector<OutboxMessage>{msg(1)}, true));
  auto st = r->store->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->rows, 1);
}

TEST(Recovery, ADamagedPageFoundByTheIntegrityCheck) {
  TempDir tmp;
  {
    auto store = open_store(tmp.path());
    ASSERT_TRUE(store);
    std::vector<agent::HistoryRow> rows;
    rows.reserve(400);
    for (int i = 0; i < 400; ++i)
      rows.push_back({"dev" + std::to_string(i % 7), i, std::string(300, 'x')});
    ASSERT_TRUE(store->history_append(rows));
  }
  // Keep page 1 (the header and schema) and overwrite pages 3..6 of the 4 KiB pages.
  ASSERT_GT(fs::file_size(tmp / "rigkeeper.db"), 8u * 4096);
  {
    std::fstream f(tmp / "rigkeeper.db", std::ios::in | std::ios::out | std::ios::binary);
    constexpr std::size_t kPage = 4096;
    f.seekp(static_cast<std::streamoff>(2 * kPage));
    const std::string junk = garbage(4 * kPage);
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto r = Store::open_or_recover(tmp.path());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->moved_aside.has_value()) << "a damaged page was not detected";
  auto hist = r->store->history_query(agent::HistoryQuery{});
  ASSERT_TRUE(hist);
  EXPECT_TRUE(hist->empty());
}

TEST(Recovery, AHealthyStoreIsLeftAlone) {
  TempDir tmp;
  {
    auto store = open_store(tmp.path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->outbox_append(std::vector<OutboxMessage>{msg(1), msg(2)}, false));
  }
  auto r = Store::open_or_recover(tmp.path());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->moved_aside.has_value());
  EXPECT_TRUE(r->note.empty());
  auto st = r->store->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->rows, 2);
  EXPECT_TRUE(corrupt_files(tmp.path()).empty());

  // A brand-new directory is not a recovery either.
  auto fresh = Store::open_or_recover(tmp / "new");
  ASSERT_TRUE(fresh);
  EXPECT_FALSE(fresh->moved_aside.has_value());
}

}  // namespace
}  // namespace rigkeeper::test
