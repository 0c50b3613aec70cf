// The outbox cap: oldest telemetry and rack summaries go first; events and acks never.
#include <gtest/gtest.h>

#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/unit/store/store_test_util.h"

namespace rigkeeper::test {
namespace {

using C = MessageClass;

std::vector<int64_t> remaining(Store& store) {
  std::vector<int64_t> out;
  auto rows = store.outbox_read(0, 1000);
  EXPECT_TRUE(rows);
  if (rows) {
    for (const auto& m : *rows) out.push_back(m.seq);
  }
  return out;
}

// 10 rows of 100 bytes: events at 2 and 6, an ack at 9, rack summaries at 4 and 8.
std::vector<OutboxMessage> mixed_rows() {
  const C classes[] = {C::kTelemetry, C::kEvent,     C::kTelemetry, C::kRack, C::kTelemetry,
                       C::kEvent,     C::kTelemetry, C::kRack,      C::kAck,  C::kTelemetry};
  std::vector<OutboxMessage> rows;
  for (int64_t s = 1; s <= 10; ++s) rows.push_back(sized_msg(s, classes[s - 1], 100));
  return rows;
}

TEST(OutboxCap, UnderTheCapDropsNothing) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->outbox_append(mixed_rows(), false));
  auto r = store->outbox_enforce_cap_detailed(1000);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->dropped, 0);
  EXPECT_EQ(r->bytes_after, 1000);
  EXPECT_FALSE(r->over_cap);
  EXPECT_EQ(remaining(*store).size(), 10u);
}

TEST(OutboxCap, DropsOldestDroppableFirstAndCountsThem) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->outbox_append(mixed_rows(), false));

  // 1000 bytes, cap 650: 350 must go, i.e. 4 rows: telemetry 1, 3, rack 4, telemetry 5.
  auto r = store->outbox_enforce_cap_detailed(650);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->dropped, 4);
  EXPECT_EQ(r->bytes_after, 600);
  EXPECT_FALSE(r->over_cap);
  EXPECT_EQ(remaining(*store), (std::vector<int64_t>{2, 6, 7, 8, 9, 10}));

  auto st = store->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->rows, 6);
  EXPECT_EQ(st->bytes, 600);
  EXPECT_EQ(st->dropped_total, 4);

  // Counter and totals survive a restart.
  store.reset();
  store = open_store(dir.path());
  ASSERT_TRUE(store);
  st = store->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->dropped_total, 4);
  EXPECT_EQ(st->bytes, 600);
  EXPECT_EQ(st->rows, 6);

  // The plain form returns the number dropped and adds to the same counter.
  auto n = store->outbox_enforce_cap(500);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);  // telemetry 7
  EXPECT_EQ(remaining(*store), (std::vector<int64_t>{2, 6, 8, 9, 10}));
  st = store->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->dropped_total, 5);
}

TEST(OutboxCap, NeverDropsEventsOrAcksEvenOverTheCap) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->outbox_append(mixed_rows(), false));

  // Events and acks hold 300 bytes; a 250-byte cap cannot be met.
  auto r = store->outbox_enforce_cap_detailed(250);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->dropped, 7);
  EXPECT_EQ(r->bytes_after, 300);
  EXPECT_TRUE(r->over_cap);
  EXPECT_EQ(remaining(*store), (std::vector<int64_t>{2, 6, 9}));

  // Again: nothing left to drop, still over, counter unchanged.
  r = store->outbox_enforce_cap_detailed(250);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->dropped, 0);
  EXPECT_TRUE(r->over_cap);
  auto st = store->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->dropped_total, 7);
  EXPECT_EQ(st->max_seq, 10);

  // Newer telemetry appended over the cap is what goes next.
  ASSERT_TRUE(
      store->outbox_append(std::vector<OutboxMessage>{sized_msg(11, C::kTelemetry, 100)}, false));
  auto n = store->outbox_enforce_cap(250);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(remaining(*store), (std::vector<int64_t>{2, 6, 9}));
}

TEST(OutboxCap, RejectsANegativeCap) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  auto r = store->outbox_enforce_cap(-1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
}

TEST(OutboxCap, DropsCountedInMemoryArePersisted) {
  TempDir dir;
  {
    auto store = open_store(dir.path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->outbox_count_dropped(3));
    ASSERT_TRUE(store->outbox_count_dropped(0));
    auto neg = store->outbox_count_dropped(-2);
    ASSERT_FALSE(neg);
    EXPECT_EQ(neg.error().code, Errc::kInvalidArgument);
    ASSERT_TRUE(store->outbox_append(mixed_rows(), false));
    ASSERT_TRUE(store->outbox_enforce_cap(900));  // one more
    auto st = store->outbox_stats();
    ASSERT_TRUE(st);
    EXPECT_EQ(st->dropped_total, 4);
  }
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  auto st = store->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->dropped_total, 4);
  auto raw = store->get_meta("store.outbox_dropped_total");
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->value_or(""), "4");
}

}  // namespace
}  // namespace rigkeeper::test
