#pragma once
/// What joins the command pipeline (agent/commands) to the daemon: the DeviceDirectory over
/// the DevicePollers, the CommandOutput over the outbox and the MQTT link, and the local
/// control-socket request that submits a command and answers with its final ack.
///
/// Threading: io_context thread only.
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/commands/command_processor.h"
#include "agent/core/device_poller.h"
#include "agent/core/outbox.h"
#include "agent/core/topics.h"
#include "agent/mqtt/mqtt_link.h"

namespace rigkeeper::agent {

class PollerDirectory : public commands::DeviceDirectory {
 public:
  explicit PollerDirectory(const std::vector<std::shared_ptr<DevicePoller>>& pollers)
      : pollers_(pollers) {}
  std::vector<commands::DeviceView> devices() const override;
  asio::awaitable<Result<drivers::CommandOutcome>> execute(
      const std::string& device_id, const drivers::DeviceCommand& cmd) override;

 private:
  const std::vector<std::shared_ptr<DevicePoller>>& pollers_;
};

/// Acks to `P/ack` and events to `P/events` through the outbox (durable, never dropped);
/// response-topic copies straight to the link (best effort: `P/ack` is the durable copy).
class OutboxCommandOutput : public commands::CommandOutput {
 public:
  OutboxCommandOutput(Outbox& outbox, MqttLink& link, const Topics& topics)
      : outbox_(outbox), link_(link), topics_(topics) {}
  void ack(const std::string& payload) override;
  void response(const std::string& topic, const std::string& correlation_data,
                const std::string& payload) override;
  void event(const nlohmann::json& event) override;

 private:
  Outbox& outbox_;
  MqttLink& link_;
  const Topics& topics_;
};

/// The origin of an MQTT message on the rack or site command topic.
commands::Origin mqtt_origin(const MqttMessage& msg, const Topics& topics);

/// Handles a control request {"cmd":"command","command":{...}}: submits the command (local
/// commands are trusted by the socket's permissions, so no signature is needed), and calls
/// `reply` with {"ok":true,"ack":<final ack>,"acks":[...]} once the final (or rejected) ack is
/// known. Returns false for any other request.
bool handle_control_command(commands::CommandProcessor& processor, const nlohmann::json& request,
                            std::function<void(nlohmann::json)> reply);

}  // namespace rigkeeper::agent
