// MqttLink against a real Mosquitto: publishing, retained messages, subscriptions with MQTT v5
// properties, the payload cap, publish while disconnected, flow control and teardown.
#include "agent/mqtt/mqtt_link.h"

#include <gtest/gtest.h>

#include "agent/mqtt/paho_bridge.h"
#include "tests/support/process.h"
#include "tests/unit/mqtt/link_harness.h"

namespace rigkeeper::agent::test {
namespace {

using rigkeeper::test::Mosquitto;
using rigkeeper::test::Subscriber;

class MqttLinkTest : public LinkHarness {
 protected:
  void SetUp() override { ASSERT_TRUE(broker_.start()) << broker_.log(); }
  Mosquitto broker_;
};

TEST_F(MqttLinkTest, ConnectsAndPublishesQos0AndQos1) {
  Subscriber sub(broker_, "t/#");
  MqttLink link(io_, options(broker_.url()));
  Recorder rec;
  rec.attach(link);
  ASSERT_TRUE(link.start());
  ASSERT_TRUE(run_until([&] { return rec.connected == 1; })) << broker_.log();
  EXPECT_TRUE(link.connected());

  std::optional<bool> done0, done1;
  link.publish("t/a", "zero", 0, false, [&](bool ok) { done0 = ok; });
  link.publish("t/b", "one", 1, false, [&](bool ok) { done1 = ok; });
  ASSERT_TRUE(run_until([&] { return done0 && done1; }));
  EXPECT_TRUE(*done0);
  EXPECT_TRUE(*done1);
  EXPECT_EQ(link.inflight(), 0u);
  ASSERT_TRUE(run_until([&] {
    const auto lines = sub.lines();
    return has_line(lines, "t/a zero") && has_line(lines, "t/b one");
  })) << "received: "
      << sub.lines().size() << " lines";
}

TEST_F(MqttLinkTest, RetainedMessageStaysOnTheBroker) {
  MqttLink link(io_, options(broker_.url()));
  Recorder rec;
  rec.attach(link);
  ASSERT_TRUE(link.start());
  ASSERT_TRUE(run_until([&] { return rec.connected == 1; }));
  std::optional<bool> done;
  link.publish("rk/status", "{\"state\":\"online\"}", 1, true, [&](bool ok) { done = ok; });
  ASSERT_TRUE(run_until([&] { return done.has_value(); }));
  EXPECT_TRUE(*done);
  const auto lines = broker_.subscribe_collect("rk/status", 1, 5s, /*retained_only=*/true);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "rk/status {\"state\":\"online\"}");
}

TEST_F(MqttLinkTest, ReceivesSubscribedMessagesWithV5ResponseTopicAndCorrelation) {
  MqttLink link(io_, options(broker_.url()));
  Recorder rec;
  rec.attach(link);
  link.subscribe({{"rk/cmd", 1}, {"rk/site/+", 1}});
  ASSERT_TRUE(link.start());
  ASSERT_TRUE(run_until([&] { return rec.connected == 1; }));

  ASSERT_EQ(broker_.publish("rk/cmd", "{\"id\":\"c1\"}", 1, false,
                            {"-V", "mqttv5", "-D", "publish", "response-topic", "reply/here", "-D",
                             "publish", "correlation-data", "corr-42"}),
            0);
  ASSERT_EQ(broker_.publish("rk/site/cmd", "plain"), 0);
  ASSERT_EQ(broker_.publish("rk/other", "not subscribed"), 0);
  ASSERT_TRUE(run_until([&] { return rec.messages.size() >= 2; }));
  run_for(200ms);  // anything unexpected would arrive now

  ASSERT_EQ(rec.messages.size(), 2u);
  EXPECT_EQ(rec.messages[0].topic, "rk/cmd");
  EXPECT_EQ(rec.messages[0].payload, "{\"id\":\"c1\"}");
  EXPECT_EQ(rec.messages[0].response_topic, "reply/here");
  EXPECT_EQ(rec.messages[0].correlation_data, "corr-42");
  EXPECT_EQ(rec.messages[1].topic, "rk/site/cmd");
  EXPECT_EQ(rec.messages[1].payload, "plain");
  EXPECT_EQ(rec.messages[1].response_topic, "");
  EXPECT_EQ(rec.messages[1].correlation_data, "");
}

TEST_F(MqttLinkTest, DropsMessagesOverThePayloadCap) {
  MqttLink link(io_, options(broker_.url()));
  Recorder rec;
  rec.attach(link);
  link.subscribe({{"rk/cmd", 1}});
  ASSERT_TRUE(link.start());
  ASSERT_TRUE(run_until([&] { return rec.connected == 1; }));

  // One byte over the cap, sent from stdin (a single argv string is limited to 128 KiB).
  const std::string big(PahoBridge::kMaxPayloadBytes + 1, 'x');
  std::vector<std::string> argv{"mosquitto_pub"};
  for (const auto& a : broker_.tool_args()) argv.push_back(a);
  for (const char* a : {"-q", "1", "-t", "rk/cmd", "-s"}) argv.emplace_back(a);
  std::string out;
  ASSERT_EQ(rigkeeper::test::run_command(argv, &out, 20s, big), 0) << out;
  ASSERT_EQ(broker_.publish("rk/cmd", "small"), 0);

  ASSERT_TRUE(run_until([&] { return rec.has_message("rk/cmd", "small"); }));
  ASSERT_EQ(rec.messages.size(), 1u) << "the oversized message was delivered";
  EXPECT_TRUE(link.connected());
}

TEST_F(MqttLinkTest, PublishWhileDisconnectedFailsWithoutThrowing) {
  MqttLink link(io_, options(broker_.url()));
  Recorder rec;
  rec.attach(link);

  // Before start(): done(false), posted to the loop rather than called inside publish().
  std::optional<bool> before;
  EXPECT_NO_THROW(link.publish("t/x", "early", 1, false, [&](bool ok) { before = ok; }));
  EXPECT_FALSE(before.has_value());
  ASSERT_TRUE(run_until([&] { return before.has_value(); }));
  EXPECT_FALSE(*before);

  ASSERT_TRUE(link.start());
  ASSERT_TRUE(run_until([&] { return rec.connected == 1; }));
  broker_.stop();
  ASSERT_TRUE(run_until([&] { return !rec.lost.empty(); }));
  EXPECT_FALSE(link.connected());

  std::optional<bool> during;
  EXPECT_NO_THROW(link.publish("t/x", "down", 1, false, [&](bool ok) { during = ok; }));
  ASSERT_TRUE(run_until([&] { return during.has_value(); }));
  EXPECT_FALSE(*during);
  EXPECT_EQ(link.inflight(), 0u);
}

TEST_F(MqttLinkTest, QueuesBeyondMaxInflightAndDeliversInOrder) {
  Subscriber sub(broker_, "flow/#");
  auto opts = options(broker_.url());
  opts.max_inflight = 2;
  MqttLink link(io_, opts);
  Recorder rec;
  rec.attach(link);
  ASSERT_TRUE(link.start());
  ASSERT_TRUE(run_until([&] { return rec.connected == 1; }));

  constexpr int kCount = 40;
  std::vector<int> done_order;
  int ok_count = 0;
  for (int i = 0; i < kCount; ++i) {
    link.publish("flow/n", std::to_string(i), 1, false, [&, i](bool ok) {
      done_order.push_back(i);
      ok_count += ok ? 1 : 0;
    });
  }
  EXPECT_EQ(link.inflight(), static_cast<std::size_t>(kCount));
  ASSERT_TRUE(run_until([&] { return done_order.size() == kCount; }));
  EXPECT_EQ(ok_count, kCount);
  EXPECT_EQ(link.inflight(), 0u);
  ASSERT_TRUE(run_until([&] { return sub.lines().size() >= kCount; }));
  const auto lines = sub.lines();
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(lines[i], "flow/n " + std::to_string(i));
}

TEST_F(MqttLinkTest, DestroyingWithPublishesInFlightCompletesEachExactlyOnce) {
  constexpr int kCount = 200;
  std::vector<int> calls(kCount, 0);
  {
    MqttLink link(io_, options(broker_.url()));
    Recorder rec;
    rec.attach(link);
    ASSERT_TRUE(link.start());
    ASSERT_TRUE(run_until([&] { return rec.connected == 1; }));
    for (int i = 0; i < kCount; ++i) {
      link.publish("burst/n", std::string(1000, 'p'), 1, false, [&calls, i](bool) { ++calls[i]; });
    }
  }  // destroyed with publishes in flight; Paho may still be completing them
  run_for(500ms);
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(calls[i], 1) << "publish " << i;
}

TEST_F(MqttLinkTest, InvalidTopicsFailWithoutHurtingTheConnection) {
  MqttLink link(io_, options(broker_.url()));
  Recorder rec;
  rec.attach(link);
  ASSERT_TRUE(link.start());
  ASSERT_TRUE(run_until([&] { return rec.connected == 1; }));
  std::vector<bool> results;
  for (const std::string& topic :
       std::vector<std::string>{"rk/+/x", "rk/#", "", std::string("rk/\0x", 5)}) {
    link.publish(topic, "p", 1, false, [&](bool ok) { results.push_back(ok); });
  }
  link.publish("rk/ok", "p", 3, false, [&](bool ok) { results.push_back(ok); });  // bad QoS
  ASSERT_TRUE(run_until([&] { return results.size() == 5; }));
  for (bool ok : results) EXPECT_FALSE(ok);
  std::optional<bool> good;
  link.publish("rk/ok", "p", 1, false, [&](bool ok) { good = ok; });
  ASSERT_TRUE(run_until([&] { return good.has_value(); }));
  EXPECT_TRUE(*good);
  EXPECT_TRUE(rec.lost.empty());
}

TEST_F(MqttLinkTest, SessionTakeoverByTheSameClientIdIsAConnectionLoss) {
  // Two controllers misconfigured with one client id: the broker disconnects the older one.
  // That must be seen as a loss (and retried), never left as a silent half-open link.
  MqttLink first(io_, options(broker_.url()));
  Recorder rec1;
  rec1.attach(first);
  ASSERT_TRUE(first.start());
  ASSERT_TRUE(run_until([&] { return rec1.connected == 1; }));

  MqttLink second(io_, options(broker_.url()));
  Recorder rec2;
  rec2.attach(second);
  ASSERT_TRUE(second.start());
  ASSERT_TRUE(run_until([&] { return rec2.connected >= 1 && !rec1.lost.empty(); }))
      << "first lost: " << rec1.lost.size() << ", second connected: " << rec2.connected;
  first.stop(1s);
}

TEST_F(MqttLinkTest, InvalidOptionsFailStartWithConfigError) {
  auto bad_url = options("http://127.0.0.1:1");
  MqttLink a(io_, bad_url);
  auto r = a.start();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kConfig);
  EXPECT_NE(r.error().message.find("http://127.0.0.1:1"), std::string::npos);

  auto no_id = options(broker_.url());
  no_id.client_id.clear();
  MqttLink b(io_, no_id);
  auto r2 = b.start();
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().code, Errc::kConfig);
}

}  // namespace
}  // namespace rigkeeper::agent::test
