#include "agent/core/command_wiring.h"

#include "agent/control/control_protocol.h"

namespace rigkeeper::agent {

using nlohmann::json;

std::vector<commands::DeviceView> PollerDirectory::devices() const {
  std::vector<commands::DeviceView> out;
  out.reserve(pollers_.size());
  for (const auto& p : pollers_) {
    const auto& s = p->status();
    out.push_back({s.id, s.driver, p->capabilities(), s.last});
  }
  return out;
}

asio::awaitable<Result<drivers::CommandOutcome>> PollerDirectory::execute(
    const std::string& device_id, const drivers::DeviceCommand& cmd) {
  for (const auto& p : pollers_) {
    if (p->status().id != device_id) continue;
    auto poller = p;  // kept alive while the verb runs
    co_return co_await poller->execute(cmd);
  }
  co_return fail(Errc::kInvalidArgument, "no device " + device_id + " on this rack");
}

void OutboxCommandOutput::ack(const std::string& payload) {
  outbox_.enqueue(MessageClass::kAck, topics_.ack, payload, 1);
}

void OutboxCommandOutput::response(const std::string& topic, const std::string& /*correlation*/,
                                   const std::string& payload) {
  // MqttLink::publish carries no MQTT v5 properties yet, so the correlation data cannot be
  // echoed; the ack's "id" names the command.
  if (link_.connected()) link_.publish(topic, payload, 1, false, [](bool) {});
}

void OutboxCommandOutput::event(const json& event) {
  outbox_.enqueue(MessageClass::kEvent, topics_.events, event.dump(), 1);
}

commands::Origin mqtt_origin(const MqttMessage& msg, const Topics& topics) {
  commands::Origin o;
  o.source = "mqtt:" + msg.topic;
  o.response_topic = msg.response_topic;
  o.correlation_data = msg.correlation_data;
  o.site_wide = msg.topic == topics.site_cmd;
  return o;
}

bool handle_control_command(commands::CommandProcessor& processor, const json& request,
                            std::function<void(json)> reply) {
  if (request.value("cmd", "") != "command") return false;
  if (!request.contains("command") || !request["command"].is_object()) {
    reply(control_error_reply(Errc::kInvalidArgument, "request needs a \"command\" object"));
    return true;
  }
  commands::Origin origin;
  origin.source = "local";
  origin.trusted_local = true;
  auto acks = std::make_shared<json>(json::array());
  auto replied = std::make_shared<bool>(false);
  origin.on_ack = [acks, replied, reply](const commands::Ack& ack) {
    acks->push_back(commands::to_json(ack));
    if (*replied || !(commands::is_final(ack.status) || ack.status == "rejected")) return;
    *replied = true;
    reply({{"ok", true}, {"ack", acks->back()}, {"acks", *acks}});
  };
  processor.submit(request["command"].dump(), std::move(origin));
  return true;
}

}  // namespace rigkeeper::agent
