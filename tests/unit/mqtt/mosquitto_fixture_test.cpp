// The Mosquitto test fixture itself: other areas' outage tests rely on a Subscriber whose
// durable session survives a broker restart.
#include "tests/support/mosquitto.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace rigkeeper::test {
namespace {

using namespace std::chrono_literals;

bool has(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

TEST(MosquittoFixture, SubscriberGetsWhatWasPublishedAcrossABrokerRestart) {
  Mosquitto broker;
  ASSERT_TRUE(broker.start()) << broker.log();
  Subscriber sub(broker, "fx/#");
  ASSERT_EQ(broker.publish("fx/a", "before"), 0);
  ASSERT_TRUE(eventually([&] { return has(sub.lines(), "fx/a before"); }, 10s));

  broker.stop();
  EXPECT_FALSE(broker.running());
  ASSERT_TRUE(broker.start()) << broker.log();
  // Published at once, most likely before mosquitto_sub is back: queued in its session.
  ASSERT_EQ(broker.publish("fx/b", "after", 1), 0);
  ASSERT_TRUE(eventually([&] { return has(sub.lines(), "fx/b after"); }, 15s)) << broker.log();
  const auto lines = sub.lines();
  EXPECT_EQ(std::count(lines.begin(), lines.end(), std::string("fx/a before")), 1);
}

TEST(MosquittoFixture, RetainedCollectAndTimeout) {
  Mosquitto broker;
  ASSERT_TRUE(broker.start());
  ASSERT_EQ(broker.publish("fx/r", "kept", 1, true), 0);
  EXPECT_EQ(broker.subscribe_collect("fx/r", 1, 3s, true), std::vector<std::string>{"fx/r kept"});
  // Nothing retained there: returns empty once the timeout passes.
  EXPECT_TRUE(broker.subscribe_collect("fx/none", 1, 1s, true).empty());
}

}  // namespace
}  // namespace rigkeeper::test
