// The store's hot paths at the daemon's rate: ~200 telemetry rows per flush, 1.5 KB each, one
// transaction per flush. Run: store_bench [--benchmark_filter=...]. The database lives under
// $TMPDIR: point TMPDIR at the controller's flash to measure its fsync cost.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "agent/store/store.h"
#include "tests/support/temp_dir.h"

namespace {

using rigkeeper::agent::HistoryRow;
using rigkeeper::agent::MessageClass;
using rigkeeper::agent::OutboxMessage;
using rigkeeper::agent::Store;

constexpr int kBatch = 200;
constexpr std::size_t kPayload = 1500;

std::unique_ptr<Store> open_or_die(const rigkeeper::test::TempDir& dir) {
  auto s = Store::open(dir.path());
  if (!s) {
    fprintf(stderr, "store_bench: %s\n", s.error().message.c_str());
    std::abort();
  }
  return std::move(*s);
}

std::vector<OutboxMessage> batch(int64_t first_seq, MessageClass cls) {
  std::vector<OutboxMessage> out;
  out.reserve(kBatch);
  for (int i = 0; i < kBatch; ++i) {
    OutboxMessage m;
    m.seq = first_seq + i;
    m.cls = cls;
    m.topic = "rigkeeper/v1/site-a/rack-07/telemetry/miner-" + std::to_string(i);
    m.payload = std::string(kPayload, 'x');
    m.created_ms = 1'700'000'000'000 + m.seq;
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<int64_t> seqs(const std::vector<OutboxMessage>& rows) {
  std::vector<int64_t> out;
  out.reserve(rows.size());
  for (const auto& m : rows) out.push_back(m.seq);
  return out;
}

void check(bool ok, benchmark::State& state, const char* what) {
  if (!ok) state.SkipWithError(what);
}

// Appends one flush's batch; the rows are deleted outside the timing to keep the table small.
void BM_OutboxAppendBatch(benchmark::State& state) {
  const bool durable = state.range(0) != 0;
  rigkeeper::test::TempDir dir;
  auto store = open_or_die(dir);
  int64_t seq = 1;
  for (auto _ : state) {
    state.PauseTiming();
    auto rows = batch(seq, durable ? MessageClass::kEvent : MessageClass::kTelemetry);
    seq += kBatch;
    state.ResumeTiming();
    check(store->outbox_append(rows, durable).has_value(), state, "append failed");
    state.PauseTiming();
    check(store->outbox_delete(seqs(rows)).has_value(), state, "delete failed");
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.SetBytesProcessed(state.iterations() * kBatch * static_cast<int64_t>(kPayload));
}
BENCHMARK(BM_OutboxAppendBatch)->ArgName("durable")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// Drains one batch as the link does once the broker is back: read 200 oldest, delete them.
void BM_OutboxReadDelete(benchmark::State& state) {
  rigkeeper::test::TempDir dir;
  auto store = open_or_die(dir);
  int64_t seq = 1;
  for (auto _ : state) {
    state.PauseTiming();
    check(store->outbox_append(batch(seq, MessageClass::kTelemetry), false).has_value(), state,
          "append failed");
    seq += kBatch;
    state.ResumeTiming();
    auto rows = store->outbox_read(0, kBatch);
    check(rows && rows->size() == kBatch, state, "read failed");
    if (rows) check(store->outbox_delete(seqs(*rows)).has_value(), state, "delete failed");
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_OutboxReadDelete)->Unit(benchmark::kMicrosecond);

// One poll cycle of history: 200 snapshots in one transaction (the table grows, as it does).
void BM_HistoryAppend(benchmark::State& state) {
  rigkeeper::test::TempDir dir;
  auto store = open_or_die(dir);
  std::vector<HistoryRow> rows;
  rows.reserve(kBatch);
  for (int i = 0; i < kBatch; ++i)
    rows.push_back({"miner-" + std::to_string(i), 0, std::string(kPayload, 'y')});
  int64_t ts = 1'700'000'000'000;
  for (auto _ : state) {
    for (auto& r : rows) r.ts_ms = ts;
    ts += 1000;
    check(store->history_append(rows).has_value(), state, "append failed");
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_HistoryAppend)->Unit(benchmark::kMicrosecond);

// What every status publish costs.
void BM_OutboxStats(benchmark::State& state) {
  rigkeeper::test::TempDir dir;
  auto store = open_or_die(dir);
  for (int64_t b = 0; b < 20; ++b)
    (void)store->outbox_append(batch(1 + b * kBatch, MessageClass::kTelemetry), false);
  for (auto _ : state) {
    auto st = store->outbox_stats();
    benchmark::DoNotOptimize(st);
  }
}
BENCHMARK(BM_OutboxStats);

}  // namespace
