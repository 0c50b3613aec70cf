#pragma once
// Fake devices behind the DeviceDirectory seam, and an output that records acks and events.
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/commands/command_processor.h"

namespace rigkeeper::agent::commands::test {

struct FakeDevice {
  std::string id;
  drivers::DeviceKind kind = drivers::DeviceKind::kAsic;
  uint32_t caps = 0xffffffffu;
  drivers::DeviceState state = drivers::DeviceState::kMining;
  std::optional<double> power_w = 3000;
  std::optional<double> efficiency_jth = 25;
  std::chrono::milliseconds delay{5};  ///< how long a verb takes
  std::optional<Errc> fail_with;       ///< every verb fails with this
  nlohmann::json memo = {{"mode", "normal"}};
  std::vector<drivers::DeviceCommand> log;  ///< every verb received, in order
  int active = 0;
  int max_active = 0;
};

class FakeDirectory : public DeviceDirectory {
 public:
  explicit FakeDirectory(asio::io_context& io) : io_(io) {}
  FakeDevice& add(FakeDevice d) {
    order_.push_back(d.id);
    return devices_[d.id] = std::move(d);
  }
  FakeDevice& operator[](const std::string& id) { return devices_.at(id); }
  drivers::DeviceSnapshot snapshot(const std::string& id) const;

  std::vector<DeviceView> devices() const override;
  asio::awaitable<Result<drivers::CommandOutcome>> execute(
      const std::string& device_id, const drivers::DeviceCommand& cmd) override;

 private:
  asio::io_context& io_;
  std::vector<std::string> order_;
  std::map<std::string, FakeDevice> devices_;
};

class RecordingOutput : public CommandOutput {
 public:
  void ack(const std::string& payload) override { acks.push_back(nlohmann::json::parse(payload)); }
  void response(const std::string& topic, const std::string& correlation,
                const std::string& payload) override {
    responses.push_back({topic, correlation, nlohmann::json::parse(payload)});
  }
  void event(const nlohmann::json& e) override { events.push_back(e); }

  /// Acks of one command id, in order.
  std::vector<nlohmann::json> acks_of(const std::string& id) const;
  std::vector<std::string> statuses_of(const std::string& id) const;
  std::vector<std::string> event_codes() const;

  struct Response {
    std::string topic;
    std::string correlation;
    nlohmann::json ack;
  };
  std::vector<nlohmann::json> acks;
  std::vector<Response> responses;
  std::vector<nlohmann::json> events;
};

/// Runs `io` until `done()` or a generous limit (a failing test ends instead of hanging).
bool run_until(asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds limit = std::chrono::seconds(10));

/// A command body: `extra` is merged over a valid curtail-sleep-all.
std::string command_json(const std::string& id, const std::string& type,
                         nlohmann::json params = nlohmann::json::object(),
                         nlohmann::json targets = {{"all", true}},
                         std::optional<Timestamp> expires_at = std::nullopt);

}  // namespace rigkeeper::agent::commands::test
