#include "agent/mqtt/link_core.h"

#include <mqtt/disconnect_options.h>
#include <mqtt/exception.h>
#include <mqtt/string_collection.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "agent/mqtt/mqtt_log.h"
#include "agent/mqtt/paho_options.h"

namespace rigkeeper::agent {

namespace {

/// Waits for a Paho token at most until `deadline` (never an unbounded wait(): Paho #521).
bool wait_until(const mqtt::token_ptr& tok, std::chrono::steady_clock::time_point deadline) {
  if (!tok) return false;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  try {
    return tok->wait_for(std::max(left, std::chrono::milliseconds(0)));
  } catch (const std::exception&) {
    return false;  // completed with a failure
  }
}

/// Non-empty, no wildcards, no NUL, within MQTT's 65535-byte limit.
bool valid_publish_topic(const std::string& topic) {
  return !topic.empty() && topic.size() <= 65535 &&
         topic.find_first_of(std::string("+#\0", 3)) == std::string::npos;
}

}  // namespace

LinkCore::LinkCore(asio::io_context& io, MqttLinkOptions options, LinkMirror mirror)
    : io_(io),
      options_(std::move(options)),
      mirror_(mirror),
      log_(mqtt_logger()),
      retry_timer_(io),
      backoff_(options_.reconnect_min, options_.reconnect_max),
      outage_(log_) {}

LinkCore::~LinkCore() { shutdown(); }

void LinkCore::set_topics(std::vector<std::pair<std::string, int>> topics) {
  topics_ = std::move(topics);
  if (state_ == State::kConnected) subscribe_topics(0);
}

Result<void> LinkCore::start() {
  if (state_ == State::kStopped) {
    return fail(Errc::kInvalidArgument, "mqtt: start() after stop()");
  }
  if (state_ != State::kIdle) return {};
  auto uri = check_link_options(options_);
  if (!uri) {
    log_->error("{}", uri.error().message);
    return tl::unexpected(uri.error());
  }
  if (!uri->tls && has_tls_settings(options_)) {
    log_->warn("TLS settings ignored: the broker URL {} is not ssl:// or mqtts://",
               options_.broker_uri);
  }
  broker_ = uri->paho_uri;
  fill_connect_options(options_, *uri, connect_options_);
  if (auto created = create_client(); !created) return created;
  log_->info("connecting to {} as '{}'{}", broker_, options_.client_id,
             uri->tls ? (options_.tls_insecure ? " (TLS, server NOT verified)" : " (TLS)") : "");
  connect_now();
  return {};
}

Result<void> LinkCore::create_client() {
  if (client_) return {};  // created once for the link's lifetime (Paho C leaks on destroy)
  bridge_ = std::make_shared<PahoBridge>(io_, weak_from_this());
  try {
    client_ =
        std::make_unique<mqtt::async_client>(broker_, options_.client_id, make_create_options(),
                                             static_cast<mqtt::iclient_persistence*>(nullptr));
    client_->set_callback(*bridge_);  // once, before any connect (Paho #519)
  } catch (const std::exception& e) {
    client_.reset();
    const std::string msg = "mqtt: cannot create the client for " + broker_ + ": " + e.what();
    log_->error("{}", msg);
    return fail(Errc::kConfig, msg);
  }
  return {};
}

void LinkCore::connect_now() {
  state_ = State::kConnecting;
  const uint64_t attempt = ++attempt_;
  try {
    connect_token_ = client_->connect(connect_options_, PahoBridge::to_context(attempt),
                                      bridge_->connect_listener());
  } catch (const std::exception& e) {
    connect_token_.reset();
    asio::post(io_, [weak = weak_from_this(), attempt, why = std::string(e.what())] {
      if (auto self = weak.lock()) self->connect_done(attempt, false, why, false);
    });
  }
}

void LinkCore::connect_done(uint64_t attempt, bool ok, const std::string& detail,
                            bool session_present) {
  if (state_ != State::kConnecting || attempt != attempt_) return;  // stale, or stopped
  if (!ok) {
    state_ = State::kWaiting;
    outage_.failed(detail);
    schedule_retry();
    return;
  }
  state_ = State::kConnected;
  backoff_.reset();
  outage_.connected(broker_, session_present);
  set_connected(true);
  subscribe_topics(++epoch_);
}

void LinkCore::schedule_retry() {
  const auto delay = backoff_.next();
  log_->debug("next connect attempt in {} ms", delay.count());
  retry_timer_.expires_after(delay);
  retry_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    if (ec) return;
    auto self = weak.lock();
    if (self && self->state_ == State::kWaiting) self->connect_now();
  });
}

