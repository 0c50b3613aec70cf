// rigkeeper history: rows from a store populated here, as JSONL snapshots and as a table.
#include <gtest/gtest.h>

#include "agent/store/store.h"
#include "drivers/api/telemetry.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/cli/cli_runner.h"

namespace rigkeeper::test {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

drivers::DeviceSnapshot snapshot(const std::string& id, Timestamp ts, double ths) {
  drivers::DeviceSnapshot s;
  s.ts = ts;
  s.device_id = id;
  s.host = "10.0.0.5";
  s.make = "Bitmain";
  s.model = "Antminer S19 Pro";
  s.firmware = "stock";
  s.state = drivers::DeviceState::kMining;
  s.hashrate_ths = ths;
  s.power_w = 3250;
  s.temp_max_c = 78;
  return s;
}

class History : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = agent::Store::open(dir_.path());
    ASSERT_TRUE(store) << store.error().message;
    std::vector<agent::HistoryRow> rows;
    using Row = std::tuple<std::string, minutes, double>;
    for (const auto& [id, age, ths] :
         {Row{"s19-01", hours(3), 101.0}, Row{"s19-02", hours(1), 102.0},
          Row{"s19-01", minutes(10), 103.0}}) {
      const auto snap = snapshot(id, now_ - age, ths);
      rows.push_back({id, to_unix_ms(snap.ts), drivers::to_json_string(snap)});
    }
    ASSERT_TRUE((*store)->history_append(rows));
  }

  std::vector<drivers::DeviceSnapshot> jsonl(const CliRun& run) {
    std::vector<drivers::DeviceSnapshot> out;
    for (const auto& line : run.result_lines()) {
      auto snap = drivers::snapshot_from_json(nlohmann::json::parse(line, nullptr, false));
      EXPECT_TRUE(snap) << line;
      if (snap) out.push_back(*snap);
    }
    return out;
  }

  std::string dir() const { return dir_.path().string(); }

  TempDir dir_;
  Timestamp now_ = now_ms();
};

TEST_F(History, JsonIsOneSnapshotPerLineInTimeOrder) {
  const auto run = rigkeeper_cli({"history", "--state-dir", dir(), "--json"});
  ASSERT_EQ(run.code, 0) << run.output;
  const auto snaps = jsonl(run);
  ASSERT_EQ(snaps.size(), 3u) << run.output;
  EXPECT_EQ(snaps[0].hashrate_ths, 101.0);
  EXPECT_EQ(snaps[1].hashrate_ths, 102.0);
  EXPECT_EQ(snaps[2].hashrate_ths, 103.0);
  EXPECT_EQ(snaps[2].ts, now_ - minutes(10));
  EXPECT_EQ(snaps[1].device_id, "s19-02");
}

TEST_F(History, DeviceFilter) {
  const auto run = rigkeeper_cli({"history", "s19-01", "--state-dir", dir(), "--json"});
  ASSERT_EQ(run.code, 0) << run.output;
  const auto snaps = jsonl(run);
  ASSERT_EQ(snaps.size(), 2u);
  for (const auto& s : snaps) EXPECT_EQ(s.device_id, "s19-01");
}

TEST_F(History, SinceDurationAndUntilTimestamp) {
  auto run = rigkeeper_cli({"history", "--state-dir", dir(), "--json", "--since", "2h"});
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(jsonl(run).size(), 2u);
  const auto until = format_rfc3339(now_ - minutes(30));
  run =
      rigkeeper_cli({"history", "--state-dir", dir(), "--json", "--since", "1d", "--until", until});
  ASSERT_EQ(run.code, 0) << run.output;
  const auto snaps = jsonl(run);
  ASSERT_EQ(snaps.size(), 2u);
  EXPECT_EQ(snaps.back().hashrate_ths, 102.0);
}

TEST_F(History, LimitKeepsTheNewest) {
  const auto run = rigkeeper_cli({"history", "--state-dir", dir(), "--json", "--limit", "1"});
  ASSERT_EQ(run.code, 0) << run.output;
  const auto snaps = jsonl(run);
  ASSERT_EQ(snaps.size(), 1u);
  EXPECT_EQ(snaps[0].hashrate_ths, 103.0);
}

TEST_F(History, TableHasOneRowPerSnapshot) {
  const auto run = rigkeeper_cli({"history", "--state-dir", dir()});
  ASSERT_EQ(run.code, 0) << run.output;
  const auto lines = run.result_lines();
  ASSERT_EQ(lines.size(), 4u) << run.output;  // header + 3 rows
  EXPECT_NE(lines[0].find("DEVICE"), std::string::npos);
  EXPECT_NE(lines[1].find("s19-01"), std::string::npos);
  EXPECT_NE(lines[1].find("101.00"), std::string::npos);
  EXPECT_NE(lines[1].find("3250"), std::string::npos);
  EXPECT_NE(lines[3].find("mining"), std::string::npos);
}

TEST_F(History, BadTimeArgumentIsUsageError) {
  EXPECT_EQ(rigkeeper_cli({"history", "--state-dir", dir(), "--since", "yesterday"}).code, 1);
  EXPECT_EQ(rigkeeper_cli({"history", "--state-dir", dir(), "--since", "10"}).code, 1);
  EXPECT_EQ(rigkeeper_cli({"history", "--state-dir", dir(), "--since", "1h", "--until", "2h"}).code,
            1);
}

TEST(HistoryNoStore, MissingStoreIsConfigError) {
  TempDir dir;
  const auto run = rigkeeper_cli({"history", "--state-dir", dir.path().string()});
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_NE(run.output.find("rigkeeper.db"), std::string::npos) << run.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "rigkeeper.db"))
      << "a read-only command created the store";
}

}  // namespace
}  // namespace rigkeeper::test
