// The pipeline end to end over fake devices: ack sequence, dedupe, rejection, partial
// results, capabilities, per-device serialisation, timeouts, expiry and restart recovery.
#include <gtest/gtest.h>

#include "agent/store/store.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/commands/fake_devices.h"

namespace rigkeeper::agent::commands {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using test::FakeDevice;
using test::run_until;
using Strings = std::vector<std::string>;

class ProcessorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::open(dir.path());
    ASSERT_TRUE(s) << s.error().message;
    store = std::move(*s);
    devices.add({.id = "a"});
    devices.add({.id = "b"});
  }
  void make(ProcessorOptions o = {}) {
    processor = std::make_unique<CommandProcessor>(io, store.get(), devices, out, KeyRing{}, o);
    ASSERT_TRUE(processor->start());
  }
  bool final_for(const std::string& id) {
    return run_until(io, [&] {
      for (const auto& s : out.statuses_of(id))
        if (is_final(s) || s == "rejected") return true;
      return false;
    });
  }
  json last_ack(const std::string& id) { return out.acks_of(id).back(); }
  static std::map<std::string, std::string> results_by_device(const json& ack) {
    std::map<std::string, std::string> m;
    for (const auto& r : ack["results"]) m[r["device_id"]] = r["status"];
    return m;
  }

  rigkeeper::test::TempDir dir;
  asio::io_context io;
  std::unique_ptr<Store> store;
  test::FakeDirectory devices{io};
  test::RecordingOutput out;
  std::unique_ptr<CommandProcessor> processor;
};

TEST_F(ProcessorTest, CurtailIsAcceptedThenDoneWithResultsReadBack) {
  make();
  Origin origin;
  origin.response_topic = "reply/here";
  origin.correlation_data = "corr-1";
  processor->submit(test::command_json("c1", "curtail", {{"mode", "sleep"}}), origin);
  ASSERT_TRUE(final_for("c1"));
  EXPECT_EQ(out.statuses_of("c1"), (Strings{"accepted", "done"}));
  const json done = last_ack("c1");
  EXPECT_EQ(results_by_device(done),
            (std::map<std::string, std::string>{{"a", "done"}, {"b", "done"}}));
  for (const auto& r : done["results"]) EXPECT_EQ(r["state"], "sleeping");
  EXPECT_TRUE(done["rack_power_w"].is_number());
  EXPECT_EQ(devices["a"].log.at(0).params, (json{{"mode", "sleep"}}));
  ASSERT_EQ(out.responses.size(), 2u);
  EXPECT_EQ(out.responses[0].topic, "reply/here");
  EXPECT_EQ(out.responses[0].correlation, "corr-1");
  ASSERT_NE(processor->curtailments().find("a"), nullptr);
  EXPECT_EQ(processor->curtailments().find("a")->memo, (json{{"mode", "normal"}}));
  EXPECT_EQ(out.event_codes(), (Strings{"DEVICE_CURTAILED", "DEVICE_CURTAILED"}));
}

TEST_F(ProcessorTest, MalformedCommandIsRejectedAndChangesNothing) {
  make();
  processor->submit(R"({"id":"bad-1","type":"curtail","issued_at":"x","targets":{"all":true}})",
                    {});
  processor->submit("not json at all", {});
  ASSERT_TRUE(final_for("bad-1"));
  EXPECT_EQ(out.statuses_of("bad-1"), (Strings{"rejected"}));
  EXPECT_NE(last_ack("bad-1")["reason"].get<std::string>().find("issued_at"), std::string::npos);
  ASSERT_EQ(out.acks.size(), 2u);
  EXPECT_EQ(out.acks[1]["status"], "rejected");
  EXPECT_EQ(out.acks[1]["id"], "");
  EXPECT_TRUE(devices["a"].log.empty());
  EXPECT_FALSE(*store->command_get("bad-1")) << "a rejected command is not journaled";
}

TEST_F(ProcessorTest, UnknownTargetDeviceIsRejected) {
  make();
  processor->submit(test::command_json("c1", "reboot", json::object(), {{"devices", {"zz"}}}), {});
  ASSERT_TRUE(final_for("c1"));
  EXPECT_EQ(out.statuses_of("c1"), (Strings{"rejected"}));
  EXPECT_NE(last_ack("c1")["reason"].get<std::string>().find("zz"), std::string::npos);
  // A site-wide command may name devices of other racks: only ours are used.
  Origin site;
  site.site_wide = true;
  processor->submit(test::command_json("c2", "locate", json::object(), {{"devices", {"zz", "a"}}}),
                    site);
  ASSERT_TRUE(final_for("c2"));
  EXPECT_EQ(out.statuses_of("c2"), (Strings{"accepted", "done"}));
  EXPECT_EQ(devices["a"].log.size(), 1u);
}

