// MqttLink across broker outages, and what the broker is left with when the link ends: the
// reconnect loop, re-subscription, the v5 session, the clean stop and the Last Will.
#include "agent/mqtt/mqtt_link.h"

#include <gtest/gtest.h>
#include <signal.h>

#include "tests/support/fixtures.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/mqtt/link_harness.h"

namespace rigkeeper::agent::test {
namespace {

using rigkeeper::test::Mosquitto;
using rigkeeper::test::Process;
using rigkeeper::test::Subscriber;

class MqttOutageTest : public LinkHarness {
 protected:
  Mosquitto broker_;
};

TEST_F(MqttOutageTest, BrokerDownAtStartThenConnectsWhenItComesUp) {
  MqttLink link(io_, options(broker_.url()));
  Recorder rec;
  rec.attach(link);
  ASSERT_TRUE(link.start());  // nothing listens yet: not an error
  run_for(300ms);             // several refused attempts
  EXPECT_EQ(rec.connected, 0);
  EXPECT_FALSE(link.connected());

  ASSERT_TRUE(broker_.start()) << broker_.log();
  ASSERT_TRUE(run_until([&] { return rec.connected == 1; })) << broker_.log();
  EXPECT_TRUE(link.connected());
  EXPECT_TRUE(rec.lost.empty());  // never connected before, so nothing was "lost"
}

TEST_F(MqttOutageTest, BrokerRestartLosesThenReconnectsAndResubscribes) {
  ASSERT_TRUE(broker_.start());
  const auto opts = options(broker_.url());
  MqttLink link(io_, opts);
  Recorder rec;
  rec.attach(link);
  link.subscribe({{"rk/cmd", 1}});
  ASSERT_TRUE(link.start());
  ASSERT_TRUE(run_until([&] { return rec.connected == 1; }));
  ASSERT_EQ(broker_.publish("rk/cmd", "before"), 0);
  ASSERT_TRUE(run_until([&] { return rec.has_message("rk/cmd", "before"); }));

  broker_.kill();
  ASSERT_TRUE(run_until([&] { return rec.lost.size() == 1; }));
  EXPECT_FALSE(rec.lost[0].empty());
  EXPECT_FALSE(link.connected());
  run_for(200ms);  // a few refused reconnects

  ASSERT_TRUE(broker_.start());
  ASSERT_TRUE(run_until([&] { return rec.connected == 2; })) << broker_.log();
  EXPECT_TRUE(link.connected());
  // A SUBSCRIBE on each connect, whatever the broker remembered of the session.
  EXPECT_EQ(count(broker_.log(), "Received SUBSCRIBE from " + opts.client_id), 2u);
  ASSERT_EQ(broker_.publish("rk/cmd", "after"), 0);
  ASSERT_TRUE(run_until([&] { return rec.has_message("rk/cmd", "after"); }));

  std::optional<bool> done;
  link.publish("rk/out", "again", 1, false, [&](bool ok) { done = ok; });
  ASSERT_TRUE(run_until([&] { return done.has_value(); }));
  EXPECT_TRUE(*done);
}

TEST_F(MqttOutageTest, BrokerKeepsTheSessionAndQueuedCommandsWhileWeAreAway) {
  ASSERT_TRUE(broker_.start());
  const auto opts = options(broker_.url());

  {
    MqttLink link(io_, opts);
    Recorder rec;
    rec.attach(link);
    link.subscribe({{"rk/cmd", 1}});
    ASSERT_TRUE(link.start());
    ASSERT_TRUE(run_until([&] { return rec.connected == 1; }));
    link.stop(2s);
  }
  // Published while no client is connected: queued in our session (session expiry > 0).
  ASSERT_EQ(broker_.publish("rk/cmd", "while-away", 1), 0);

  MqttLink again(io_, opts);
  Recorder rec;
  rec.attach(again);  // no subscribe(): the message can only come from the kept session
  ASSERT_TRUE(again.start());
  ASSERT_TRUE(run_until([&] { return rec.has_message("rk/cmd", "while-away"); })) << broker_.log();
}

TEST_F(MqttOutageTest, CleanStopPublishesTheFinalMessageAndNoWill) {
  ASSERT_TRUE(broker_.start());
  auto opts = options(broker_.url());
  opts.will_topic = "rk/status";
  opts.will_payload = "offline-by-will";
  MqttLink link(io_, opts);
  Recorder rec;
  rec.attach(link);
  ASSERT_TRUE(link.start());
  ASSERT_TRUE(run_until([&] { return rec.connected == 1; }));
  std::optional<bool> done;
  link.publish("rk/status", "online", 1, true, [&](bool ok) { done = ok; });
  ASSERT_TRUE(run_until([&] { return done.has_value(); }));

  link.stop(3s, "rk/status", "offline-clean");
  EXPECT_FALSE(link.connected());
  run_for(300ms);  // a Will, if the broker wrongly sent one, would land by now
  const auto lines = broker_.subscribe_collect("rk/status", 1, 5s, true);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "rk/status offline-clean");
  EXPECT_EQ(broker_.log().find("offline-by-will"), std::string::npos);

  // Publishing after stop fails cleanly.
  std::optional<bool> late;
  link.publish("rk/status", "late", 1, false, [&](bool ok) { late = ok; });
  ASSERT_TRUE(run_until([&] { return late.has_value(); }));
  EXPECT_FALSE(*late);
}

TEST_F(MqttOutageTest, KilledProcessLeavesTheRetainedWill) {
  ASSERT_TRUE(broker_.start());
  rigkeeper::test::TempDir dir;
  Process helper({RK_MQTT_WILL_HELPER, broker_.url(), "rk-will-helper", "rk/status",
                  "{\"state\":\"offline\"}"},
                 dir / "helper.log");
  ASSERT_TRUE(rigkeeper::test::eventually(
      [&] { return helper.log().find("connected") != std::string::npos; }, 10s))
      << helper.log() << broker_.log();
  helper.stop(SIGKILL);

  const auto lines = broker_.subscribe_collect("rk/status", 1, 5s, true);
  ASSERT_EQ(lines.size(), 1u) << broker_.log();
  EXPECT_EQ(lines[0], "rk/status {\"state\":\"offline\"}");
}

TEST_F(MqttOutageTest, StopWhileTheBrokerIsDownReturns) {
  MqttLink link(io_, options(broker_.url()));
  ASSERT_TRUE(link.start());
  run_for(200ms);
  const auto t0 = std::chrono::steady_clock::now();
  link.stop(500ms, "rk/status", "offline");
  // Generous: only guards against an unbounded wait.
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  EXPECT_FALSE(link.connected());
  ASSERT_TRUE(broker_.start());
  run_for(300ms);
  EXPECT_FALSE(link.connected()) << "a stopped link reconnected";
}

}  // namespace
}  // namespace rigkeeper::agent::test
