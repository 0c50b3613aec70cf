// The telemetry history: queries by device and time, and pruning by age then size.
#include <gtest/gtest.h>

#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/unit/store/store_test_util.h"

namespace rigkeeper::test {
namespace {

using agent::HistoryQuery;
using agent::HistoryRow;

HistoryRow row(const std::string& device, int64_t ts, std::size_t bytes = 0) {
  std::string snap = "{\"device_id\":\"" + device + "\",\"ts\":" + std::to_string(ts) + "}";
  if (bytes > snap.size()) snap += std::string(bytes - snap.size(), ' ');
  return HistoryRow{device, ts, snap};
}

// Devices a and b, one snapshot each per 1000 ms from t=1000 to t=10000.
std::unique_ptr<Store> filled(const TempDir& dir) {
  auto store = open_store(dir.path());
  if (!store) return nullptr;
  std::vector<HistoryRow> rows;
  for (int64_t t = 1000; t <= 10000; t += 1000) {
    rows.push_back(row("a", t));
    rows.push_back(row("b", t));
  }
  EXPECT_TRUE(store->history_append(rows));
  return store;
}

std::vector<int64_t> times(const std::vector<HistoryRow>& rows) {
  std::vector<int64_t> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.ts_ms);
  return out;
}

TEST(History, QueryByDeviceAndInclusiveTimeRange) {
  TempDir dir;
  auto store = filled(dir);
  ASSERT_TRUE(store);
  HistoryQuery q;
  q.device_id = "a";
  q.since_ms = 3000;
  q.until_ms = 6000;
  auto rows = store->history_query(q);
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ(times(*rows), (std::vector<int64_t>{3000, 4000, 5000, 6000}));
  for (const auto& r : *rows) {
    EXPECT_EQ(r.device_id, "a");
    EXPECT_EQ(r.snapshot_json, row("a", r.ts_ms).snapshot_json);
  }
  q.device_id = "nope";
  rows = store->history_query(q);
  ASSERT_TRUE(rows);
  EXPECT_TRUE(rows->empty());
}

TEST(History, EachFilterAloneAndNone) {
  TempDir dir;
  auto store = filled(dir);
  ASSERT_TRUE(store);
  HistoryQuery all;
  auto rows = store->history_query(all);
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->size(), 20u);
  for (std::size_t i = 1; i < rows->size(); ++i) EXPECT_LE((*rows)[i - 1].ts_ms, (*rows)[i].ts_ms);

  HistoryQuery since;
  since.since_ms = 9000;
  rows = store->history_query(since);
  ASSERT_TRUE(rows);
  EXPECT_EQ(times(*rows), (std::vector<int64_t>{9000, 9000, 10000, 10000}));

  HistoryQuery until;
  until.until_ms = 1999;
  rows = store->history_query(until);
  ASSERT_TRUE(rows);
  EXPECT_EQ(times(*rows), (std::vector<int64_t>{1000, 1000}));

  HistoryQuery dev;
  dev.device_id = "b";
  rows = store->history_query(dev);
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->size(), 10u);
  for (const auto& r : *rows) EXPECT_EQ(r.device_id, "b");
}

TEST(History, LimitKeepsTheNewestInTimeOrder) {
  TempDir dir;
  auto store = filled(dir);
  ASSERT_TRUE(store);
  HistoryQuery q;
  q.device_id = "b";
  q.limit = 3;
  auto rows = store->history_query(q);
  ASSERT_TRUE(rows);
  EXPECT_EQ(times(*rows), (std::vector<int64_t>{8000, 9000, 10000}));

  q.limit = 0;  // no limit
  rows = store->history_query(q);
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->size(), 10u);

  // Equal timestamps keep insertion order.
  ASSERT_TRUE(store->history_append(
      std::vector<HistoryRow>{row("c", 500), HistoryRow{"c", 500, "second"}}));
  HistoryQuery c;
  c.device_id = "c";
  rows = store->history_query(c);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1].snapshot_json, "second");
}

TEST(History, PruneByAgeDeletesOnlyOlderRows) {
  TempDir dir;
  auto store = filled(dir);
  ASSERT_TRUE(store);
  auto n = store->history_prune(4000, int64_t{1} << 40);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 6);  // 1000, 2000, 3000 for both devices
  auto rows = store->history_query(HistoryQuery{});
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 14u);
  EXPECT_EQ(rows->front().ts_ms, 4000);
  n = store->history_prune(4000, int64_t{1} << 40);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 0);
}

TEST(History, PruneBySizeDeletesOldestUntilUnderTheLimit) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  std::vector<HistoryRow> rows;
  for (int64_t t = 1; t <= 10; ++t) rows.push_back(row(t % 2 ? "a" : "b", t * 100, 100));
  ASSERT_TRUE(store->history_append(rows));

  // 1000 bytes, limit 450: the six oldest go.
  auto n = store->history_prune(0, 450);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 6);
  auto left = store->history_query(HistoryQuery{});
  ASSERT_TRUE(left);
  EXPECT_EQ(times(*left), (std::vector<int64_t>{700, 800, 900, 1000}));

  // The running total survives a restart: nothing more to prune at the same limit.
  store.reset();
  store = open_store(dir.path());
  ASSERT_TRUE(store);
  n = store->history_prune(0, 400);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 0);
  n = store->history_prune(0, 399);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
}

TEST(History, AgeThenSizeInOneCall) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  std::vector<HistoryRow> rows;
  for (int64_t t = 1; t <= 10; ++t) rows.push_back(row("a", t * 100, 100));
  ASSERT_TRUE(store->history_append(rows));
  // Age removes 100..300 (300 bytes); size then needs 700 -> 500: 400, 500 go.
  auto n = store->history_prune(400, 500);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 5);
  auto left = store->history_query(HistoryQuery{});
  ASSERT_TRUE(left);
  EXPECT_EQ(times(*left), (std::vector<int64_t>{600, 700, 800, 900, 1000}));
  auto bad = store->history_prune(0, -1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::kInvalidArgument);
}

}  // namespace
}  // namespace rigkeeper::test
