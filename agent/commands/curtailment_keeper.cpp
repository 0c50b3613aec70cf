// Keeping curtailments in force: re-applied when a device reads back mining (it rebooted and
// lost its sleep mode, or someone woke it), and resumed in stages at their expiry.
#include <algorithm>

#include "agent/commands/command_processor_impl.h"

namespace rigkeeper::agent::commands {

using nlohmann::json;

void CommandProcessor::on_snapshot(const drivers::DeviceSnapshot& snap) {
  if (stopped_) return;
  const Curtailment* c = book_.find(snap.device_id);
  if (!c || c->resume_failed || expiring_.count(snap.device_id)) return;
  if (snap.state != drivers::DeviceState::kMining && snap.state != drivers::DeviceState::kStarting)
    return;
  if (reapplying_.count(snap.device_id) || mutex_for(snap.device_id)->locked()) return;
  const auto now = std::chrono::steady_clock::now();
  auto last = last_reapply_.find(snap.device_id);
  if (last != last_reapply_.end() && now - last->second < options_.reapply_interval) return;
  last_reapply_[snap.device_id] = now;
  reapplying_.insert(snap.device_id);
  asio::co_spawn(io_, reapply(snap.device_id, std::string(to_string(snap.state))), asio::detached);
}

asio::awaitable<void> CommandProcessor::reapply(std::string device_id, std::string read_state) {
  auto alive = alive_;
  auto mutex = mutex_for(device_id);
  co_await mutex->lock();
  AsyncLockGuard guard(mutex);
  if (!*alive || stopped_) co_return;
  reapplying_.erase(device_id);
  const Curtailment* c = book_.find(device_id);
  if (!c || c->resume_failed) co_return;  // resumed meanwhile
  const std::string command_id = c->command_id;
  cmd_logger()->warn("device={} reads {} but is curtailed by command {}: putting it to sleep again",
                     device_id, read_state, command_id);
  drivers::DeviceCommand sleep;
  sleep.type = "curtail";
  sleep.params = json{{"mode", "sleep"}};
  auto r = co_await execute_with_timeout(device_id, std::move(sleep));
  if (!*alive || stopped_) co_return;
  if (r) {
    out_.event(make_event(
        device_id, "warning", "CURTAILMENT_REAPPLIED",
        "device " + device_id + " read back " + read_state +
            " while curtailed; put to sleep again (" + r->detail + ")",
        {{"command_id", command_id}, {"read_state", read_state}, {"state", to_string(r->state)}},
        "none if it stays asleep; check the device if this repeats"));
  } else {
    out_.event(
        make_event(device_id, "critical", "CURTAILMENT_REAPPLY_FAILED",
                   "device " + device_id + " read back " + read_state +
                       " while curtailed and could not be put to sleep again: " + r.error().message,
                   {{"command_id", command_id}, {"read_state", read_state}},
                   "check the device: it is drawing power during a curtailment"));
  }
}

std::optional<int64_t> CommandProcessor::next_expiry_ms() const {
  std::optional<int64_t> out;
  for (const auto& [id, c] : book_.all()) {
    if (!c.expires_ms || expiring_.count(id) || c.resume_failed) continue;
    if (!out || *c.expires_ms < *out) out = c.expires_ms;
  }
  return out;
}

void CommandProcessor::schedule_expiry() {
  if (stopped_) return;
  const auto next = next_expiry_ms();
  if (!next) {
    expiry_timer_.cancel();
    return;
  }
  const auto wait = std::max<int64_t>(0, *next - to_unix_ms(now_ms()));
  expiry_timer_.expires_after(std::chrono::milliseconds(wait));
  expiry_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !*alive || stopped_) return;
    on_expiry();
  });
}

void CommandProcessor::on_expiry() {
  const int64_t now = to_unix_ms(now_ms());
  auto job = std::make_shared<Job>();
  job->internal = true;
  job->cmd.id = "expiry-" + std::to_string(now);
  job->cmd.type = "resume";
  job->cmd.issued_at = now_ms();
  double ramp = 0;
  for (const auto& [id, c] : book_.all()) {
    if (!c.expires_ms || *c.expires_ms > now || expiring_.count(id) || c.resume_failed) continue;
    expiring_.insert(id);
    job->cmd.targets.devices.push_back(id);
    ramp = std::max(ramp, c.ramp_s);
    out_.event(make_event(
        id, "info", "CURTAILMENT_EXPIRED",
        "curtailment of " + id + " by command " + c.command_id +
            " reached its expires_at: resuming",
        {{"command_id", c.command_id}, {"expires_at", format_rfc3339(from_unix_ms(*c.expires_ms))}},
        "none"));
  }
  job->cmd.params = {{"ramp_s", ramp}};
  if (!job->cmd.targets.devices.empty()) {
    cmd_logger()->info("{} curtailment(s) expired: resuming over {} s",
                       job->cmd.targets.devices.size(), ramp);
    running_[job->cmd.id] = job;
    asio::co_spawn(io_, run(job), asio::detached);
  }
  schedule_expiry();
}

}  // namespace rigkeeper::agent::commands
