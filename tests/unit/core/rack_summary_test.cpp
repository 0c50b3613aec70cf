#include "agent/core/rack_summary.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace rigkeeper::agent {
namespace {

using drivers::DeviceSnapshot;
using drivers::DeviceState;

DeviceSnapshot snap(DeviceState state, std::optional<double> power,
                    std::optional<double> hashrate) {
  DeviceSnapshot s;
  s.state = state;
  s.power_w = power;
  s.hashrate_ths = hashrate;
  return s;
}

TEST(RackSummary, CountsStatesAndSumsOnlyReportedValues) {
  auto a = snap(DeviceState::kMining, 3250, 110.5);
  auto b = snap(DeviceState::kMining, std::nullopt, 95.0);  // stock firmware: no power reading
  auto c = snap(DeviceState::kSleeping, 25, 0.0);
  auto d =
      snap(DeviceState::kOffline, 3000, 100);  // stale values of an offline device: not counted
  auto e = snap(DeviceState::kFault, std::nullopt, std::nullopt);
  const auto r = summarize_rack({&a, &b, &c, &d, &e, nullptr}, now_ms(), std::nullopt);
  EXPECT_EQ(r.total, 6);
  EXPECT_EQ(r.online, 4);
  EXPECT_EQ(r.mining, 2);
  EXPECT_EQ(r.curtailed, 1);
  EXPECT_EQ(r.faulted, 1);
  ASSERT_TRUE(r.power_w);
  EXPECT_DOUBLE_EQ(*r.power_w, 3275);
  ASSERT_TRUE(r.hashrate_ths);
  EXPECT_DOUBLE_EQ(*r.hashrate_ths, 205.5);
}

TEST(RackSummary, NothingReportedIsNullNotZero) {
  auto a = snap(DeviceState::kMining, std::nullopt, std::nullopt);
  const auto j = to_json(summarize_rack({&a}, now_ms(), std::nullopt));
  EXPECT_TRUE(j["power_w"].is_null());
  EXPECT_TRUE(j["hashrate_ths"].is_null());
  EXPECT_TRUE(j["power_budget_w"].is_null());
  EXPECT_EQ(j["devices"]["total"], 1);
  EXPECT_TRUE(j["ts"].is_string());
}

TEST(RackSummary, JsonHasTheContractKeys) {
  auto a = snap(DeviceState::kMining, 100, 1);
  const auto j = to_json(summarize_rack({&a}, now_ms(), 5000.0));
  for (const char* k : {"ts", "power_w", "hashrate_ths", "power_budget_w", "devices"})
    EXPECT_TRUE(j.contains(k)) << k;
  for (const char* k : {"total", "online", "mining", "curtailed", "faulted"})
    EXPECT_TRUE(j["devices"].contains(k)) << k;
  EXPECT_EQ(j["power_budget_w"], 5000.0);
}

}  // namespace
}  // namespace rigkeeper::agent
