// Commands end to end: a real Mosquitto, rigkeeper-sim, the real rigkeeperd and the real CLI.
// A curtail published on P/cmd is acked accepted then done with the device read back asleep;
// a repeated id is answered from the journal without running again; a malformed command is
// rejected; the curtailment survives a restart of the daemon; resume wakes the device; a
// local CLI command goes through the same pipeline.
#include <gtest/gtest.h>

#include "drivers/api/timestamp.h"
#include "tests/integration/rack_fixture.h"

namespace rigkeeper::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::vector<json> acks_of(const RackFixture& rack, const std::string& id) {
  std::vector<json> out;
  for (const auto& s : rack.seen())
    if (s.topic == rack.prefix() + "/ack" && s.payload.is_object() && s.payload["id"] == id)
      out.push_back(s.payload);
  return out;
}

bool wait_acks(const RackFixture& rack, const std::string& id, std::size_t n) {
  return eventually([&] { return acks_of(rack, id).size() >= n; }, 30s);
}

std::string latest_state(const RackFixture& rack, const std::string& device) {
  const auto t = rack.telemetry();
  auto it = t.find(device);
  return it == t.end() ? "" : it->second.back().value("state", "");
}

std::string command(const std::string& id, const std::string& type, json params,
                    const std::string& device) {
  return json{{"id", id},
              {"type", type},
              {"issued_at", format_rfc3339(now_ms())},
              {"expires_at", nullptr},
              {"targets", {{"devices", {device}}}},
              {"params", std::move(params)}}
      .dump();
}

std::string luxos_device(const RackFixture& rack) {
  for (const auto& [id, snaps] : rack.telemetry())
    if (!snaps.empty() && snaps.back().value("firmware", "") == "luxos") return id;
  return "";
}

TEST(CommandE2E, CurtailDuplicateRejectRestartAndResumeThroughTheBroker) {
  RackFixture rack({.asics = 4});
  ASSERT_TRUE(rack.start_daemon()) << rack.daemon_log();
  ASSERT_TRUE(rack.wait_for_telemetry(1, 30s)) << rack.daemon_log();
  const std::string lux = luxos_device(rack);
  ASSERT_FALSE(lux.empty()) << "the simulated rack has no LuxOS miner";
  const std::string cmd_topic = rack.prefix() + "/cmd";

  // curtail: accepted, then done with the device read back sleeping
  const auto curtail = command("e2e-curtail", "curtail", {{"mode", "sleep"}}, lux);
  ASSERT_EQ(rack.broker().publish(cmd_topic, curtail), 0);
  ASSERT_TRUE(wait_acks(rack, "e2e-curtail", 2)) << rack.daemon_log();
  auto acks = acks_of(rack, "e2e-curtail");
  EXPECT_EQ(acks[0]["status"], "accepted");
  EXPECT_EQ(acks[1]["status"], "done") << acks[1].dump();
  ASSERT_EQ(acks[1]["results"].size(), 1u);
  EXPECT_EQ(acks[1]["results"][0]["device_id"], lux);
  EXPECT_EQ(acks[1]["results"][0]["state"], "sleeping");
  EXPECT_TRUE(eventually([&] { return latest_state(rack, lux) == "sleeping"; }, 30s));

  // the same id again: the stored acks, word for word, and nothing executed
  ASSERT_EQ(rack.broker().publish(cmd_topic, curtail), 0);
  ASSERT_TRUE(wait_acks(rack, "e2e-curtail", 4));
  acks = acks_of(rack, "e2e-curtail");
  EXPECT_EQ(acks[2], acks[0]);
  EXPECT_EQ(acks[3], acks[1]);

  // a malformed command is rejected with its reason
  ASSERT_EQ(rack.broker().publish(cmd_topic, R"({"id":"e2e-bad","type":"curtail"})"), 0);
  ASSERT_TRUE(wait_acks(rack, "e2e-bad", 1));
  const auto bad = acks_of(rack, "e2e-bad");
  EXPECT_EQ(bad[0]["status"], "rejected");
  EXPECT_TRUE(bad[0]["reason"].is_string());

  // a restart of the daemon keeps the device curtailed
  ASSERT_EQ(rack.daemon().stop(SIGTERM), 0);
  ASSERT_TRUE(rack.start_daemon()) << rack.daemon_log();
  const auto restarted_at = to_unix_ms(now_ms());
  ASSERT_TRUE(eventually(
      [&] {
        const auto t = rack.telemetry();
        auto it = t.find(lux);
        if (it == t.end()) return false;
        auto ts = parse_rfc3339(it->second.back().value("ts", ""));
        return ts && to_unix_ms(*ts) > restarted_at + 1500;
      },
      30s));
  EXPECT_EQ(latest_state(rack, lux), "sleeping");

  // resume: done, and the miner mines again
  ASSERT_EQ(rack.broker().publish(cmd_topic, command("e2e-resume", "resume", {{"ramp_s", 0}}, lux)),
            0);
  ASSERT_TRUE(wait_acks(rack, "e2e-resume", 2)) << rack.daemon_log();
  const auto resumed = acks_of(rack, "e2e-resume");
  EXPECT_EQ(resumed[1]["status"], "done") << resumed[1].dump();
  EXPECT_TRUE(eventually(
      [&] {
        const auto s = latest_state(rack, lux);
        return s == "mining" || s == "starting";
      },
      60s));

  // a local command from the CLI goes through the same pipeline and lands on P/ack too
  std::string out;
  const int rc = rack.cli({"locate", lux, "--id", "e2e-local", "--socket",
                           (rack.state_dir() / "rigkeeperd.sock").string(), "--json"},
                          &out);
  const auto local = json::parse(out, nullptr, false);
  ASSERT_TRUE(local.is_object()) << out;
  EXPECT_EQ(local["id"], "e2e-local");
  EXPECT_TRUE(local["status"] == "done" ? rc == 0 : rc == 5) << out;
  EXPECT_TRUE(wait_acks(rack, "e2e-local", 2));
}

}  // namespace
}  // namespace rigkeeper::test
