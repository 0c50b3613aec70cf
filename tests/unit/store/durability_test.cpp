// Durability: what a killed daemon leaves behind, and which commits are synced.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/unit/store/store_test_util.h"
#include "tests/unit/store/sync_counting_vfs.h"

namespace rigkeeper::test {
namespace {

namespace fs = std::filesystem;

// Waits for a child with a generous deadline (so a stuck child fails the test, not the suite).
int wait_child(pid_t pid) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0) return -1;
    ::usleep(10'000);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return -1;
}

TEST(Durability, RowsOfAProcessKilledWithoutClosingAreReadableAfterwards) {
  TempDir tmp;
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // The child: write, then vanish like kill -9 (no destructors, no close, no checkpoint).
    auto s = Store::open(tmp.path());
    if (!s) ::_exit(10);
    Store& store = **s;
    std::vector<OutboxMessage> events;
    for (int64_t seq = 1; seq <= 20; ++seq) events.push_back(msg(seq, MessageClass::kEvent));
    if (!store.outbox_append(events, /*durable=*/true)) ::_exit(11);
    if (!store.outbox_append(std::vector<OutboxMessage>{msg(21), msg(22)}, false)) ::_exit(12);
    if (!store.outbox_append(std::vector<OutboxMessage>{msg(23, MessageClass::kAck)}, true))
      ::_exit(13);
    if (!store.outbox_delete(std::vector<int64_t>{1, 2, 3})) ::_exit(14);
    if (!store.set_meta("curtailment", "sleep", /*durable=*/true)) ::_exit(15);
    ::_exit(0);
  }
  const int status = wait_child(pid);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  ASSERT_EQ(WEXITSTATUS(status), 0);
  // Not closed: the commits are in the WAL, not yet in the database file.
  ASSERT_TRUE(fs::exists(tmp / "rigkeeper.db-wal"));
  EXPECT_GT(fs::file_size(tmp / "rigkeeper.db-wal"), 0u);

  auto store = open_store(tmp.path());
  ASSERT_TRUE(store);
  auto rows = store->outbox_read(0, 100);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 20u);
  for (std::size_t i = 0; i < rows->size(); ++i) {
    EXPECT_EQ((*rows)[i].seq, static_cast<int64_t>(i + 4));
    EXPECT_EQ((*rows)[i].payload, msg((*rows)[i].seq).payload);
  }
  EXPECT_EQ(rows->back().cls, MessageClass::kAck);
  auto st = store->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->max_seq, 23);
  EXPECT_EQ(st->rows, 20);
  auto meta = store->get_meta("curtailment");
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->value_or(""), "sleep");
}

TEST(Durability, SigkillMidStreamLeavesWholeBatchesInOrder) {
  TempDir tmp;
  constexpr int64_t kBatch = 10;
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(ready[0]);
    auto s = Store::open(tmp.path());
    if (!s) ::_exit(10);
    for (int64_t batch = 0;; ++batch) {
      std::vector<OutboxMessage> rows;
      for (int64_t i = 1; i <= kBatch; ++i) rows.push_back(msg(batch * kBatch + i));
      if (!(*s)->outbox_append(rows, batch % 4 == 0)) ::_exit(11);
      if (batch == 5) (void)!::write(ready[1], "r", 1);
    }
  }
  ::close(ready[1]);
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);  // some batches are committed; the child keeps going
  ::close(ready[0]);
  ::usleep(20'000);
  ::kill(pid, SIGKILL);
  const int status = wait_child(pid);
  ASSERT_TRUE(WIFSIGNALED(status)) << status;

  auto store = open_store(tmp.path());
  ASSERT_TRUE(store);
  auto st = store->outbox_stats();
  ASSERT_TRUE(st);
  ASSERT_GE(st->rows, 6 * kBatch);
  EXPECT_EQ(st->rows % kBatch, 0) << "a batch was half-committed";
  EXPECT_EQ(st->max_seq, st->rows);
  auto rows = store->outbox_read(0, static_cast<std::size_t>(st->rows) + 1);
  ASSERT_TRUE(rows);
  ASSERT_EQ(static_cast<int64_t>(rows->size()), st->rows);
  for (std::size_t i = 0; i < rows->size(); ++i)
    ASSERT_EQ((*rows)[i].seq, static_cast<int64_t>(i + 1));
  // And the store takes the next seq after a restart.
  ASSERT_TRUE(store->outbox_append(std::vector<OutboxMessage>{msg(st->max_seq + 1)}, false));
}

TEST(Durability, DurableCommitsSyncTheWalNormalOnesDoNot) {
  SyncCountingVfs::install();
  TempDir tmp;
  auto store = open_store(tmp.path());
  ASSERT_TRUE(store);
  // Warm up: the first frames of a fresh WAL sync its header whatever the mode.
  ASSERT_TRUE(store->outbox_append(std::vector<OutboxMessage>{msg(1)}, false));
  ASSERT_TRUE(store->history_append(std::vector<agent::HistoryRow>{{"a", 1, "{}"}}));

  SyncCountingVfs::reset();
  ASSERT_TRUE(store->outbox_append(std::vector<OutboxMessage>{msg(2), msg(3)}, false));
  ASSERT_TRUE(store->outbox_delete(std::vector<int64_t>{2}));
  ASSERT_TRUE(store->history_append(std::vector<agent::HistoryRow>{{"a", 2, "{}"}}));
  ASSERT_TRUE(store->set_meta("k", "v"));
  EXPECT_EQ(SyncCountingVfs::counts().wal, 0) << "NORMAL commits must not fsync the WAL";

  ASSERT_TRUE(store->outbox_append(std::vector<OutboxMessage>{msg(4, MessageClass::kEvent)}, true));
  const int64_t after_durable = SyncCountingVfs::counts().wal;
  EXPECT_GE(after_durable, 1) << "a durable commit must fsync the WAL";

  // Back to NORMAL for the next telemetry commit.
  ASSERT_TRUE(store->outbox_append(std::vector<OutboxMessage>{msg(5)}, false));
  EXPECT_EQ(SyncCountingVfs::counts().wal, after_durable);

  ASSERT_TRUE(store->set_meta("curtailment", "sleep", /*durable=*/true));
  EXPECT_GT(SyncCountingVfs::counts().wal, after_durable);
}

}  // namespace
}  // namespace rigkeeper::test
