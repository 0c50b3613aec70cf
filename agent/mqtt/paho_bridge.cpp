#include "agent/mqtt/paho_bridge.h"

#include <mqtt/exception.h>
#include <mqtt/message.h>
#include <mqtt/properties.h>
#include <mqtt/token.h>
#include <spdlog/spdlog.h>

#include "agent/mqtt/mqtt_log.h"

namespace rigkeeper::agent {

namespace {

/// A v5 string or binary property, empty when absent or unreadable.
std::string string_property(const mqtt::properties& props, mqtt::property::code code) {
  try {
    if (props.contains(code)) return mqtt::get<std::string>(props, code);
  } catch (const std::exception&) {
    // Malformed property: treat as absent.
  }
  return {};
}

/// The first subscription the broker refused (reason code >= 0x80), or "".
std::string refused_subscriptions(const mqtt::token& tok) {
  try {
    const auto rsp = tok.get_subscribe_response();
    std::string refused;
    for (const auto code : rsp.get_reason_codes()) {
      if (static_cast<int>(code) >= 0x80) {
        if (!refused.empty()) refused += ", ";
        refused += mqtt::exception::reason_code_str(static_cast<int>(code));
      }
    }
    return refused;
  } catch (const std::exception& e) {
    return std::string("unreadable SUBACK: ") + e.what();
  }
}

}  // namespace

std::string describe_failure(const mqtt::token& tok) {
  // try_wait() on a completed, failed token throws the exception that carries Paho's message.
  try {
    const_cast<mqtt::token&>(tok).try_wait();
  } catch (const mqtt::exception& e) {
    return e.what();
  } catch (const std::exception& e) {
    return e.what();
  }
  return mqtt::exception::printable_error(tok.get_return_code(), tok.get_reason_code());
}

PahoBridge::PahoBridge(asio::io_context& io, std::weak_ptr<LinkEvents> target)
    : io_(io),
      target_(std::move(target)),
      connect_(*this, &PahoBridge::deliver_connect),
      publish_(*this, &PahoBridge::deliver_publish),
      subscribe_(*this, &PahoBridge::deliver_subscribe) {}

PahoBridge::~PahoBridge() { shutdown(); }

void PahoBridge::shutdown() {
  std::lock_guard<std::mutex> lock(mutex_);
  stopped_ = true;
}

void PahoBridge::post(Event event) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopped_) return;
  queue_.push_back(std::move(event));
  if (queue_.size() != 1) return;           // a drain is already posted
  if (auto self = weak_from_this().lock())  // null only while the bridge is being destroyed
    asio::post(io_, [self = std::move(self)] { self->drain(); });
}

void PahoBridge::drain() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    draining_.swap(queue_);
  }
  if (auto events = target_.lock())
    for (auto& event : draining_) event(*events);
  draining_.clear();
}

void PahoBridge::connection_lost(const std::string& cause) {
  std::string reason = cause.empty() ? std::string("connection lost") : cause;
  post([reason = std::move(reason)](LinkEvents& e) { e.connection_lost(reason); });
}

void PahoBridge::message_arrived(mqtt::const_message_ptr msg) {
  if (!msg) return;
  const std::string& payload = msg->get_payload_str();
  if (payload.size() > kMaxPayloadBytes) {
    mqtt_logger()->warn("dropped a {} byte message on '{}': larger than the {} byte limit",
                        payload.size(), msg->get_topic(), kMaxPayloadBytes);
    return;
  }
  MqttMessage copy;
  copy.topic = msg->get_topic();
  copy.payload = payload;
  const auto& props = msg->get_properties();
  copy.response_topic = string_property(props, mqtt::property::RESPONSE_TOPIC);
  copy.correlation_data = string_property(props, mqtt::property::CORRELATION_DATA);
  post([copy = std::move(copy)](LinkEvents& e) mutable { e.message(std::move(copy)); });
}

void PahoBridge::deliver_connect(PahoBridge& self, const mqtt::token& tok, bool ok) {
  const uint64_t attempt = from_context(tok.get_user_context());
  bool session_present = false;
  std::string detail;
  if (ok) {
    try {
      session_present = tok.get_connect_response().is_session_present();
    } catch (const std::exception&) {
      // No CONNACK details: assume a new session.
    }
  } else {
    detail = describe_failure(tok);
  }
  self.post([attempt, ok, detail = std::move(detail), session_present](LinkEvents& e) {
    e.connect_done(attempt, ok, detail, session_present);
  });
}

void PahoBridge::deliver_publish(PahoBridge& self, const mqtt::token& tok, bool ok) {
  const uint64_t seq = from_context(tok.get_user_context());
  std::string detail = ok ? std::string() : describe_failure(tok);
  self.post(
      [seq, ok, detail = std::move(detail)](LinkEvents& e) { e.publish_done(seq, ok, detail); });
}

void PahoBridge::deliver_subscribe(PahoBridge& self, const mqtt::token& tok, bool ok) {
  const uint64_t epoch = from_context(tok.get_user_context());
  std::string detail = ok ? refused_subscriptions(tok) : describe_failure(tok);
  const bool all_granted = ok && detail.empty();
  self.post([epoch, all_granted, detail = std::move(detail)](LinkEvents& e) {
    e.subscribe_done(epoch, all_granted, detail);
  });
}

}  // namespace rigkeeper::agent
