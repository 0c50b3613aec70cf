// The front of the pipeline: open, dedupe, validate, journal, ack; and start-up recovery.
// Execution is in command_execution.cpp, curtailment upkeep in curtailment_keeper.cpp.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "agent/commands/command_processor_impl.h"

namespace rigkeeper::agent::commands {

using nlohmann::json;

std::shared_ptr<spdlog::logger> cmd_logger() {
  static auto log = [] {
    auto l = spdlog::get("commands");
    return l ? l : spdlog::default_logger()->clone("commands");
  }();
  return log;
}

uint32_t capability_for(std::string_view type) {
  if (type == "curtail") return drivers::kCapCurtail;
  if (type == "resume") return drivers::kCapResume;
  if (type == "set_power") return drivers::kCapSetPower;
  if (type == "switch_pool") return drivers::kCapSwitchPool;
  if (type == "switch_profile") return drivers::kCapSwitchProfile;
  if (type == "switch_workload") return drivers::kCapSwitchWorkload;
  if (type == "reboot") return drivers::kCapReboot;
  if (type == "locate") return drivers::kCapLocate;
  return drivers::kCapRead;
}

namespace {

std::string source_json(const Origin& o) {
  return json{{"source", o.source},
              {"response_topic", o.response_topic},
              {"correlation_data", base64_encode(o.correlation_data)},
              {"site_wide", o.site_wide}}
      .dump();
}

Origin origin_from(const std::string& text) {
  Origin o;
  const json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return o;
  o.source = j.value("source", "local");
  o.response_topic = j.value("response_topic", "");
  o.correlation_data = base64_decode(j.value("correlation_data", "")).value_or("");
  o.site_wide = j.value("site_wide", false);
  return o;
}

}  // namespace

CommandProcessor::CommandProcessor(asio::io_context& io, Store* store, DeviceDirectory& devices,
                                   CommandOutput& out, KeyRing keys, ProcessorOptions options)
    : io_(io),
      store_(store),
      devices_(devices),
      out_(out),
      keys_(std::move(keys)),
      options_(options),
      book_(store),
      expiry_timer_(io),
      recovery_timer_(io),
      alive_(std::make_shared<bool>(true)) {}

CommandProcessor::~CommandProcessor() {
  *alive_ = false;
  mutexes_.clear();
}

Result<void> CommandProcessor::start() {
  if (auto r = book_.load(); !r) cmd_logger()->error("{}", r.error().message);
  if (!book_.all().empty())
    cmd_logger()->info(
        "{} device(s) curtailed by this agent before the restart; keeping them "
        "curtailed",
        book_.all().size());
  if (store_) {
    const auto cutoff = now_ms() - options_.journal_retention;
    if (auto r = store_->commands_prune(to_unix_ms(cutoff)); !r)
      cmd_logger()->warn("{}", r.error().message);
  }
  schedule_expiry();
  recovery_timer_.expires_after(options_.recovery_delay);
  recovery_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !*alive || stopped_) return;
    recover();
  });
  return {};
}

void CommandProcessor::stop() {
  stopped_ = true;
  expiry_timer_.cancel();
  recovery_timer_.cancel();
}

void CommandProcessor::submit(std::string payload, Origin origin) {
  if (stopped_) return;
  if (payload.size() > options_.limits.max_bytes * 2 + 1024) {
    reject("", "payload is " + std::to_string(payload.size()) + " bytes, more than allowed",
           origin);
    return;
  }
  Opened opened = origin.trusted_local ? Opened{payload, ""} : open_payload(payload, keys_);
  if (!opened.reason.empty()) {
    reject(peek_id(opened.body.empty() ? std::string_view(payload) : opened.body), opened.reason,
           origin);
    return;
  }
  // A repeated id is answered from the journal before anything else is looked at.
  if (const std::string id = peek_id(opened.body, options_.limits.max_id_bytes); !id.empty()) {
    if (auto run = running_.find(id); run != running_.end()) {
      cmd_logger()->info("command {} repeated while it runs: answering from the journal", id);
      if (store_) {
        if (auto rec = store_->command_get(id); rec && *rec) replay(**rec, origin);
      }
      run->second->extra.push_back(std::move(origin));
      return;
    }
    if (store_) {
      auto rec = store_->command_get(id);
      if (rec && *rec) {
        cmd_logger()->info("command {} repeated: answering from the journal, not executing", id);
        replay(**rec, origin);
        return;
      }
    }
  }
  ParseResult parsed = parse_command(opened.body, now_ms(), options_.limits);
  if (!parsed.command) {
    reject(parsed.id, parsed.reason, origin);
    return;
  }
  accept(std::move(*parsed.command), std::move(origin));
}

