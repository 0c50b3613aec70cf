#pragma once
/// The state machine behind MqttLink, on the io_context's thread: connect attempts and the
/// reconnect timer, re-subscription, publishes in flight and the clean stop. It is held in a
/// shared_ptr so that what PahoBridge posts (holding only a weak_ptr) is dropped once the link
/// is gone. See mqtt_link.h for the public contract and docs/MQTT.md for the behaviour.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <mqtt/async_client.h>

#include "agent/mqtt/backoff.h"
#include "agent/mqtt/mqtt_link.h"
#include "agent/mqtt/outage_log.h"
#include "agent/mqtt/paho_bridge.h"
#include "drivers/api/asio.h"
#include "drivers/api/result.h"

namespace rigkeeper::agent {

/// Where the core mirrors the state MqttLink's inline accessors read.
struct LinkMirror {
  bool* connected = nullptr;
  std::size_t* inflight = nullptr;
};

class LinkCore : public LinkEvents, public std::enable_shared_from_this<LinkCore> {
 public:
  /// Publishes waiting for a free in-flight slot beyond this many fail at once.
  static constexpr std::size_t kMaxQueued = 10000;

  LinkCore(asio::io_context& io, MqttLinkOptions options, LinkMirror mirror);
  ~LinkCore() override;
  LinkCore(const LinkCore&) = delete;
  LinkCore& operator=(const LinkCore&) = delete;

  std::function<void()> on_connected;
  std::function<void(const std::string&)> on_connection_lost;
  std::function<void(MqttMessage)> on_message;

  void set_topics(std::vector<std::pair<std::string, int>> topics);
  Result<void> start();
  void stop(std::chrono::milliseconds grace, const std::string& final_topic,
            const std::string& final_payload);
  void publish(const std::string& topic, const std::string& payload, int qos, bool retain,
               MqttLink::PublishDone done);
  /// Final teardown from ~MqttLink: no more callbacks, the Paho client destroyed, pending
  /// publishes failed (done(false) posted), the mirror detached.
  void shutdown();

  // LinkEvents (posted by the bridge)
  void connect_done(uint64_t attempt, bool ok, const std::string& detail,
                    bool session_present) override;
  void connection_lost(const std::string& reason) override;
  void message(MqttMessage msg) override;
  void publish_done(uint64_t seq, bool ok, const std::string& detail) override;
  void subscribe_done(uint64_t epoch, bool ok, const std::string& detail) override;

 private:
  enum class State { kIdle, kConnecting, kConnected, kWaiting, kStopped };
  struct Queued {
    std::string topic, payload;
    int qos;
    bool retain;
    MqttLink::PublishDone done;
  };
  using Clock = std::chrono::steady_clock;

  Result<void> create_client();
  void connect_now();
  void schedule_retry();
  void subscribe_topics(uint64_t epoch);
  void notify_connected();
  void send(const std::string& topic, const std::string& payload, int qos, bool retain,
            MqttLink::PublishDone done);
  void drain_queue();
  void fail_all_publishes();
  void post_done(MqttLink::PublishDone done, bool ok);
  void set_connected(bool connected);
  void update_inflight();
  bool publish_final(const std::string& topic, const std::string& payload,
                     Clock::time_point deadline);
  bool disconnect_cleanly(Clock::time_point deadline);

  asio::io_context& io_;
  MqttLinkOptions options_;
  LinkMirror mirror_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<std::pair<std::string, int>> topics_;

  State state_ = State::kIdle;
  std::string broker_;  ///< the Paho URI, for logs
  uint64_t attempt_ = 0;
  uint64_t epoch_ = 0;  ///< one per successful connect; 0 marks a subscribe outside connect
  asio::steady_timer retry_timer_;
  Backoff backoff_;
  OutageLog outage_;

  std::map<uint64_t, MqttLink::PublishDone> pending_;  ///< handed to Paho, by sequence
  std::deque<Queued> queue_;                           ///< waiting for an in-flight slot
  uint64_t next_seq_ = 0;

  // Declared last: destroyed first, while the bridge and options they point at still live.
  std::shared_ptr<PahoBridge> bridge_;
  mqtt::connect_options connect_options_;  ///< kept for the client's lifetime (Paho #325)
  mqtt::token_ptr connect_token_;
  std::unique_ptr<mqtt::async_client> client_;
};

}  // namespace rigkeeper::agent
