#include "agent/mqtt/mqtt_link.h"

#include "agent/mqtt/link_core.h"

namespace rigkeeper::agent {

struct MqttLink::Impl {
  std::shared_ptr<LinkCore> core;
};

MqttLink::MqttLink(asio::io_context& io, MqttLinkOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->core =
      std::make_shared<LinkCore>(io, std::move(options), LinkMirror{&connected_, &inflight_});
}

MqttLink::~MqttLink() {
  // Synchronous teardown even if a handler running right now holds the core alive.
  impl_->core->shutdown();
}

void MqttLink::on_connected(std::function<void()> handler) {
  impl_->core->on_connected = std::move(handler);
}

void MqttLink::on_connection_lost(std::function<void(const std::string& reason)> handler) {
  impl_->core->on_connection_lost = std::move(handler);
}

void MqttLink::on_message(std::function<void(MqttMessage)> handler) {
  impl_->core->on_message = std::move(handler);
}

void MqttLink::subscribe(std::vector<std::pair<std::string, int>> topics) {
  impl_->core->set_topics(std::move(topics));
}

Result<void> MqttLink::start() { return impl_->core->start(); }

void MqttLink::stop(std::chrono::milliseconds grace, const std::string& final_topic,
                    const std::string& final_payload) {
  impl_->core->stop(grace, final_topic, final_payload);
}

void MqttLink::publish(const std::string& topic, const std::string& payload, int qos, bool retain,
                       PublishDone done) {
  impl_->core->publish(topic, payload, qos, retain, std::move(done));
}

}  // namespace rigkeeper::agent