void LinkCore::subscribe_topics(uint64_t epoch) {
  if (topics_.empty()) {
    if (epoch != 0) notify_connected();
    return;
  }
  std::vector<std::string> filters;
  mqtt::iasync_client::qos_collection qos;
  for (const auto& [filter, q] : topics_) {
    filters.push_back(filter);
    qos.push_back(std::clamp(q, 0, 2));
  }
  try {
    client_->subscribe(mqtt::string_collection::create(std::move(filters)), qos,
                       PahoBridge::to_context(epoch), bridge_->subscribe_listener());
  } catch (const std::exception& e) {
    log_->error("subscribing to {} topic(s) failed: {}", topics_.size(), e.what());
    if (epoch != 0) notify_connected();
  }
}

void LinkCore::subscribe_done(uint64_t epoch, bool ok, const std::string& detail) {
  if (state_ != State::kConnected) return;
  if (ok) {
    log_->debug("subscribed to {} topic(s)", topics_.size());
  } else {
    log_->error("subscription refused by the broker: {}", detail);
  }
  if (epoch != 0 && epoch == epoch_) notify_connected();
}

void LinkCore::notify_connected() {
  if (on_connected) {
    auto handler = on_connected;  // the handler may replace itself
    handler();
  }
}

void LinkCore::connection_lost(const std::string& reason) {
  if (state_ != State::kConnected) return;
  state_ = State::kWaiting;
  ++epoch_;  // answers to this connection's SUBSCRIBE no longer count
  set_connected(false);
  fail_all_publishes();
  outage_.lost(reason);
  if (on_connection_lost) {
    auto handler = on_connection_lost;
    handler(reason);
  }
  if (state_ == State::kWaiting) schedule_retry();  // unless the handler stopped us
}

void LinkCore::message(MqttMessage msg) {
  if (state_ == State::kStopped || !on_message) return;
  auto handler = on_message;
  handler(std::move(msg));
}

// --- publishing ---------------------------------------------------------------------------

void LinkCore::publish(const std::string& topic, const std::string& payload, int qos, bool retain,
                       MqttLink::PublishDone done) {
  if (qos < 0 || qos > 2 || !valid_publish_topic(topic)) {
    // A wildcard in a PUBLISH is a protocol error: the broker would drop the connection.
    log_->warn("refusing to publish on invalid topic '{}' (QoS {})", topic, qos);
    post_done(std::move(done), false);
    return;
  }
  if (state_ != State::kConnected) {
    post_done(std::move(done), false);
    return;
  }
  if (pending_.size() >= options_.max_inflight) {
    if (queue_.size() >= kMaxQueued) {
      log_->warn("publish queue full ({} waiting): failing a publish on '{}'", queue_.size(),
                 topic);
      post_done(std::move(done), false);
      return;
    }
    queue_.push_back(Queued{topic, payload, qos, retain, std::move(done)});
    update_inflight();
    return;
  }
  send(topic, payload, qos, retain, std::move(done));
}

void LinkCore::send(const std::string& topic, const std::string& payload, int qos, bool retain,
                    MqttLink::PublishDone done) {
  const uint64_t seq = ++next_seq_;
  pending_.emplace(seq, std::move(done));
  update_inflight();
  try {
    auto msg = mqtt::message::create(topic, payload, qos, retain);
    client_->publish(msg, PahoBridge::to_context(seq), bridge_->publish_listener());
  } catch (const std::exception& e) {
    // Disconnected under our feet (Paho #241), bad topic, Paho's own in-flight limit...
    log_->debug("publish on '{}' refused by Paho: {}", topic, e.what());
    auto it = pending_.find(seq);
    if (it != pending_.end()) {
      post_done(std::move(it->second), false);
      pending_.erase(it);
      update_inflight();
    }
  }
}

