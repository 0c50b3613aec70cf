// Execution of an accepted command: targets become per-device verbs, run concurrently (one
// at a time per device), each under a timeout, and gathered into the final ack.
#include <algorithm>
#include <cmath>

#include "agent/commands/command_processor_impl.h"

namespace rigkeeper::agent::commands {

using nlohmann::json;
using std::chrono::milliseconds;

namespace {

bool is_transport(Errc c) {
  return c == Errc::kUnreachable || c == Errc::kTimeout || c == Errc::kProtocol;
}

std::optional<double> efficiency(const drivers::DeviceSnapshot& s) {
  if (s.efficiency_jth) return s.efficiency_jth;
  if (s.power_w && s.hashrate_ths && *s.hashrate_ths > 0) return *s.power_w / *s.hashrate_ths;
  return std::nullopt;
}

/// Spreads `n` stages over `ramp_s`: stage i starts at i * ramp / n.
milliseconds stage_delay(double ramp_s, std::size_t i, std::size_t n) {
  if (ramp_s <= 0 || n == 0) return milliseconds(0);
  return milliseconds(
      static_cast<int64_t>(ramp_s * 1000.0 * static_cast<double>(i) / static_cast<double>(n)));
}

}  // namespace

std::vector<CommandProcessor::Task> CommandProcessor::plan(const Job& job,
                                                           std::vector<DeviceResult>& results,
                                                           std::optional<std::string>& reason,
                                                           bool& fits) {
  const Command& cmd = job.cmd;
  const auto views = devices_.devices();
  const bool explicit_ids = !cmd.targets.devices.empty();
  const bool explicit_gpu = cmd.targets.kind == drivers::DeviceKind::kGpuNode;
  std::vector<const DeviceView*> selected;
  for (const auto& v : views) {
    if (cmd.targets.all) {
      selected.push_back(&v);
    } else if (explicit_ids) {
      if (std::find(cmd.targets.devices.begin(), cmd.targets.devices.end(), v.id) !=
          cmd.targets.devices.end())
        selected.push_back(&v);
    } else if (cmd.targets.kind) {
      if (v.kind() == *cmd.targets.kind)
        selected.push_back(&v);
      else if (!v.kind())
        results.push_back({v.id, "unchanged", "kind not known yet (no successful poll)", {}});
    }
  }
  const double ramp_s =
      cmd.params.value("ramp_s", cmd.type == "resume" ? options_.default_ramp_s : 0.0);
  std::vector<Task> tasks;
  auto state_of = [](const DeviceView& v) -> std::optional<std::string> {
    if (!v.last) return std::nullopt;
    return std::string(to_string(v.last->state));
  };
  // Curtailing touches GPU nodes only when they are named (AI work comes first).
  auto gpu_guarded = [&](const DeviceView& v) {
    if (cmd.type != "curtail" || explicit_ids || explicit_gpu) return false;
    if (v.kind() != drivers::DeviceKind::kGpuNode) return false;
    results.push_back({v.id, "unchanged",
                       "gpu_node devices are curtailed only when targeted by id or kind",
                       state_of(v)});
    return true;
  };

  if (cmd.type == "curtail" && cmd.params.contains("rack_power_w")) {
    const double budget = cmd.params["rack_power_w"].get<double>();
    std::vector<BudgetCandidate> candidates;
    for (const DeviceView* v : selected) {
      if (gpu_guarded(*v) || book_.find(v->id)) continue;
      if (!v->last || v->last->state != drivers::DeviceState::kMining || !v->last->power_w)
        continue;
      if (v->capabilities != 0 && !(v->capabilities & drivers::kCapCurtail)) continue;
      candidates.push_back({v->id, *v->last->power_w, efficiency(*v->last)});
    }
    const auto rack = rack_power();
    if (!rack) {
      reason = "no device reports its power: cannot plan a budget curtail";
      fits = false;
      return tasks;
    }
    const BudgetPlan p = plan_budget(*rack, budget, std::move(candidates));
    fits = p.fits;
    reason = fmt::format(
        "rack at {:.0f} W, budget {:.0f} W: curtailing {} device(s), expected "
        "{:.0f} W{}",
        p.rack_power_w, budget, p.to_sleep.size(), p.expected_w,
        p.fits ? "" : " (no more devices can be curtailed)");
    for (std::size_t i = 0; i < p.to_sleep.size(); ++i)
      tasks.push_back({p.to_sleep[i],
                       {"curtail", {{"mode", "sleep"}}, nullptr},
                       stage_delay(ramp_s, i, p.to_sleep.size())});
    return tasks;
  }
  if (cmd.type == "resume") {
    // Wake the most efficient first: the rack regains the most hashrate per watt early.
    std::vector<const DeviceView*> ours;
    for (const DeviceView* v : selected) {
      const Curtailment* c = book_.find(v->id);
      if (!c) {
        results.push_back(
            {v->id, "unchanged", "not curtailed by this agent: left alone", state_of(*v)});
        continue;
      }
      if (job.internal && std::find(cmd.targets.devices.begin(), cmd.targets.devices.end(),
                                    v->id) == cmd.targets.devices.end())
        continue;
      ours.push_back(v);
    }
    std::stable_sort(ours.begin(), ours.end(), [](const DeviceView* a, const DeviceView* b) {
      auto ea = a->last ? efficiency(*a->last) : std::nullopt;
      auto eb = b->last ? efficiency(*b->last) : std::nullopt;
      return ea.value_or(1e9) < eb.value_or(1e9);
    });
    for (std::size_t i = 0; i < ours.size(); ++i) {
      tasks.push_back({ours[i]->id,
                       {"resume", json::object(), book_.find(ours[i]->id)->memo},
                       stage_delay(ramp_s, i, ours.size())});
    }
    return tasks;
  }
  json params = cmd.params;
  params.erase("ramp_s");
  if (cmd.type == "curtail") params = {{"mode", "sleep"}};
  std::size_t n = 0;
  for (const DeviceView* v : selected) {
    if (gpu_guarded(*v)) continue;
    tasks.push_back({v->id, {cmd.type, params, nullptr}, milliseconds(0)});
    ++n;
  }
  for (std::size_t i = 0; i < tasks.size(); ++i) tasks[i].delay = stage_delay(ramp_s, i, n);
  return tasks;
}

asio::awaitable<void> CommandProcessor::run(std::shared_ptr<Job> job) {
  auto alive = alive_;
  std::vector<DeviceResult> results;
  std::optional<std::string> reason;
  bool fits = true;
  auto tasks = plan(*job, results, reason, fits);
  auto done = co_await run_tasks(job, std::move(tasks));
  if (!*alive || stopped_) co_return;
  std::size_t ok = 0;
  for (auto& r : done) {
    if (r.status == "done") ++ok;
    results.push_back(std::move(r));
  }
  std::optional<std::string> status;
  if (!fits) status = ok > 0 ? "partial" : "failed";
  finish(job, std::move(results), std::move(reason), status);
}

asio::awaitable<std::vector<DeviceResult>> CommandProcessor::run_tasks(std::shared_ptr<Job> job,
                                                                       std::vector<Task> tasks) {
  // Every device's verb is its own coroutine; the last to finish wakes this one.
  struct Gather {
    explicit Gather(asio::any_io_executor ex, std::size_t n)
        : results(n), left(n), wake(ex, std::chrono::steady_clock::time_point::max()) {}
    std::vector<DeviceResult> results;
    std::size_t left;
    asio::steady_timer wake;
  };
  auto g = std::make_shared<Gather>(io_.get_executor(), tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    asio::co_spawn(
        io_,
        [this, g, i, job, task = std::move(tasks[i])]() mutable -> asio::awaitable<void> {
          g->results[i] = co_await run_task(job, std::move(task));
          if (--g->left == 0) g->wake.cancel();
        },
        asio::detached);
  }
  if (g->left > 0) {
    boost::system::error_code ec;
    co_await g->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return std::move(g->results);
}

asio::awaitable<DeviceResult> CommandProcessor::run_task(std::shared_ptr<Job> job, Task task) {
  auto alive = alive_;
  DeviceResult result{task.device_id, "failed", "", std::nullopt};
  if (task.delay.count() > 0) {
    asio::steady_timer stage(io_, task.delay);
    boost::system::error_code ec;
    co_await stage.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!*alive || stopped_) co_return result;
  }
  auto mutex = mutex_for(task.device_id);
  co_await mutex->lock();
  AsyncLockGuard guard(mutex);
  if (!*alive || stopped_) co_return result;
  if (job->cmd.expires_at && now_ms() >= *job->cmd.expires_at) {
    result.status = "expired";
    result.detail = "expired before it could be applied";
    co_return result;
  }
  for (const auto& v : devices_.devices()) {
    if (v.id != task.device_id) continue;
    if (v.last) result.state = std::string(to_string(v.last->state));
    const uint32_t need = capability_for(task.dc.type);
    if (v.capabilities != 0 && !(v.capabilities & need)) {
      result.detail = "driver " + v.driver + " does not support " + task.dc.type;
      co_return result;
    }
  }
  if (task.dc.type == "curtail") {
    const Curtailment* before = book_.find(task.device_id);
    task.new_record = before == nullptr;
    Curtailment c = before ? *before : Curtailment{};
    c.device_id = task.device_id;
    c.command_id = job->cmd.id;
    if (!before) c.since_ms = to_unix_ms(now_ms());
    c.expires_ms = job->cmd.expires_at ? std::optional<int64_t>(to_unix_ms(*job->cmd.expires_at))
                                       : std::nullopt;
    c.ramp_s = job->cmd.params.value("ramp_s", options_.default_ramp_s);
    c.resume_failed = false;
    // Persisted before acting: a restart in the middle still knows the device is ours.
    if (auto r = book_.put(c); !r) {
      result.detail = "cannot persist the curtailment: " + r.error().message;
      co_return result;
    }
    schedule_expiry();
  }
  auto r = co_await execute_with_timeout(task.device_id, task.dc);
  if (!*alive || stopped_) co_return result;
  after_device(*job, task, r, result);
  co_return result;
}

void CommandProcessor::after_device(const Job& job, const Task& task,
                                    const Result<drivers::CommandOutcome>& r,
                                    DeviceResult& result) {
  const std::string& id = task.device_id;
  if (r) {
    result.status = "done";
    result.state = std::string(to_string(r->state));
    result.detail = r->detail.empty() ? task.dc.type + " applied" : r->detail;
    if (!r->confirmed) result.detail += " (accepted; not yet confirmed by read-back)";
  } else {
    result.status = "failed";
    result.detail = std::string(to_string(r.error().code)) + ": " + r.error().message;
  }
  if (task.dc.type == "curtail") {
    if (r) {
      if (const Curtailment* c = book_.find(id); c && c->memo.is_null() && !r->memo.is_null()) {
        Curtailment updated = *c;
        updated.memo = r->memo;  // only the first curtail's memo: later ones see it asleep
        if (auto p = book_.put(updated); !p) cmd_logger()->error("{}", p.error().message);
      }
      out_.event(make_event(id, "info", "DEVICE_CURTAILED",
                            "device " + id + " curtailed by command " + job.cmd.id,
                            {{"command_id", job.cmd.id}, {"state", *result.state}},
                            "none: resumes on resume or at expires_at"));
    } else if (task.new_record && !is_transport(r.error().code)) {
      // The device refused: nothing of ours is in force. An unreachable device keeps the
      // record, so it is put to sleep when it comes back mining.
      if (auto p = book_.erase(id); !p) cmd_logger()->error("{}", p.error().message);
      schedule_expiry();
    }
  } else if (task.dc.type == "resume") {
    if (r) {
      if (auto p = book_.erase(id); !p) cmd_logger()->error("{}", p.error().message);
      expiring_.erase(id);
      out_.event(
          make_event(id, "info", "DEVICE_RESUMED",
                     "device " + id + " resumed by " +
                         (job.internal ? "the curtailment's expiry" : "command " + job.cmd.id),
                     {{"command_id", job.cmd.id}, {"state", *result.state}}, "none"));
    } else if (const Curtailment* c = book_.find(id)) {
      Curtailment updated = *c;
      updated.resume_failed = true;
      if (auto p = book_.put(updated); !p) cmd_logger()->error("{}", p.error().message);
    }
    schedule_expiry();
  }
}

asio::awaitable<Result<drivers::CommandOutcome>> CommandProcessor::execute_with_timeout(
    const std::string& device_id, drivers::DeviceCommand cmd) {
  // The verb runs in its own coroutine; a timer gives up waiting for it after the timeout
  // (the driver's own deadlines end it later, and the device's poller serialises it).
  struct Slot {
    explicit Slot(asio::any_io_executor ex)
        : wake(ex, std::chrono::steady_clock::time_point::max()) {}
    std::optional<Result<drivers::CommandOutcome>> result;
    asio::steady_timer wake;
  };
  auto slot = std::make_shared<Slot>(io_.get_executor());
  asio::co_spawn(
      io_,
      [this, slot, device_id, cmd = std::move(cmd)]() -> asio::awaitable<void> {
        auto r = co_await devices_.execute(device_id, cmd);
        slot->result = std::move(r);
        slot->wake.cancel();
      },
      asio::detached);
  asio::steady_timer deadline(io_, options_.device_timeout);
  deadline.async_wait([slot](const boost::system::error_code& ec) {
    if (!ec) slot->wake.cancel();
  });
  if (!slot->result) {
    boost::system::error_code ec;
    co_await slot->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  deadline.cancel();
  if (slot->result) co_return std::move(*slot->result);
  co_return fail(Errc::kTimeout, "device " + device_id + " did not complete the command within " +
                                     std::to_string(options_.device_timeout.count() / 1000) + " s");
}

}  // namespace rigkeeper::agent::commands
