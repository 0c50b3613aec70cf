#pragma once
/// The only code that runs on Paho's threads. Every callback copies what it got and queues it
/// for the io_context, where LinkEvents handles it; nothing else is touched there. The queue is
/// drained by one posted handler per burst (a rack publishes hundreds of messages a second, and
/// one wake-up of the loop per completion was measurable), in the order the callbacks came. After
/// shutdown() returns no further callback posts anything, so a link can be destroyed while
/// Paho still holds tokens that point at these listeners (they live as long as the bridge).
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <mqtt/callback.h>
#include <mqtt/iaction_listener.h>

#include "agent/mqtt/mqtt_link.h"
#include "drivers/api/asio.h"

namespace rigkeeper::agent {

/// What the bridge delivers, on the io_context's thread.
class LinkEvents {
 public:
  virtual ~LinkEvents() = default;
  /// A connect attempt (`attempt` as passed to connect) finished.
  virtual void connect_done(uint64_t attempt, bool ok, const std::string& detail,
                            bool session_present) = 0;
  virtual void connection_lost(const std::string& reason) = 0;
  virtual void message(MqttMessage msg) = 0;
  /// A publish (`seq` as passed to publish) completed or failed.
  virtual void publish_done(uint64_t seq, bool ok, const std::string& detail) = 0;
  /// The subscriptions made after connect number `epoch` were answered.
  virtual void subscribe_done(uint64_t epoch, bool ok, const std::string& detail) = 0;
};

class PahoBridge : public mqtt::callback, public std::enable_shared_from_this<PahoBridge> {
 public:
  /// Messages larger than this are dropped (and logged) on Paho's thread.
  static constexpr std::size_t kMaxPayloadBytes = 256 * 1024;

  /// Made with std::make_shared: the posted drain holds the bridge.
  PahoBridge(asio::io_context& io, std::weak_ptr<LinkEvents> target);
  ~PahoBridge() override;
  PahoBridge(const PahoBridge&) = delete;
  PahoBridge& operator=(const PahoBridge&) = delete;

  /// Stops all posting; waits for a callback that is posting right now.
  void shutdown();

  /// Listeners for the action tokens; the user context carries the attempt/seq/epoch number.
  mqtt::iaction_listener& connect_listener() { return connect_; }
  mqtt::iaction_listener& publish_listener() { return publish_; }
  mqtt::iaction_listener& subscribe_listener() { return subscribe_; }

  static void* to_context(uint64_t n) { return reinterpret_cast<void*>(static_cast<uintptr_t>(n)); }
  static uint64_t from_context(void* p) { return reinterpret_cast<uintptr_t>(p); }

  // mqtt::callback
  void connection_lost(const std::string& cause) override;
  void message_arrived(mqtt::const_message_ptr msg) override;

 private:
  using Deliver = void (*)(PahoBridge&, const mqtt::token&, bool ok);

  /// One listener class for the three kinds of token; `deliver` routes the result.
  class Listener : public mqtt::iaction_listener {
   public:
    Listener(PahoBridge& bridge, Deliver deliver) : bridge_(bridge), deliver_(deliver) {}
    void on_success(const mqtt::token& tok) override { deliver_(bridge_, tok, true); }
    void on_failure(const mqtt::token& tok) override { deliver_(bridge_, tok, false); }

   private:
    PahoBridge& bridge_;
    Deliver deliver_;
  };

  using Event = std::function<void(LinkEvents&)>;
  /// Queues an event; posts the drain when the queue was empty.
  void post(Event event);
  void drain();

  static void deliver_connect(PahoBridge& self, const mqtt::token& tok, bool ok);
  static void deliver_publish(PahoBridge& self, const mqtt::token& tok, bool ok);
  static void deliver_subscribe(PahoBridge& self, const mqtt::token& tok, bool ok);

  asio::io_context& io_;
  std::weak_ptr<LinkEvents> target_;
  std::mutex mutex_;
  bool stopped_ = false;
  std::vector<Event> queue_;     ///< guarded by mutex_; non-empty means a drain is posted
  std::vector<Event> draining_;  ///< io_context thread only
  Listener connect_;
  Listener publish_;
  Listener subscribe_;
};

/// Paho's description of a token's failure ("MQTT error [-1]: TLS handshake failed ...").
std::string describe_failure(const mqtt::token& tok);

}  // namespace rigkeeper::agent
