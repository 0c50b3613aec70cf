#pragma once
/// rigkeeperd's lifecycle: wires the store, the outbox, the MQTT link, the device pollers, the
/// telemetry sink and the control socket onto one io_context, and tears them down in order on
/// SIGTERM/SIGINT (pollers stop, history and outbox flushed to disk, retained status set to
/// offline, clean disconnect).
#include <memory>
#include <optional>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "agent/commands/command_processor.h"
#include "agent/config/config.h"
#include "agent/control/control_protocol.h"
#include "agent/core/command_wiring.h"
#include "agent/core/device_poller.h"
#include "agent/core/outbox.h"
#include "agent/core/rack_summary.h"
#include "agent/core/telemetry_sink.h"
#include "agent/core/topics.h"
#include "agent/mqtt/mqtt_link.h"
#include "agent/store/store.h"
#include "drivers/api/asio.h"

namespace rigkeeper::agent {

class Daemon {
 public:
  explicit Daemon(AgentConfig config);
  ~Daemon();

  /// Runs until SIGTERM or SIGINT. Returns the process exit code (0 on a clean stop;
  /// 1 for a configuration problem found at start, 5 for storage failures).
  int run();

 private:
  Result<void> start();
  void shutdown();
  void on_connected();
  Result<void> start_commands(commands::KeyRing keys);
  void publish_status();
  void schedule_status();
  void schedule_rack();
  void publish_rack();
  std::string status_payload(bool online) const;
  nlohmann::json control_status() const;

  AgentConfig config_;        ///< its `devices` are moved into the pollers by start()
  std::size_t device_count_;  ///< config_.devices.size() as configured
  Topics topics_;
  asio::io_context io_;
  asio::signal_set signals_;
  asio::steady_timer status_timer_;
  asio::steady_timer rack_timer_;
  Timestamp started_at_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<MqttLink> link_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<TelemetrySink> sink_;
  std::unique_ptr<ControlServer> control_;
  std::vector<std::shared_ptr<DevicePoller>> pollers_;
  std::unique_ptr<PollerDirectory> directory_;
  std::unique_ptr<OutboxCommandOutput> command_out_;
  std::unique_ptr<commands::CommandProcessor> commands_;  ///< after pollers: destroyed first
  int64_t last_reported_drops_ = -1;
  bool stopping_ = false;
};

}  // namespace rigkeeper::agent