void LinkCore::publish_done(uint64_t seq, bool ok, const std::string& detail) {
  auto it = pending_.find(seq);
  if (it == pending_.end()) return;  // already failed by a connection loss or stop
  auto done = std::move(it->second);
  pending_.erase(it);
  update_inflight();
  if (!ok) log_->debug("publish failed: {}", detail);
  if (done) done(ok);
  drain_queue();
}

void LinkCore::drain_queue() {
  while (state_ == State::kConnected && !queue_.empty() &&
         pending_.size() < options_.max_inflight) {
    Queued next = std::move(queue_.front());
    queue_.pop_front();
    send(next.topic, next.payload, next.qos, next.retain, std::move(next.done));
  }
  update_inflight();
}

void LinkCore::fail_all_publishes() {
  auto pending = std::move(pending_);
  auto queued = std::move(queue_);
  pending_.clear();
  queue_.clear();
  update_inflight();
  for (auto& [seq, done] : pending) post_done(std::move(done), false);
  for (auto& q : queued) post_done(std::move(q.done), false);
}

void LinkCore::post_done(MqttLink::PublishDone done, bool ok) {
  if (done) asio::post(io_, [done = std::move(done), ok] { done(ok); });
}

void LinkCore::set_connected(bool connected) {
  if (mirror_.connected) *mirror_.connected = connected;
}

void LinkCore::update_inflight() {
  if (mirror_.inflight) *mirror_.inflight = pending_.size() + queue_.size();
}

// --- stopping -----------------------------------------------------------------------------

void LinkCore::stop(std::chrono::milliseconds grace, const std::string& final_topic,
                    const std::string& final_payload) {
  if (state_ == State::kStopped) return;
  const auto deadline = Clock::now() + grace;
  const State was = state_;
  state_ = State::kStopped;  // from here on, whatever Paho reports is ignored
  retry_timer_.cancel();
  set_connected(false);
  if (client_) {
    // A connect in progress may still succeed: let it, so that we can say goodbye properly.
    if (was == State::kConnecting) wait_until(connect_token_, deadline);
    if (client_->is_connected()) {
      if (!final_topic.empty() && !publish_final(final_topic, final_payload, deadline)) {
        log_->warn("final message on '{}' not confirmed within {} ms", final_topic, grace.count());
      }
      if (disconnect_cleanly(deadline)) {
        log_->info("disconnected from {}", broker_);
      } else {
        log_->warn(
            "clean disconnect from {} not confirmed within {} ms: the broker may "
            "publish the Last Will",
            broker_, grace.count());
      }
    }
  }
  fail_all_publishes();
  if (bridge_) bridge_->shutdown();
}

bool LinkCore::publish_final(const std::string& topic, const std::string& payload,
                             Clock::time_point deadline) {
  // Keep a third of what is left for the DISCONNECT.
  const auto share = (deadline - Clock::now()) * 2 / 3;
  try {
    auto tok = client_->publish(mqtt::message::create(topic, payload, 1, true));
    return wait_until(tok, Clock::now() + share);
  } catch (const std::exception& e) {
    log_->debug("final publish refused: {}", e.what());
    return false;
  }
}

bool LinkCore::disconnect_cleanly(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  try {
    // Normal disconnection (reason 0): the broker discards the Will. Paho waits up to the
    // timeout for publishes still in flight.
    mqtt::disconnect_options opts(static_cast<int>(std::max<long long>(0, left.count() / 2)));
    auto tok = client_->disconnect(opts);
    return wait_until(tok, deadline);
  } catch (const std::exception& e) {
    log_->debug("disconnect refused: {}", e.what());
    return false;
  }
}

void LinkCore::shutdown() {
  if (bridge_) bridge_->shutdown();
  state_ = State::kStopped;
  retry_timer_.cancel();
  fail_all_publishes();
  mirror_ = LinkMirror{};
  // Destroys the Paho client: without a clean stop() first the connection just drops and
  // the broker publishes the Will, as for a crash.
  connect_token_.reset();
  client_.reset();
}

}  // namespace rigkeeper::agent
