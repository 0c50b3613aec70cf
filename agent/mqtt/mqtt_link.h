#pragma once
/// The MQTT link to the site broker (Paho MQTT C++ 1.2, MQTT v5): TLS with server verification
/// and client certificates when configured, a retained Last Will, our own reconnect loop with
/// exponential backoff (Paho's automatic reconnect misses connected() in C 1.3.12, see
/// docs/ARCHITECTURE.md), and re-subscription on every connect.
///
/// Threading: construct, call and destroy on the io_context's thread. Paho's callbacks only
/// copy what they got and post it to that io_context, so every handler given here runs there.
/// The Paho client is created once and never recreated (Paho C 1.3.12 leaks on destroy).
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "drivers/api/asio.h"
#include "drivers/api/result.h"

namespace rigkeeper::agent {

struct MqttLinkOptions {
  std::string broker_uri;  ///< tcp://host:port, mqtt://, ssl://host:port, mqtts://
  std::string client_id;
  std::string username;
  std::string password;
  std::chrono::seconds keepalive{30};
  std::chrono::milliseconds reconnect_min{1000};
  std::chrono::milliseconds reconnect_max{60000};
  std::chrono::seconds session_expiry{3600};  ///< MQTT v5 session kept by the broker
  // TLS (ssl:// and mqtts:// only)
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string key_password;
  bool tls_insecure = false;
  // Last Will
  std::string will_topic;
  std::string will_payload;
  int will_qos = 1;
  bool will_retain = true;
  std::size_t max_inflight = 64;  ///< publishes awaiting completion before publish() queues
};

struct MqttMessage {
  std::string topic;
  std::string payload;
  std::string response_topic;    ///< MQTT v5 property, empty if none
  std::string correlation_data;  ///< MQTT v5 property, empty if none
};

class MqttLink {
 public:
  using PublishDone = std::function<void(bool ok)>;

  MqttLink(asio::io_context& io, MqttLinkOptions options);
  ~MqttLink();
  MqttLink(const MqttLink&) = delete;
  MqttLink& operator=(const MqttLink&) = delete;

  /// Called on the io_context after every successful (re)connect, after re-subscription.
  void on_connected(std::function<void()> handler);
  /// Called on the io_context when an established connection is lost, with Paho's reason.
  void on_connection_lost(std::function<void(const std::string& reason)> handler);
  /// Called on the io_context for every message on a subscribed topic.
  void on_message(std::function<void(MqttMessage)> handler);

  /// Topics (filter, qos) subscribed on every connect. Call before start().
  void subscribe(std::vector<std::pair<std::string, int>> topics);

  /// Starts connecting; retries with backoff until stop(). Invalid options (bad URI, missing
  /// TLS files) are reported here, before any attempt.
  Result<void> start();

  /// Publishes the given final message (QoS 1, retained; skipped when `final_topic` is empty),
  /// then disconnects cleanly (no Will), waiting at most about `grace` in all. Blocks the
  /// calling thread; used at shutdown. Pending publishes complete with done(false); a stopped
  /// link never reconnects (start() after stop() is Errc::kInvalidArgument).
  void stop(std::chrono::milliseconds grace, const std::string& final_topic = {},
            const std::string& final_payload = {});

  bool connected() const { return connected_; }

  /// Publishes. `done(ok)` runs on the io_context when Paho completes the token (QoS 0: written
  /// to the socket; QoS 1: PUBACK) or fails it. When not connected, done(false) is posted.
  void publish(const std::string& topic, const std::string& payload, int qos, bool retain,
               PublishDone done);

  /// Publishes awaiting completion.
  std::size_t inflight() const { return inflight_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool connected_ = false;
  std::size_t inflight_ = 0;
  friend struct Impl;
};

}  // namespace rigkeeper::agent
