// Curtailments kept in force: budget curtail picks the least efficient miners and leaves GPU
// nodes alone, a device that comes back mining is put to sleep again (also after a restart
// of the agent), resume wakes only what this agent curtailed, and expiry resumes.
#include <gtest/gtest.h>

#include "agent/store/store.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/commands/fake_devices.h"

namespace rigkeeper::agent::commands {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using test::run_until;
using Strings = std::vector<std::string>;
using drivers::DeviceState;

class CurtailmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::open(dir.path());
    ASSERT_TRUE(s) << s.error().message;
    store = std::move(*s);
    devices.add({.id = "s21", .power_w = 3500, .efficiency_jth = 17.5});
    devices.add({.id = "s19", .power_w = 3250, .efficiency_jth = 34.5});
    devices.add({.id = "s19j", .power_w = 3050, .efficiency_jth = 29.5});
    devices.add({.id = "gpu1",
                 .kind = drivers::DeviceKind::kGpuNode,
                 .state = DeviceState::kServing,
                 .power_w = 5000,
                 .efficiency_jth = std::nullopt});
  }
  void make() {
    ProcessorOptions o;
    o.reapply_interval = milliseconds(0);
    processor = std::make_unique<CommandProcessor>(io, store.get(), devices, out, KeyRing{}, o);
    ASSERT_TRUE(processor->start());
  }
  json run_command(const std::string& id, const std::string& type, json params,
                   json targets = {{"all", true}}, std::optional<Timestamp> expires = {}) {
    processor->submit(test::command_json(id, type, std::move(params), std::move(targets), expires),
                      {});
    EXPECT_TRUE(run_until(io, [&] {
      auto s = out.statuses_of(id);
      return !s.empty() && (is_final(s.back()) || s.back() == "rejected");
    }));
    return out.acks_of(id).back();
  }
  static std::string result_of(const json& ack, const std::string& device) {
    for (const auto& r : ack["results"])
      if (r["device_id"] == device)
        return r["status"].get<std::string>() + ": " + r["detail"].get<std::string>();
    return "";
  }

  rigkeeper::test::TempDir dir;
  asio::io_context io;
  std::unique_ptr<Store> store;
  test::FakeDirectory devices{io};
  test::RecordingOutput out;
  std::unique_ptr<CommandProcessor> processor;
};

TEST_F(CurtailmentTest, BudgetCurtailSleepsTheLeastEfficientMinersFirst) {
  make();
  // Rack: 3500 + 3250 + 3050 + 5000 (GPU) = 14800 W.
  auto ack = run_command("b1", "curtail", {{"rack_power_w", 11000}});
  EXPECT_EQ(ack["status"], "done");
  EXPECT_EQ(devices["s19"].state, DeviceState::kSleeping);   // 34.5 J/TH
  EXPECT_EQ(devices["s19j"].state, DeviceState::kSleeping);  // 29.5 J/TH
  EXPECT_EQ(devices["s21"].state, DeviceState::kMining);
  EXPECT_EQ(devices["gpu1"].state, DeviceState::kServing);
  EXPECT_TRUE(devices["gpu1"].log.empty());
  EXPECT_NE(ack["reason"].get<std::string>().find("budget 11000 W"), std::string::npos);
}

TEST_F(CurtailmentTest, BudgetThatCannotBeMetWithoutGpuNodesIsPartial) {
  make();
  auto ack = run_command("b1", "curtail", {{"rack_power_w", 2000}});
  EXPECT_EQ(ack["status"], "partial");
  EXPECT_EQ(devices["s21"].state, DeviceState::kSleeping);
  EXPECT_EQ(devices["gpu1"].state, DeviceState::kServing);
}

TEST_F(CurtailmentTest, SleepAllLeavesGpuNodesUnlessTargeted) {
  make();
  auto ack = run_command("c1", "curtail", {{"mode", "sleep"}});
  EXPECT_EQ(ack["status"], "done");
  EXPECT_NE(result_of(ack, "gpu1").find("unchanged"), std::string::npos);
  EXPECT_TRUE(devices["gpu1"].log.empty());
  ack = run_command("c2", "curtail", {{"mode", "sleep"}}, {{"kind", "gpu_node"}});
  EXPECT_EQ(ack["status"], "done");
  EXPECT_EQ(devices["gpu1"].log.size(), 1u);
}