TEST_F(ProcessorTest, RepeatedIdIsAnsweredFromTheJournalAndNeverRunTwice) {
  make();
  const auto body = test::command_json("c1", "reboot", json::object(), {{"devices", {"a"}}});
  processor->submit(body, {});
  processor->submit(body, {});  // QoS 1 duplicate while it runs
  ASSERT_TRUE(final_for("c1"));
  processor->submit(body, {});  // a late duplicate
  run_until(
      io, [] { return false; }, milliseconds(50));
  EXPECT_EQ(devices["a"].log.size(), 1u);
  const auto statuses = out.statuses_of("c1");
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), "accepted"), 3);
  // The duplicate that came while it ran shares the one final ack on P/ack.
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), "done"), 2);
}

TEST_F(ProcessorTest, RepeatedIdAcrossARestartIsNotRunAgain) {
  make();
  const auto body = test::command_json("c1", "reboot", json::object(), {{"devices", {"a"}}});
  processor->submit(body, {});
  ASSERT_TRUE(final_for("c1"));
  processor.reset();
  store.reset();
  auto reopened = Store::open(dir.path());
  ASSERT_TRUE(reopened);
  store = std::move(*reopened);
  out.acks.clear();
  make();
  processor->submit(body, {});
  run_until(
      io, [] { return false; }, milliseconds(50));
  EXPECT_EQ(devices["a"].log.size(), 1u);
  EXPECT_EQ(out.statuses_of("c1"), (Strings{"accepted", "done"}));
}

TEST_F(ProcessorTest, OneFailingDeviceMakesItPartial) {
  devices["b"].fail_with = Errc::kDeviceError;
  make();
  processor->submit(test::command_json("c1", "set_power", {{"watts", 3000}}), {});
  ASSERT_TRUE(final_for("c1"));
  const json fin = last_ack("c1");
  EXPECT_EQ(fin["status"], "partial");
  EXPECT_EQ(results_by_device(fin),
            (std::map<std::string, std::string>{{"a", "done"}, {"b", "failed"}}));
  EXPECT_EQ(devices["a"].log.at(0).params, (json{{"watts", 3000}}));
  EXPECT_NE(out.event_codes().end(),
            std::find(out.event_codes().begin(), out.event_codes().end(), "COMMAND_PARTIAL"));
}

TEST_F(ProcessorTest, AllFailingIsFailedAndARefusedCurtailLeavesNoRecord) {
  devices["a"].fail_with = Errc::kDeviceError;
  devices["b"].fail_with = Errc::kDeviceError;
  make();
  processor->submit(test::command_json("c1", "curtail", {{"mode", "sleep"}}), {});
  ASSERT_TRUE(final_for("c1"));
  EXPECT_EQ(last_ack("c1")["status"], "failed");
  EXPECT_TRUE(processor->curtailments().all().empty());
}

TEST_F(ProcessorTest, UnreachableDeviceKeepsItsCurtailmentForLater) {
  devices["b"].fail_with = Errc::kUnreachable;
  make();
  processor->submit(test::command_json("c1", "curtail", {{"mode", "sleep"}}), {});
  ASSERT_TRUE(final_for("c1"));
  EXPECT_EQ(last_ack("c1")["status"], "partial");
  EXPECT_NE(processor->curtailments().find("b"), nullptr);
}

TEST_F(ProcessorTest, UnsupportedCapabilityFailsThatDeviceOnly) {
  devices["b"].caps = drivers::kCapRead | drivers::kCapCurtail;
  make();
  processor->submit(test::command_json("c1", "locate"), {});
  ASSERT_TRUE(final_for("c1"));
  const json fin = last_ack("c1");
  EXPECT_EQ(fin["status"], "partial");
  for (const auto& r : fin["results"]) {
    if (r["device_id"] == "b") {
      EXPECT_EQ(r["status"], "failed");
      EXPECT_NE(r["detail"].get<std::string>().find("does not support locate"), std::string::npos);
    }
  }
  EXPECT_TRUE(devices["b"].log.empty()) << "an unsupported verb never reaches the driver";
  EXPECT_EQ(devices["a"].log.size(), 1u);
}

