// Outbox basics: order, paging, deletion, stats, validation, large payloads.
#include <gtest/gtest.h>

#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/unit/store/store_test_util.h"

namespace rigkeeper::test {
namespace {

std::vector<int64_t> seqs_of(const std::vector<OutboxMessage>& rows) {
  std::vector<int64_t> out;
  out.reserve(rows.size());
  for (const auto& m : rows) out.push_back(m.seq);
  return out;
}

TEST(Outbox, ReadsBackEveryFieldInSeqOrder) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  // Appended out of order across two batches: read back by seq.
  std::vector<OutboxMessage> a{msg(3, MessageClass::kEvent), msg(1), msg(2, MessageClass::kRack)};
  std::vector<OutboxMessage> b{msg(5, MessageClass::kAck), msg(4)};
  ASSERT_TRUE(store->outbox_append(a, false));
  ASSERT_TRUE(store->outbox_append(b, true));

  auto rows = store->outbox_read(0, 100);
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(seqs_of(*rows), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  for (const auto& got : *rows) {
    const OutboxMessage want = msg(got.seq, got.cls);
    EXPECT_EQ(got.topic, want.topic);
    EXPECT_EQ(got.payload, want.payload);
    EXPECT_EQ(got.qos, want.qos);
    EXPECT_EQ(got.retain, want.retain);
    EXPECT_EQ(got.created_ms, want.created_ms);
  }
  EXPECT_EQ((*rows)[2].cls, MessageClass::kEvent);
  EXPECT_EQ((*rows)[1].cls, MessageClass::kRack);
  EXPECT_EQ((*rows)[4].cls, MessageClass::kAck);
}

TEST(Outbox, PagesWithAfterSeqAndLimit) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  std::vector<OutboxMessage> batch;
  for (int64_t s = 1; s <= 25; ++s) batch.push_back(msg(s * 2));  // 2, 4, ..., 50
  ASSERT_TRUE(store->outbox_append(batch, false));

  std::vector<int64_t> seen;
  int64_t cursor = 0;
  int pages = 0;
  while (true) {
    auto page = store->outbox_read(cursor, 7);
    ASSERT_TRUE(page);
    if (page->empty()) break;
    EXPECT_LE(page->size(), 7u);
    for (const auto& m : *page) seen.push_back(m.seq);
    cursor = page->back().seq;
    ++pages;
  }
  EXPECT_EQ(pages, 4);
  ASSERT_EQ(seen.size(), 25u);
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], static_cast<int64_t>(i + 1) * 2);
  // after_seq between stored seqs, and limit 0.
  auto mid = store->outbox_read(31, 2);
  ASSERT_TRUE(mid);
  EXPECT_EQ(seqs_of(*mid), (std::vector<int64_t>{32, 34}));
  auto none = store->outbox_read(0, 0);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST(Outbox, DeleteRemovesOnlyThoseRowsAndUpdatesStats) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  std::vector<OutboxMessage> batch;
  int64_t total = 0;
  for (int64_t s = 1; s <= 6; ++s) {
    batch.push_back(sized_msg(s, MessageClass::kTelemetry, 100 + static_cast<std::size_t>(s)));
    total += 100 + s;
  }
  ASSERT_TRUE(store->outbox_append(batch, false));
  auto st = store->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->rows, 6);
  EXPECT_EQ(st->bytes, total);
  EXPECT_EQ(st->max_seq, 6);
  EXPECT_EQ(st->oldest_ms, batch[0].created_ms);

  const std::vector<int64_t> gone{1, 4, 99};  // 99 does not exist: ignored
  ASSERT_TRUE(store->outbox_delete(gone));
  auto rows = store->outbox_read(0, 100);
  ASSERT_TRUE(rows);
  EXPECT_EQ(seqs_of(*rows), (std::vector<int64_t>{2, 3, 5, 6}));
  st = store->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->rows, 4);
  EXPECT_EQ(st->bytes, total - 101 - 104);
  EXPECT_EQ(st->oldest_ms, batch[1].created_ms);

  const std::vector<int64_t> rest{2, 3, 5, 6};
  ASSERT_TRUE(store->outbox_delete(rest));
  st = store->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->rows, 0);
  EXPECT_EQ(st->bytes, 0);
  EXPECT_FALSE(st->oldest_ms.has_value());
  EXPECT_EQ(st->max_seq, 6);  // the high-water mark stays
}

TEST(Outbox, StatsOfAFreshStore) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  auto st = store->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->rows, 0);
  EXPECT_EQ(st->bytes, 0);
  EXPECT_EQ(st->dropped_total, 0);
  EXPECT_EQ(st->max_seq, 0);
  EXPECT_FALSE(st->oldest_ms.has_value());
}

TEST(Outbox, RejectsInvalidMessagesAndKeepsBatchesAtomic) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->outbox_append(std::vector<OutboxMessage>{msg(1), msg(2)}, false));

  auto bad_seq = msg(0);
  auto bad_qos = msg(10);
  bad_qos.qos = 3;
  auto bad_cls = msg(11);
  bad_cls.cls = static_cast<MessageClass>(9);
  for (const auto& bad : {bad_seq, bad_qos, bad_cls}) {
    auto r = store->outbox_append(std::vector<OutboxMessage>{msg(20), bad}, false);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  }
  // A duplicate seq fails in SQLite: the whole batch is rolled back, totals unchanged.
  auto dup = store->outbox_append(std::vector<OutboxMessage>{msg(3), msg(4), msg(2)}, false);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Errc::kStorage);
  EXPECT_NE(dup.error().message.find("rigkeeper.db"), std::string::npos) << dup.error().message;
  auto rows = store->outbox_read(0, 100);
  ASSERT_TRUE(rows);
  EXPECT_EQ(seqs_of(*rows), (std::vector<int64_t>{1, 2}));
  auto st = store->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->rows, 2);
  EXPECT_EQ(st->max_seq, 2);
  // The store still works after the failed transaction.
  ASSERT_TRUE(store->outbox_append(std::vector<OutboxMessage>{msg(3)}, true));
}

TEST(Outbox, LargeAndBinaryPayloadsRoundTrip) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  OutboxMessage big = msg(1, MessageClass::kEvent);
  big.payload.resize(6u << 20);
  for (std::size_t i = 0; i < big.payload.size(); ++i)
    big.payload[i] = static_cast<char>((i * 131) & 0xff);
  OutboxMessage empty = msg(2);
  empty.payload.clear();
  OutboxMessage nul = msg(3);
  nul.payload = std::string("a\0b\xff\xfe", 5);
  ASSERT_TRUE(store->outbox_append(std::vector<OutboxMessage>{big, empty, nul}, true));

  auto rows = store->outbox_read(0, 10);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_TRUE((*rows)[0].payload == big.payload);
  EXPECT_EQ((*rows)[1].payload, "");
  EXPECT_EQ((*rows)[2].payload, nul.payload);
  auto st = store->outbox_stats();
  ASSERT_TRUE(st);
  const auto expect =
      static_cast<int64_t>(big.topic.size() + big.payload.size() + empty.topic.size() +
                           nul.topic.size() + nul.payload.size());
  EXPECT_EQ(st->bytes, expect);
  // Deleting the big one subtracts exactly its size.
  ASSERT_TRUE(store->outbox_delete(std::vector<int64_t>{1}));
  st = store->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->bytes, expect - static_cast<int64_t>(big.topic.size() + big.payload.size()));
}

}  // namespace
}  // namespace rigkeeper::test