void CommandProcessor::reject(const std::string& id, const std::string& reason,
                              const Origin& origin) {
  cmd_logger()->warn("command {} rejected: {}", id.empty() ? "(no id)" : id, reason);
  Ack ack{id, now_ms(), "rejected", reason, {}, rack_power()};
  emit(ack, origin);
}

void CommandProcessor::replay(const CommandRecord& rec, const Origin& origin) {
  const json acks = json::parse(rec.acks_json, nullptr, false);
  if (!acks.is_array()) return;
  for (const json& a : acks) {
    const std::string payload = a.dump();
    out_.ack(payload);
    if (!origin.response_topic.empty())
      out_.response(origin.response_topic, origin.correlation_data, payload);
    if (origin.on_ack) {
      Ack ack;
      ack.id = a.value("id", "");
      ack.status = a.value("status", "");
      if (a.contains("reason") && a["reason"].is_string()) ack.reason = a["reason"];
      if (a.contains("rack_power_w") && a["rack_power_w"].is_number())
        ack.rack_power_w = a["rack_power_w"].get<double>();
      if (auto ts = parse_rfc3339(a.value("ts", "")); ts) ack.ts = *ts;
      for (const json& r : a.value("results", json::array())) {
        DeviceResult d{r.value("device_id", ""), r.value("status", ""), r.value("detail", ""),
                       std::nullopt};
        if (r.contains("state") && r["state"].is_string()) d.state = r["state"];
        ack.results.push_back(std::move(d));
      }
      origin.on_ack(ack);
    }
  }
}

void CommandProcessor::emit(const Ack& ack, const Origin& origin) {
  const std::string payload = to_json(ack).dump();
  out_.ack(payload);
  if (!origin.response_topic.empty())
    out_.response(origin.response_topic, origin.correlation_data, payload);
  if (origin.on_ack) origin.on_ack(ack);
}

void CommandProcessor::accept(Command cmd, Origin origin) {
  // Targets naming devices this rack does not have: a rack command is wrong; a site-wide one
  // names devices of other racks too, and only ours are kept.
  if (!cmd.targets.devices.empty()) {
    const auto views = devices_.devices();
    std::vector<std::string> known, unknown;
    for (const auto& d : cmd.targets.devices) {
      const bool here =
          std::any_of(views.begin(), views.end(), [&](const DeviceView& v) { return v.id == d; });
      (here ? known : unknown).push_back(d);
    }
    if (!unknown.empty() && !origin.site_wide) {
      std::string list;
      for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u.substr(0, 64);
      reject(cmd.id, "unknown device(s) on this rack: " + list, origin);
      return;
    }
    if (known.empty()) {
      reject(cmd.id, "no targeted device is on this rack", origin);
      return;
    }
    cmd.targets.devices = std::move(known);
  }
  Ack accepted{cmd.id, now_ms(), "accepted", std::nullopt, {}, rack_power()};
  const std::string payload = to_json(accepted).dump();
  if (store_) {
    CommandRecord rec;
    rec.id = cmd.id;
    rec.received_ms = to_unix_ms(now_ms());
    rec.source = source_json(origin);
    rec.body = cmd.body;
    rec.state = "accepted";
    rec.acks_json = "[" + payload + "]";
    auto inserted = store_->command_insert(rec);
    if (!inserted) {
      reject(cmd.id, "cannot journal the command: " + inserted.error().message, origin);
      return;
    }
    if (!*inserted) {  // cannot happen: looked up above on this thread; answer from the journal
      if (auto again = store_->command_get(cmd.id); again && *again) replay(**again, origin);
      return;
    }
  }
  cmd_logger()->info("command {} ({}) accepted from {}", cmd.id, cmd.type, origin.source);
  out_.ack(payload);
  if (!origin.response_topic.empty())
    out_.response(origin.response_topic, origin.correlation_data, payload);
  if (origin.on_ack) origin.on_ack(accepted);
  auto job = std::make_shared<Job>();
  job->cmd = std::move(cmd);
  job->origin = std::move(origin);
  running_[job->cmd.id] = job;
  asio::co_spawn(io_, run(job), asio::detached);
}