TEST_F(ProcessorTest, CommandsForOneDeviceRunOneAfterTheOther) {
  devices["a"].delay = milliseconds(60);
  make();
  const json only_a = {{"devices", {"a"}}};
  processor->submit(test::command_json("c1", "set_power", {{"watts", 3000}}, only_a), {});
  processor->submit(test::command_json("c2", "set_power", {{"watts", 2500}}, only_a), {});
  processor->submit(test::command_json("c3", "locate", json::object(), only_a), {});
  ASSERT_TRUE(final_for("c1") && final_for("c2") && final_for("c3"));
  EXPECT_EQ(devices["a"].max_active, 1);
  ASSERT_EQ(devices["a"].log.size(), 3u);
  EXPECT_EQ(devices["a"].log[0].params["watts"], 3000);
  EXPECT_EQ(devices["a"].log[1].params["watts"], 2500);
  EXPECT_EQ(devices["a"].log[2].type, "locate");
}

TEST_F(ProcessorTest, ADeviceThatDoesNotAnswerInTimeFailsWithATimeout) {
  devices["b"].delay = std::chrono::seconds(5);
  ProcessorOptions o;
  o.device_timeout = milliseconds(100);
  make(o);
  processor->submit(test::command_json("c1", "locate"), {});
  ASSERT_TRUE(final_for("c1"));
  const json fin = last_ack("c1");
  EXPECT_EQ(fin["status"], "partial");
  for (const auto& r : fin["results"]) {
    if (r["device_id"] == "b") {
      EXPECT_NE(r["detail"].get<std::string>().find("timeout"), std::string::npos);
    }
  }
}

TEST_F(ProcessorTest, ACommandThatExpiresWhileWaitingForTheDeviceIsExpired) {
  devices["a"].delay = milliseconds(400);
  make();
  const json only_a = {{"devices", {"a"}}};
  processor->submit(test::command_json("slow", "set_power", {{"watts", 3000}}, only_a), {});
  processor->submit(
      test::command_json("late", "locate", json::object(), only_a, now_ms() + milliseconds(100)),
      {});
  ASSERT_TRUE(final_for("late"));
  EXPECT_EQ(out.statuses_of("late"), (Strings{"accepted", "expired"}));
  EXPECT_EQ(devices["a"].log.size(), 1u);
}

TEST_F(ProcessorTest, InterruptedRebootIsFailedNotRepeatedAndCurtailIsRunAgain) {
  const auto reboot = test::command_json("r1", "reboot", json::object(), {{"devices", {"a"}}});
  const auto curtail =
      test::command_json("k1", "curtail", {{"mode", "sleep"}}, {{"devices", {"b"}}});
  const int64_t t = to_unix_ms(now_ms());
  ASSERT_TRUE(store->command_insert({"r1", t, "{\"source\":\"local\"}", reboot, "accepted",
                                     R"([{"id":"r1","status":"accepted"}])", t}));
  ASSERT_TRUE(store->command_insert({"k1", t, "{\"source\":\"local\"}", curtail, "accepted",
                                     R"([{"id":"k1","status":"accepted"}])", t}));
  make();
  ASSERT_TRUE(final_for("r1") && final_for("k1"));
  EXPECT_EQ(last_ack("r1")["status"], "failed");
  EXPECT_EQ(last_ack("r1")["reason"], "interrupted by agent restart; not repeated");
  EXPECT_TRUE(devices["a"].log.empty());
  EXPECT_EQ(last_ack("k1")["status"], "done");
  EXPECT_EQ(devices["b"].state, drivers::DeviceState::kSleeping);
  EXPECT_EQ((*store->command_get("r1"))->state, "failed");
  EXPECT_TRUE(store->commands_in_state("accepted")->empty());
}

TEST_F(ProcessorTest, SignedCommandsAreRequiredWhenKeysAreTrusted) {
  rigkeeper::test::TempDir keys_dir;
  ASSERT_TRUE(generate_key("ops", keys_dir.path()));
  auto ring = KeyRing::load(keys_dir.path());
  ASSERT_TRUE(ring);
  processor = std::make_unique<CommandProcessor>(io, store.get(), devices, out, std::move(*ring),
                                                 ProcessorOptions{});
  ASSERT_TRUE(processor->start());
  processor->submit(test::command_json("plain", "locate"), {});
  ASSERT_TRUE(final_for("plain"));
  EXPECT_EQ(out.statuses_of("plain"), (Strings{"rejected"}));
  auto env = sign_body(keys_dir / "ops.key", test::command_json("signed", "locate"));
  ASSERT_TRUE(env);
  processor->submit(*env, {});
  ASSERT_TRUE(final_for("signed"));
  EXPECT_EQ(out.statuses_of("signed"), (Strings{"accepted", "done"}));
}

}  // namespace
}  // namespace rigkeeper::agent::commands
