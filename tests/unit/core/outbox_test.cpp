// The outbox against a real SQLite store, a real MQTT link and a real Mosquitto.
#include "agent/core/outbox.h"

#include <gtest/gtest.h>

#include "tests/support/mosquitto.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace rigkeeper::agent {
namespace {

using namespace std::chrono_literals;
using test::Mosquitto;
using test::Subscriber;
using test::TempDir;

template <class Pred>
bool run_until(asio::io_context& io, Pred pred, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred() && std::chrono::steady_clock::now() < deadline) {
    io.restart();
    io.run_for(20ms);
  }
  return pred();
}

MqttLinkOptions link_options(const Mosquitto& broker, const std::string& id) {
  MqttLinkOptions o;
  o.broker_uri = broker.url();
  o.client_id = id;
  o.reconnect_min = 100ms;
  o.reconnect_max = 500ms;
  return o;
}

// Payloads seen on `topic`, in arrival order.
std::vector<std::string> payloads(const Subscriber& sub, const std::string& topic) {
  std::vector<std::string> out;
  for (const auto& line : sub.lines())
    if (line.rfind(topic + " ", 0) == 0) out.push_back(line.substr(topic.size() + 1));
  return out;
}

std::vector<std::string> numbered(int from, int to) {
  std::vector<std::string> v;
  for (int i = from; i < to; ++i) v.push_back("m" + std::to_string(i));
  return v;
}

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(broker_.start());
    sub_ = std::make_unique<Subscriber>(broker_, "t/#");
    auto s = Store::open(dir_.path());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }

  std::unique_ptr<MqttLink> make_link(const std::string& id) {
    auto link = std::make_unique<MqttLink>(io_, link_options(broker_, id));
    return link;
  }

  // Starts `outbox` and its link and waits until the link is up.
  void start_connected(MqttLink& link, Outbox& outbox) {
    link.on_connected([&outbox] { outbox.on_connected(); });
    ASSERT_TRUE(outbox.start());
    ASSERT_TRUE(link.start());
    ASSERT_TRUE(run_until(
        io_, [&] { return link.connected(); }, 10s));
  }

  int64_t disk_rows() {
    auto st = store_->outbox_stats();
    return st ? st->rows : -1;
  }

  TempDir dir_;
  Mosquitto broker_;
  std::unique_ptr<Subscriber> sub_;
  std::unique_ptr<Store> store_;
  asio::io_context io_;
};

TEST_F(OutboxTest, ConnectedTelemetryGoesOutDirectlyInOrderWithoutTouchingDisk) {
  auto link = make_link("ob-direct");
  Outbox outbox(io_, *store_, *link, {});
  ASSERT_NO_FATAL_FAILURE(start_connected(*link, outbox));
  for (const auto& p : numbered(0, 100)) outbox.enqueue(MessageClass::kTelemetry, "t/a", p, 1);
  ASSERT_TRUE(run_until(
      io_, [&] { return payloads(*sub_, "t/a").size() >= 100; }, 10s));
  EXPECT_EQ(payloads(*sub_, "t/a"), numbered(0, 100));
  // Every publish completes (PUBACK), and none of it went through the disk.
  EXPECT_TRUE(run_until(
      io_, [&] { return outbox.counters().published_total == 100; }, 5s));
  EXPECT_EQ(disk_rows(), 0);
  auto st = store_->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->max_seq, 0) << "direct telemetry must not be written to the outbox";
}

TEST_F(OutboxTest, ConnectedTelemetryWaitsForItsBurstThenLeavesInOrder) {
  auto link = make_link("ob-burst");
  Outbox outbox(io_, *store_, *link, {.publish_batch = 400ms});
  ASSERT_NO_FATAL_FAILURE(start_connected(*link, outbox));
  for (const auto& p : numbered(0, 10)) outbox.enqueue(MessageClass::kTelemetry, "t/g", p, 1);
  // Inside the window nothing has been handed to the link yet...
  io_.restart();
  io_.run_for(100ms);
  EXPECT_EQ(outbox.counters().published_total, 0);
  // ...then the burst leaves together, in order, from memory.
  ASSERT_TRUE(run_until(
      io_, [&] { return payloads(*sub_, "t/g").size() >= 10; }, 10s));
  EXPECT_EQ(payloads(*sub_, "t/g"), numbered(0, 10));
  EXPECT_TRUE(run_until(
      io_, [&] { return outbox.counters().published_total == 10; }, 5s));
}

TEST_F(OutboxTest, AnEventDoesNotWaitAndTakesTheQueuedTelemetryAheadOfIt) {
  auto link = make_link("ob-event-now");
  // A window no test outlives: whatever arrives was sent because of the event.
  Outbox outbox(io_, *store_, *link, {.publish_batch = 3600s});
  ASSERT_NO_FATAL_FAILURE(start_connected(*link, outbox));
  for (const auto& p : numbered(0, 3)) outbox.enqueue(MessageClass::kTelemetry, "t/h", p, 1);
  outbox.enqueue(MessageClass::kEvent, "t/h", "m3", 1);
  ASSERT_TRUE(run_until(
      io_, [&] { return payloads(*sub_, "t/h").size() >= 4; }, 10s));
  EXPECT_EQ(payloads(*sub_, "t/h"), numbered(0, 4));
}