TEST_F(CurtailmentTest, ADeviceThatComesBackMiningIsPutToSleepAgain) {
  make();
  run_command("c1", "curtail", {{"mode", "sleep"}}, {{"devices", {"s19"}}});
  ASSERT_EQ(devices["s19"].log.size(), 1u);
  devices["s19"].state = DeviceState::kMining;  // it rebooted and lost its sleep mode
  processor->on_snapshot(devices.snapshot("s19"));
  ASSERT_TRUE(run_until(io, [&] { return devices["s19"].state == DeviceState::kSleeping; }));
  run_until(io, [&] { return out.events.size() >= 2; });
  EXPECT_EQ(out.event_codes().back(), "CURTAILMENT_REAPPLIED");
  // The memo kept is the first one (what to restore), not the asleep one of the re-apply.
  EXPECT_EQ(processor->curtailments().find("s19")->memo, (json{{"mode", "normal"}}));
  // A device nobody curtailed is never touched.
  processor->on_snapshot(devices.snapshot("s21"));
  run_until(
      io, [] { return false; }, milliseconds(30));
  EXPECT_TRUE(devices["s21"].log.empty());
}

TEST_F(CurtailmentTest, CurtailmentSurvivesARestartOfTheAgent) {
  make();
  run_command("c1", "curtail", {{"mode", "sleep"}}, {{"devices", {"s19"}}});
  processor.reset();
  store.reset();
  auto reopened = Store::open(dir.path());
  ASSERT_TRUE(reopened);
  store = std::move(*reopened);
  make();
  ASSERT_NE(processor->curtailments().find("s19"), nullptr);
  devices["s19"].state = DeviceState::kMining;
  processor->on_snapshot(devices.snapshot("s19"));
  ASSERT_TRUE(run_until(io, [&] { return devices["s19"].state == DeviceState::kSleeping; }));
  auto ack = run_command("r1", "resume", json::object());
  EXPECT_EQ(devices["s19"].state, DeviceState::kMining);
  EXPECT_EQ(devices["s19"].log.back().memo, (json{{"mode", "normal"}}));
  EXPECT_TRUE(processor->curtailments().all().empty());
}

TEST_F(CurtailmentTest, ResumeWakesOnlyDevicesThisAgentCurtailed) {
  make();
  run_command("c1", "curtail", {{"mode", "sleep"}}, {{"devices", {"s19"}}});
  devices["s21"].state = DeviceState::kSleeping;  // put to sleep by someone else
  auto ack = run_command("r1", "resume", {{"ramp_s", 0}});
  EXPECT_EQ(ack["status"], "done");
  EXPECT_EQ(devices["s19"].state, DeviceState::kMining);
  EXPECT_EQ(devices["s21"].state, DeviceState::kSleeping);
  EXPECT_TRUE(devices["s21"].log.empty());
  EXPECT_NE(result_of(ack, "s21").find("unchanged: not curtailed by this agent"),
            std::string::npos);
  EXPECT_NE(result_of(ack, "s19").find("done"), std::string::npos);
}

TEST_F(CurtailmentTest, ResumeInStagesWakesEveryDevice) {
  make();
  run_command("c1", "curtail", {{"mode", "sleep"}});
  auto ack = run_command("r1", "resume", {{"ramp_s", 0.2}});
  EXPECT_EQ(ack["status"], "done");
  for (const char* id : {"s21", "s19", "s19j"})
    EXPECT_EQ(devices[id].state, DeviceState::kMining) << id;
  // Most efficient first.
  EXPECT_NE(result_of(ack, "s21"), "");
}

TEST_F(CurtailmentTest, ExpiryResumesTheCurtailedDevices) {
  make();
  run_command("c1", "curtail", {{"mode", "sleep"}}, {{"devices", {"s19", "s21"}}},
              now_ms() + milliseconds(300));
  EXPECT_EQ(devices["s19"].state, DeviceState::kSleeping);
  ASSERT_TRUE(run_until(io, [&] {
    return devices["s19"].state == DeviceState::kMining &&
           devices["s21"].state == DeviceState::kMining;
  }));
  run_until(io, [&] { return processor->curtailments().all().empty(); });
  EXPECT_TRUE(processor->curtailments().all().empty());
  const auto codes = out.event_codes();
  EXPECT_EQ(std::count(codes.begin(), codes.end(), "CURTAILMENT_EXPIRED"), 2);
  EXPECT_EQ(std::count(codes.begin(), codes.end(), "DEVICE_RESUMED"), 2);
}

}  // namespace
}  // namespace rigkeeper::agent::commands
