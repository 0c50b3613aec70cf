#pragma once
/// Store-and-forward between the agent and the MQTT link. Every outgoing message gets a global
/// sequence number and leaves in that order.
///
/// Two paths, one order:
///  - direct: while the link is up and nothing older waits, telemetry is published from memory
///    and only remembered until Paho completes it (no flash write per poll). It is handed to
///    the link in bursts, at most one publish_batch after it was queued: Paho's send thread then
///    wakes once per burst rather than once per message (on a 1000-miner rack that took the
///    daemon from ~10 % to ~7 % of a core, docs/PERFORMANCE.md);
///  - stored: while the link is down, or a backlog exists, messages are batched to SQLite
///    every flush interval and drained oldest first once the link is back. Events and acks are
///    always written durably (synchronous=FULL) before they are published.
/// A message is forgotten only when its publish completed; a lost connection sends the
/// unconfirmed ones to disk, so delivery is at-least-once. The disk part is capped in bytes:
/// the oldest telemetry goes first, never events or acks, and every drop is counted.
///
/// Threading: io_context thread only.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "agent/mqtt/mqtt_link.h"
#include "agent/store/store.h"
#include "drivers/api/asio.h"

namespace rigkeeper::agent {

struct OutboxOptions {
  int64_t disk_max_bytes = 64ll << 20;
  int64_t memory_max_bytes = 4ll << 20;  ///< pending bytes kept if the disk refuses writes
  std::chrono::milliseconds flush_interval{1000};
  std::size_t drain_batch = 256;  ///< rows read from disk at a time
  std::size_t max_inflight = 64;  ///< publishes awaiting completion
  /// Longest a telemetry message waits in memory to leave with the others queued meanwhile.
  /// Events and acks never wait (they take the queue with them, in order).
  std::chrono::milliseconds publish_batch{50};
};

struct OutboxCounters {
  int64_t pending_rows = 0;  ///< in memory, not yet on disk or confirmed
  int64_t disk_rows = 0;
  int64_t disk_bytes = 0;
  int64_t dropped_total = 0;
  int64_t published_total = 0;
};

class Outbox {
 public:
  Outbox(asio::io_context& io, Store& store, MqttLink& link, OutboxOptions options);
  ~Outbox();

  /// Reads the high-water sequence and the backlog left by a previous run; starts the flush timer.
  Result<void> start();
  /// Queues one message; events and acks reach the disk before this returns.
  void enqueue(MessageClass cls, std::string topic, std::string payload, int qos,
               bool retain = false);
  /// The link came up: drain the backlog, then go direct.
  void on_connected();
  /// The link went down: everything unconfirmed goes to disk.
  void on_connection_lost();
  /// Shutdown: stop the timer and persist everything not confirmed (durably).
  void stop();

  OutboxCounters counters() const;

 private:
  struct Sent {
    OutboxMessage msg;
    bool on_disk = false;
  };
  void publish(OutboxMessage msg, bool on_disk);
  void on_done(int64_t seq, bool ok);
  void pump();
  void reclaim_inflight();
  void flush_pending(bool durable);
  void delete_acked();
  void schedule_flush();
  void schedule_batch();
  void trim_memory();

  Store& store_;
  MqttLink& link_;
  OutboxOptions options_;
  asio::steady_timer flush_timer_;
  asio::steady_timer batch_timer_;
  bool batch_armed_ = false;
  std::shared_ptr<bool> alive_;

  int64_t next_seq_ = 1;
  std::deque<OutboxMessage> pending_;  ///< newer than everything on disk, not yet on disk
  int64_t pending_bytes_ = 0;
  std::map<int64_t, Sent> inflight_;    ///< published, awaiting completion
  std::vector<int64_t> acked_on_disk_;  ///< confirmed rows still to delete
  int64_t disk_cursor_ = 0;             ///< highest disk seq handed to the link
  int64_t disk_max_seq_ = 0;            ///< highest seq ever written to disk
  int64_t disk_rows_ = 0;
  int64_t disk_bytes_ = 0;
  int64_t dropped_total_ = 0;
  int64_t published_total_ = 0;
  bool draining_ = false;  ///< the last disk read came back full: more to read
  bool stopped_ = false;
};

}  // namespace rigkeeper::agent
