#include "agent/core/daemon.h"

#include <random>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "agent/core/systemd_notify.h"
#include "rigkeeper/version.h"

namespace rigkeeper::agent {

using nlohmann::json;
using std::chrono::milliseconds;

namespace {

milliseconds seconds_to_ms(double s) { return milliseconds(static_cast<int64_t>(s * 1000.0)); }

std::string client_id_for(const AgentConfig& c) {
  return c.mqtt.client_id.empty() ? "rigkeeper-" + c.site + "-" + c.rack : c.mqtt.client_id;
}

json opt_ts(const std::optional<Timestamp>& t) {
  return t ? json(format_rfc3339(*t)) : json(nullptr);
}

}  // namespace

Daemon::Daemon(AgentConfig config)
    : config_(std::move(config)),
      device_count_(config_.devices.size()),
      topics_(config_.site, config_.rack),
      signals_(io_, SIGTERM, SIGINT),
      status_timer_(io_),
      rack_timer_(io_),
      started_at_(now_ms()) {}

Daemon::~Daemon() = default;

int Daemon::run() {
  if (auto r = start(); !r) {
    spdlog::critical("cannot start: {}", r.error().message);
    return exit_code(r.error().code);
  }
  // The store is open, the control socket listens and the pollers run: ready for systemd, which
  // from now on expects the loop's own watchdog pings (a stalled loop gets restarted).
  SystemdNotifier notifier(io_);
  const auto socket = config_.control_socket.empty() ? config_.state_dir / "rigkeeperd.sock"
                                                     : config_.control_socket;
  notifier.ready(
      fmt::format("polling {} devices, control socket {}", device_count_, socket.string()));
  signals_.async_wait([this, &notifier](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: stopping", sig);
    notifier.stopping("stopping: flushing the outbox");
    shutdown();
  });
  io_.run();
  spdlog::info("stopped");
  return 0;
}

Result<void> Daemon::start() {
  spdlog::info("rigkeeperd {} ({}) site={} rack={} devices={} config={}", kVersion, kGitCommit,
               config_.site, config_.rack, device_count_, config_.source.string());
  auto store = Store::open_or_recover(config_.state_dir, StoreOptions{});
  if (!store) return tl::unexpected(store.error());
  store_ = std::move(store->store);
  if (!store->note.empty()) spdlog::warn("{}", store->note);

  MqttLinkOptions mo;
  mo.broker_uri = config_.mqtt.broker;
  mo.client_id = client_id_for(config_);
  mo.username = config_.mqtt.username;
  mo.password = config_.mqtt.password;
  mo.keepalive = std::chrono::seconds(config_.mqtt.keepalive_s);
  mo.reconnect_min = seconds_to_ms(config_.mqtt.reconnect_min_s);
  mo.reconnect_max = seconds_to_ms(config_.mqtt.reconnect_max_s);
  mo.session_expiry = std::chrono::seconds(config_.mqtt.session_expiry_s);
  mo.ca_file = config_.mqtt.ca_file;
  mo.cert_file = config_.mqtt.cert_file;
  mo.key_file = config_.mqtt.key_file;
  mo.key_password = config_.mqtt.key_password;
  mo.tls_insecure = config_.mqtt.tls_insecure;
  mo.will_topic = topics_.status;
  mo.will_payload = status_payload(false);
  link_ = std::make_unique<MqttLink>(io_, mo);

  OutboxOptions oo;
  oo.disk_max_bytes = static_cast<int64_t>(config_.store.outbox_max_mb * 1024 * 1024);
  outbox_ = std::make_unique<Outbox>(io_, *store_, *link_, oo);
  if (auto r = outbox_->start(); !r) return r;

  TelemetrySinkOptions so;
  so.telemetry_qos = config_.mqtt.telemetry_qos;
  so.history_interval = seconds_to_ms(config_.store.history_interval_s);
  so.history_retention = seconds_to_ms(config_.store.history_retention_h * 3600);
  so.history_max_bytes = static_cast<int64_t>(config_.store.history_max_mb * 1024 * 1024);
  sink_ = std::make_unique<TelemetrySink>(io_, *store_, *outbox_, topics_, so);
  sink_->start();

  link_->on_connected([this] { on_connected(); });
  link_->on_connection_lost([this](const std::string& reason) {
    // The link has already logged the loss; say what it means for the data.
    spdlog::info("storing telemetry until the broker is back ({})", reason);
    outbox_->on_connection_lost();
  });
  commands::KeyRing command_keys;
  if (!config_.command_keys.empty()) {
    auto keys = commands::KeyRing::load(config_.command_keys);
    if (!keys) return tl::unexpected(keys.error());
    command_keys = std::move(*keys);
    spdlog::info("{} trusted command key(s): unsigned commands are rejected", command_keys.size());
  }
  link_->subscribe({{topics_.cmd, 1}, {topics_.site_cmd, 1}});
  link_->on_message([this](MqttMessage msg) {
    if (!commands_ || stopping_) return;
    auto origin = mqtt_origin(msg, topics_);
    commands_->submit(std::move(msg.payload), std::move(origin));
  });
  if (auto r = link_->start(); !r) return r;

  const auto socket = config_.control_socket.empty() ? config_.state_dir / "rigkeeperd.sock"
                                                     : config_.control_socket;
  control_ = std::make_unique<ControlServer>(io_, socket, [this](const json& req) -> json {
    if (req.value("cmd", "") == "status") return control_status();
    return {{"ok", false}, {"error", {{"code", "invalid_argument"}, {"message", "unknown cmd"}}}};
  });
  control_->set_async_handler([this](const json& req, std::function<void(json)> reply) {
    return commands_ && !stopping_ && handle_control_command(*commands_, req, std::move(reply));
  });
  if (auto r = control_->start(); !r) return r;

  std::mt19937 seeder(std::random_device{}());
  for (auto& entry : config_.devices) {
    PollTiming t;
    t.interval = seconds_to_ms(entry.poll_interval_s.value_or(config_.poll_interval_s));
    t.jitter = config_.poll_jitter;
    t.timeout = seconds_to_ms(entry.timeout_s.value_or(config_.poll_timeout_s));
    auto poller =
        std::make_shared<DevicePoller>(io_, std::move(entry), t, seeder(),
                                       [this](const drivers::DeviceSnapshot& snap, bool /*ok*/) {
                                         sink_->on_snapshot(snap);
                                         if (commands_) commands_->on_snapshot(snap);
                                       });
    poller->start();
    pollers_.push_back(std::move(poller));
  }
  // The pollers own the entries now: a second copy (entries and their option maps) was
  // ~0.7 MiB of a 1000-device daemon's heap.
  config_.devices.clear();
  config_.devices.shrink_to_fit();
  if (auto r = start_commands(std::move(command_keys)); !r) return r;
  schedule_rack();
  schedule_status();
  return {};
}

Result<void> Daemon::start_commands(commands::KeyRing keys) {
  commands::ProcessorOptions po;
  po.limits.clock_skew = std::chrono::seconds(static_cast<int64_t>(config_.commands.clock_skew_s));
  po.limits.max_bytes = static_cast<std::size_t>(config_.commands.max_payload_kib * 1024);
  po.device_timeout = seconds_to_ms(config_.commands.device_timeout_s);
  po.default_ramp_s = config_.commands.ramp_s;
  // Commands interrupted by a restart are finished once the devices have been polled.
  po.recovery_delay = seconds_to_ms(config_.poll_interval_s + config_.poll_timeout_s);
  directory_ = std::make_unique<PollerDirectory>(pollers_);
  command_out_ = std::make_unique<OutboxCommandOutput>(*outbox_, *link_, topics_);
  commands_ = std::make_unique<commands::CommandProcessor>(io_, store_.get(), *directory_,
                                                           *command_out_, std::move(keys), po);
  return commands_->start();
}

void Daemon::on_connected() {
  publish_status();
  outbox_->on_connected();
}

std::string Daemon::status_payload(bool online) const {
  json j{{"state", online ? "online" : "offline"},
         {"version", kVersion},
         {"started_at", format_rfc3339(started_at_)},
         {"devices", device_count_}};
  if (outbox_) {
    const auto c = outbox_->counters();
    j["outbox"] = {{"rows", c.disk_rows + c.pending_rows},
                   {"bytes", c.disk_bytes},
                   {"dropped", c.dropped_total}};
  }
  return j.dump();
}

void Daemon::publish_status() {
  if (!link_->connected()) return;
  last_reported_drops_ = outbox_->counters().dropped_total;
  link_->publish(topics_.status, status_payload(true), 1, true, [](bool) {});
}

void Daemon::schedule_status() {
  status_timer_.expires_after(seconds_to_ms(config_.status_interval_s));
  status_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    publish_status();
    schedule_status();
  });
}