void CommandProcessor::finish(const std::shared_ptr<Job>& job, std::vector<DeviceResult> results,
                              std::optional<std::string> reason,
                              std::optional<std::string> status) {
  Ack ack{job->cmd.id,       now_ms(),           status ? *status : final_status(results),
          std::move(reason), std::move(results), rack_power()};
  if (job->internal) {
    running_.erase(job->cmd.id);
    return;
  }
  const std::string payload = to_json(ack).dump();
  if (store_) {
    if (auto r = store_->command_append_ack(job->cmd.id, ack.status, payload); !r)
      cmd_logger()->error("command {}: final ack not journaled: {}", job->cmd.id,
                          r.error().message);
  }
  cmd_logger()->info("command {} ({}) {}{}", job->cmd.id, job->cmd.type, ack.status,
                     ack.reason ? ": " + *ack.reason : "");
  if (ack.status == "failed" || ack.status == "partial") {
    json evidence{{"command_id", job->cmd.id}, {"type", job->cmd.type}, {"status", ack.status}};
    out_.event(make_event("rack", ack.status == "failed" ? "warning" : "info",
                          ack.status == "failed" ? "COMMAND_FAILED" : "COMMAND_PARTIAL",
                          "command " + job->cmd.id + " (" + job->cmd.type + ") " + ack.status,
                          std::move(evidence), "check the per-device results in the ack"));
  }
  out_.ack(payload);
  auto tell = [&](const Origin& o) {
    if (!o.response_topic.empty()) out_.response(o.response_topic, o.correlation_data, payload);
    if (o.on_ack) o.on_ack(ack);
  };
  tell(job->origin);
  for (const auto& o : job->extra) tell(o);
  running_.erase(job->cmd.id);
}

void CommandProcessor::recover() {
  if (!store_) return;
  auto pending = store_->commands_in_state("accepted");
  if (!pending) {
    cmd_logger()->error("cannot read the command journal: {}", pending.error().message);
    return;
  }
  for (auto& rec : *pending) {
    if (running_.count(rec.id)) continue;
    auto job = std::make_shared<Job>();
    job->origin = origin_from(rec.source);
    ParseLimits relaxed = options_.limits;
    relaxed.max_bytes = std::max(relaxed.max_bytes, rec.body.size());
    // Validated when it was received; re-read as of then so that time alone does not reject it.
    ParseResult parsed = parse_command(rec.body, from_unix_ms(rec.received_ms), relaxed);
    job->cmd.id = rec.id;
    if (!parsed.command) {
      finish(job, {}, "journaled command unreadable after restart: " + parsed.reason,
             std::string("failed"));
      continue;
    }
    job->cmd = std::move(*parsed.command);
    running_[job->cmd.id] = job;
    if (!repeatable(job->cmd.type)) {
      std::vector<DeviceResult> results;
      for (const auto& d : job->cmd.targets.devices)
        results.push_back({d, "failed", "interrupted by agent restart; not repeated", {}});
      finish(job, std::move(results), "interrupted by agent restart; not repeated",
             std::string("failed"));
      continue;
    }
    cmd_logger()->info("command {} ({}) was interrupted by a restart: running it again",
                       job->cmd.id, job->cmd.type);
    asio::co_spawn(io_, run(job), asio::detached);
  }
}

std::optional<double> CommandProcessor::rack_power() const {
  std::optional<double> sum;
  for (const auto& v : devices_.devices()) {
    if (!v.last || v.last->state == drivers::DeviceState::kOffline || !v.last->power_w) continue;
    sum = sum.value_or(0) + *v.last->power_w;
  }
  return sum;
}

const std::shared_ptr<AsyncMutex>& CommandProcessor::mutex_for(const std::string& device_id) {
  auto& m = mutexes_[device_id];
  if (!m) m = std::make_shared<AsyncMutex>();
  return m;
}

}  // namespace rigkeeper::agent::commands
