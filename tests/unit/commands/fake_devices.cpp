#include "tests/unit/commands/fake_devices.h"

namespace rigkeeper::agent::commands::test {

using nlohmann::json;

drivers::DeviceSnapshot FakeDirectory::snapshot(const std::string& id) const {
  const FakeDevice& d = devices_.at(id);
  drivers::DeviceSnapshot s;
  s.ts = now_ms();
  s.device_id = d.id;
  s.kind = d.kind;
  s.state = d.state;
  const bool running =
      d.state == drivers::DeviceState::kMining || d.state == drivers::DeviceState::kServing;
  s.power_w = running ? d.power_w : std::optional<double>(20);
  s.efficiency_jth = running ? d.efficiency_jth : std::nullopt;
  return s;
}

std::vector<DeviceView> FakeDirectory::devices() const {
  std::vector<DeviceView> out;
  for (const auto& id : order_) {
    const FakeDevice& d = devices_.at(id);
    out.push_back({d.id, "fake", d.caps, snapshot(id)});
  }
  return out;
}

asio::awaitable<Result<drivers::CommandOutcome>> FakeDirectory::execute(
    const std::string& device_id, const drivers::DeviceCommand& cmd) {
  auto it = devices_.find(device_id);
  if (it == devices_.end()) co_return fail(Errc::kInvalidArgument, "no device " + device_id);
  FakeDevice& d = it->second;
  d.log.push_back(cmd);
  d.max_active = std::max(d.max_active, ++d.active);
  asio::steady_timer t(io_, d.delay);
  boost::system::error_code ec;
  co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  --d.active;
  if (d.fail_with) co_return fail(*d.fail_with, "device " + d.id + " said no");
  drivers::CommandOutcome out;
  if (cmd.type == "curtail") {
    out.memo = d.state == drivers::DeviceState::kSleeping ? json{{"mode", "sleep"}} : d.memo;
    d.state = drivers::DeviceState::kSleeping;
    out.detail = "sleeping";
  } else if (cmd.type == "resume") {
    d.state = drivers::DeviceState::kMining;
    out.detail = "mining (restored " + cmd.memo.dump() + ")";
  } else {
    out.detail = cmd.type + " ok";
  }
  out.state = d.state;
  co_return out;
}

std::vector<json> RecordingOutput::acks_of(const std::string& id) const {
  std::vector<json> out;
  for (const auto& a : acks)
    if (a["id"] == id) out.push_back(a);
  return out;
}

std::vector<std::string> RecordingOutput::statuses_of(const std::string& id) const {
  std::vector<std::string> out;
  for (const auto& a : acks_of(id)) out.push_back(a["status"]);
  return out;
}

std::vector<std::string> RecordingOutput::event_codes() const {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e["code"]);
  return out;
}

bool run_until(asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    io.restart();
    io.run_for(std::chrono::milliseconds(5));
  }
  return true;
}

std::string command_json(const std::string& id, const std::string& type, json params, json targets,
                         std::optional<Timestamp> expires_at) {
  return json{{"id", id},
              {"type", type},
              {"issued_at", format_rfc3339(now_ms())},
              {"expires_at", expires_at ? json(format_rfc3339(*expires_at)) : json(nullptr)},
              {"targets", std::move(targets)},
              {"params", std::move(params)}}
      .dump();
}

}  // namespace rigkeeper::agent::commands::test