void Daemon::schedule_rack() {
  rack_timer_.expires_after(seconds_to_ms(config_.poll_interval_s));
  rack_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    publish_rack();
    // Drops are reported as soon as they happen, not only at the next status interval.
    if (outbox_->counters().dropped_total != last_reported_drops_) publish_status();
    schedule_rack();
  });
}

void Daemon::publish_rack() {
  std::vector<const drivers::DeviceSnapshot*> latest;
  latest.reserve(pollers_.size());
  for (const auto& p : pollers_) latest.push_back(p->status().last ? &*p->status().last : nullptr);
  const auto summary = summarize_rack(latest, now_ms(), std::nullopt);
  outbox_->enqueue(MessageClass::kRack, topics_.rack, to_json(summary).dump(), 0);
}

json Daemon::control_status() const {
  json devices = json::array();
  std::vector<const drivers::DeviceSnapshot*> latest;
  for (const auto& p : pollers_) {
    const auto& s = p->status();
    latest.push_back(s.last ? &*s.last : nullptr);
    auto num = [&](auto field) -> json {
      if (!s.last) return nullptr;
      const auto& v = (*s.last).*field;
      return v ? json(*v) : json(nullptr);
    };
    devices.push_back({{"id", s.id},
                       {"driver", s.driver},
                       {"host", s.host},
                       {"port", s.port},
                       {"state", s.last ? std::string(to_string(s.last->state)) : "unknown"},
                       {"model", s.last ? json(s.last->model) : json(nullptr)},
                       {"last_poll_ts", opt_ts(s.last_poll)},
                       {"last_ok_ts", opt_ts(s.last_ok)},
                       {"polls", s.polls},
                       {"failures", s.failures},
                       {"consecutive_failures", s.consecutive_failures},
                       {"quarantined_until", opt_ts(s.quarantined_until)},
                       {"last_error", s.last_error ? json(s.last_error->message) : json(nullptr)},
                       {"hashrate_ths", num(&drivers::DeviceSnapshot::hashrate_ths)},
                       {"power_w", num(&drivers::DeviceSnapshot::power_w)},
                       {"temp_max_c", num(&drivers::DeviceSnapshot::temp_max_c)}});
  }
  const auto c = outbox_->counters();
  json oldest = nullptr;
  if (auto st = store_->outbox_stats(); st && st->oldest_ms)
    oldest = format_rfc3339(from_unix_ms(*st->oldest_ms));
  return {{"ok", true},
          {"site", config_.site},
          {"rack", config_.rack},
          {"version", kVersion},
          {"started_at", format_rfc3339(started_at_)},
          {"mqtt", {{"connected", link_->connected()}, {"broker", config_.mqtt.broker}}},
          {"outbox",
           {{"rows", c.disk_rows + c.pending_rows},
            {"bytes", c.disk_bytes},
            {"dropped_total", c.dropped_total},
            {"oldest_ts", oldest}}},
          {"devices", std::move(devices)},
          {"rack_summary", to_json(summarize_rack(latest, now_ms(), std::nullopt))}};
}

void Daemon::shutdown() {
  if (stopping_) return;
  stopping_ = true;
  for (auto& p : pollers_) p->stop();
  if (commands_) commands_->stop();
  status_timer_.cancel();
  rack_timer_.cancel();
  if (control_) control_->stop();
  sink_->stop();
  outbox_->stop();  // everything unconfirmed is now on disk, durably
  link_->stop(std::chrono::seconds(3), topics_.status, status_payload(false));
  io_.stop();
}

}  // namespace rigkeeper::agent