TEST_F(OutboxTest, WhileDisconnectedMessagesAreStoredThenDeliveredInOrder) {
  broker_.stop();
  auto link = make_link("ob-stored");
  Outbox outbox(io_, *store_, *link, {.flush_interval = 100ms});
  link->on_connected([&] { outbox.on_connected(); });
  link->on_connection_lost([&](const std::string&) { outbox.on_connection_lost(); });
  ASSERT_TRUE(outbox.start());
  ASSERT_TRUE(link->start());
  for (const auto& p : numbered(0, 50)) outbox.enqueue(MessageClass::kTelemetry, "t/b", p, 0);
  ASSERT_TRUE(run_until(
      io_, [&] { return disk_rows() == 50; }, 5s))
      << disk_rows();

  ASSERT_TRUE(broker_.start());
  // New messages produced while the backlog drains must come after it.
  bool added = false;
  ASSERT_TRUE(run_until(
      io_,
      [&] {
        if (!added && link->connected()) {
          for (const auto& p : numbered(50, 60))
            outbox.enqueue(MessageClass::kTelemetry, "t/b", p, 0);
          added = true;
        }
        return payloads(*sub_, "t/b").size() >= 60;
      },
      20s));
  EXPECT_EQ(payloads(*sub_, "t/b"), numbered(0, 60));
  ASSERT_TRUE(run_until(
      io_, [&] { return disk_rows() == 0; }, 5s))
      << "delivered rows must be deleted";
}

TEST_F(OutboxTest, EventsReachTheDiskImmediately) {
  broker_.stop();
  auto link = make_link("ob-event");
  Outbox outbox(io_, *store_, *link, {.flush_interval = 3600s});
  ASSERT_TRUE(outbox.start());
  outbox.enqueue(MessageClass::kTelemetry, "t/c", "before", 0);
  outbox.enqueue(MessageClass::kEvent, "t/e", R"({"code":"FAN_DEGRADING"})", 1);
  // No flush timer ran: the event (and the telemetry before it, to keep the order) is on disk.
  EXPECT_EQ(disk_rows(), 2);
}

TEST_F(OutboxTest, StopPersistsEverythingAndANewRunDeliversIt) {
  broker_.stop();
  {
    auto link = make_link("ob-restart");
    Outbox outbox(io_, *store_, *link, {.flush_interval = 3600s});
    ASSERT_TRUE(outbox.start());
    for (const auto& p : numbered(0, 20)) outbox.enqueue(MessageClass::kTelemetry, "t/d", p, 0);
    EXPECT_EQ(disk_rows(), 0);  // still in memory
    outbox.stop();
    EXPECT_EQ(disk_rows(), 20);
  }
  ASSERT_TRUE(broker_.start());
  asio::io_context io2;
  auto link = std::make_unique<MqttLink>(io2, link_options(broker_, "ob-restart-2"));
  Outbox outbox(io2, *store_, *link, {});
  link->on_connected([&] { outbox.on_connected(); });
  ASSERT_TRUE(outbox.start());
  outbox.enqueue(MessageClass::kTelemetry, "t/d", "m20", 0);
  ASSERT_TRUE(link->start());
  ASSERT_TRUE(run_until(
      io2, [&] { return payloads(*sub_, "t/d").size() >= 21; }, 15s));
  EXPECT_EQ(payloads(*sub_, "t/d"), numbered(0, 21));
}

TEST_F(OutboxTest, CapDropsOldestTelemetryNeverEventsAndCountsDrops) {
  broker_.stop();
  auto link = make_link("ob-cap");
  Outbox outbox(io_, *store_, *link, {.disk_max_bytes = 20'000, .flush_interval = 3600s});
  ASSERT_TRUE(outbox.start());
  const std::string big(1000, 'x');
  outbox.enqueue(MessageClass::kEvent, "t/e", "event-0", 1);
  for (int i = 0; i < 60; ++i)
    outbox.enqueue(MessageClass::kTelemetry, "t/f", big + std::to_string(i), 0);
  outbox.enqueue(MessageClass::kAck, "t/k", "ack-0", 1);  // forces a durable flush of all of it
  auto st = store_->outbox_stats();
  ASSERT_TRUE(st);
  EXPECT_LE(st->bytes, 20'000);
  EXPECT_GT(st->dropped_total, 0);
  EXPECT_EQ(outbox.counters().dropped_total, st->dropped_total);
  auto rows = store_->outbox_read(0, 1000);
  ASSERT_TRUE(rows);
  bool event = false, ack = false;
  for (const auto& r : *rows) {
    event |= r.payload == "event-0";
    ack |= r.payload == "ack-0";
  }
  EXPECT_TRUE(event && ack) << "events and acks are never dropped";
  // What is kept is the newest telemetry.
  EXPECT_EQ(rows->at(rows->size() - 2).payload, big + "59");
}

}  // namespace
}  // namespace rigkeeper::agent
