// The per-poll CPU cost of one miner, split into its steps, on the real S19 Pro and LuxOS captures.
#include <benchmark/benchmark.h>

#include "drivers/api/json_reader.h"
#include "drivers/api/json_repair.h"
#include "drivers/api/telemetry.h"
#include "drivers/asic/antminer/parser.h"
#include "drivers/asic/luxos/parser.h"
#include "tests/support/fixtures.h"

namespace {

using rigkeeper::test::fixture_path;
using rigkeeper::test::read_file;

std::string fixture(const std::string& rel) { return read_file(fixture_path(rel)); }

rigkeeper::drivers::asic::Replies load(const std::string& dir,
                                       const std::vector<std::string>& cmds) {
  rigkeeper::drivers::asic::Replies r;
  for (const auto& c : cmds) r[c] = nlohmann::json::parse(fixture(dir + "/" + c + ".json"));
  return r;
}

void BM_ParseCgminerStats(benchmark::State& state) {
  const std::string raw = fixture("asic/antminer_stock/stats.json");
  for (auto _ : state) benchmark::DoNotOptimize(rigkeeper::drivers::parse_cgminer_json(raw));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * raw.size()));
}
BENCHMARK(BM_ParseCgminerStats);

// As above, with each tree given back for the next (what a poll does): the steady state.
void BM_ParseCgminerStatsRecycled(benchmark::State& state) {
  const std::string raw = fixture("asic/antminer_stock/stats.json");
  for (auto _ : state) {
    auto tree = rigkeeper::drivers::parse_cgminer_json(raw);
    benchmark::DoNotOptimize(tree);
    rigkeeper::drivers::recycle_json(*tree);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * raw.size()));
}
BENCHMARK(BM_ParseCgminerStatsRecycled);

// The same bytes through nlohmann's own parser: what parse_cgminer_json's RapidJSON path saves.
void BM_NlohmannParseStats(benchmark::State& state) {
  const std::string raw = fixture("asic/antminer_stock/stats.json");
  for (auto _ : state)
    benchmark::DoNotOptimize(nlohmann::json::parse(raw, nullptr, /*allow_exceptions=*/false));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * raw.size()));
}
BENCHMARK(BM_NlohmannParseStats);

// A Braiins OS+ REST reply (the web-API families' path: read_json).
void BM_ReadJsonRestReply(benchmark::State& state) {
  const std::string raw = fixture("asic/braiins/rest_v25_07_miner_details.json");
  for (auto _ : state) benchmark::DoNotOptimize(rigkeeper::drivers::read_json(raw));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * raw.size()));
}
BENCHMARK(BM_ReadJsonRestReply);

void BM_RepairBrokenReply(benchmark::State& state) {
  const std::string good = fixture("asic/antminer_stock/stats.json");
  const auto last = good.find_last_of('}');
  const std::string raw = good.substr(0, last) + ",}";  // the `,}` defect: strict parse fails
  for (auto _ : state) benchmark::DoNotOptimize(rigkeeper::drivers::parse_cgminer_json(raw));
}
BENCHMARK(BM_RepairBrokenReply);

void BM_AntminerSnapshot(benchmark::State& state) {
  const auto replies = load("asic/antminer_stock", {"summary", "stats", "pools", "version"});
  for (auto _ : state)
    benchmark::DoNotOptimize(rigkeeper::drivers::antminer::parse_replies(replies));
}
BENCHMARK(BM_AntminerSnapshot);

void BM_LuxosSnapshot(benchmark::State& state) {
  const auto replies =
      load("asic/luxos", {"summary", "stats", "pools", "version", "devs", "power", "config"});
  for (auto _ : state) benchmark::DoNotOptimize(rigkeeper::drivers::luxos::parse_replies(replies));
}
BENCHMARK(BM_LuxosSnapshot);

void BM_SnapshotToJson(benchmark::State& state) {
  auto snap = rigkeeper::drivers::antminer::parse_replies(
      load("asic/antminer_stock", {"summary", "stats", "pools", "version"}));
  for (auto _ : state) benchmark::DoNotOptimize(rigkeeper::drivers::to_json_string(*snap));
}
BENCHMARK(BM_SnapshotToJson);

}  // namespace
