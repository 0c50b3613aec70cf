#include "agent/config/rules.h"

#include <map>
#include <string>

#include "agent/config/file_io.h"
#include "agent/config/value_check.h"

namespace rigkeeper::agent::config {
namespace {

// Unix socket paths must fit sockaddr_un::sun_path (108 bytes with the terminating NUL).
constexpr std::size_t kMaxSocketPath = 107;

bool is_set(const RuleInput& in, std::string_view path) {
  return in.where.settings.find(path) != in.where.settings.end();
}

// The key a rule's problem is reported on: the first of `paths` set somewhere, else the first.
std::string_view blame(const RuleInput& in, std::initializer_list<std::string_view> paths) {
  for (auto p : paths)
    if (is_set(in, p)) return p;
  return *paths.begin();
}

void poll_timeout(const RuleInput& in, Diagnostics& out) {
  const auto& c = in.config;
  if (c.poll_timeout_s < c.poll_interval_s) return;
  const auto key = blame(in, {"agent.poll_timeout_s", "agent.poll_interval_s"});
  out.add(in.where.where(key), std::string(key),
          "agent.poll_timeout_s (" + format_number(c.poll_timeout_s) + ", " +
              in.where.origin_of("agent.poll_timeout_s") +
              ") must be less than agent.poll_interval_s (" + format_number(c.poll_interval_s) +
              ", " + in.where.origin_of("agent.poll_interval_s") + ")");
}

void device_timeout(const RuleInput& in, Diagnostics& out) {
  const auto& c = in.config;
  for (std::size_t i = 0; i < c.devices.size(); ++i) {
    const auto& d = c.devices[i];
    const auto& src = in.where.devices[i];
    if (!d.timeout_s && !d.poll_interval_s) continue;  // the agent-wide rule covers it
    const double timeout = d.timeout_s.value_or(c.poll_timeout_s);
    const double interval = d.poll_interval_s.value_or(c.poll_interval_s);
    if (timeout < interval) continue;
    const std::string key = d.timeout_s ? "timeout_s" : "poll_interval_s";
    auto it = src.keys.find(key);
    out.add(it == src.keys.end() ? src.table : it->second, src.label + "." + key,
            "the device's timeout (" + format_number(timeout) +
                " s) must be less than its poll interval (" + format_number(interval) + " s)");
  }
}

void reconnect_delays(const RuleInput& in, Diagnostics& out) {
  const auto& m = in.config.mqtt;
  if (m.reconnect_min_s <= m.reconnect_max_s) return;
  const auto key = blame(in, {"mqtt.reconnect_min_s", "mqtt.reconnect_max_s"});
  out.add(in.where.where(key), std::string(key),
          "mqtt.reconnect_min_s (" + format_number(m.reconnect_min_s) +
              ") must not exceed mqtt.reconnect_max_s (" + format_number(m.reconnect_max_s) + ")");
}

void unique_device_ids(const RuleInput& in, Diagnostics& out) {
  std::map<std::string, std::size_t> first;
  const auto& devices = in.config.devices;
  for (std::size_t i = 0; i < devices.size(); ++i) {
    const auto& src = in.where.devices[i];
    auto id_at = src.keys.find("id");
    if (id_at == src.keys.end()) continue;  // missing or invalid: reported already
    auto [it, fresh] = first.emplace(devices[i].id, i);
    if (fresh) continue;
    const auto& earlier = in.where.devices[it->second];
    out.add(id_at->second, src.label + ".id",
            "duplicate device id '" + devices[i].id + "': already used by " + earlier.label +
                " at " + earlier.keys.at("id").str());
  }
}

void tls_needs_tls_broker(const RuleInput& in, Diagnostics& out) {
  const auto& m = in.config.mqtt;
  if (is_tls_broker(m.broker)) return;
  const std::pair<std::string_view, bool> tls_keys[] = {
      {"mqtt.ca_file", !m.ca_file.empty()},   {"mqtt.cert_file", !m.cert_file.empty()},
      {"mqtt.key_file", !m.key_file.empty()}, {"mqtt.key_password", !m.key_password.empty()},
      {"mqtt.tls_insecure", m.tls_insecure},
  };
  for (const auto& [key, set] : tls_keys) {
    if (!set) continue;
    out.add(in.where.where(key), std::string(key),
            "is a TLS setting but the broker URL '" + m.broker +
                "' is not TLS: use ssl:// or mqtts://, or remove the TLS settings (the "
                "connection would not be encrypted)");
  }
}

void tls_files_exist(const RuleInput& in, Diagnostics& out) {
  const auto& m = in.config.mqtt;
  struct TlsFile {
    std::string_view key;
    const std::filesystem::path& file;
  };
  const TlsFile files[] = {
      {"mqtt.ca_file", m.ca_file}, {"mqtt.cert_file", m.cert_file}, {"mqtt.key_file", m.key_file}};
  for (const auto& [key, file] : files) {
    if (file.empty()) continue;
    if (auto ok = check_readable_file(file); !ok)
      out.add(in.where.where(key), std::string(key), "'" + file.string() + "' " + ok.error());
  }
}

void credentials(const RuleInput& in, Diagnostics& out) {
  const auto& m = in.config.mqtt;
  const bool has_password = !m.password.empty() || !m.password_file.empty();
  if (!m.password.empty() && !m.password_file.empty())
    out.add(in.where.where("mqtt.password_file"), "mqtt.password_file",
            "password and password_file are both set; keep one");
  if (has_password && m.username.empty()) {
    const auto key = blame(in, {"mqtt.password", "mqtt.password_file"});
    out.add(in.where.where(key), std::string(key),
            "a password needs mqtt.username (MQTT sends no password without a user name)");
  }
}

void control_socket_fits(const RuleInput& in, Diagnostics& out) {
  const std::string path = in.config.control_socket.string();
  if (path.size() <= kMaxSocketPath) return;
  const auto key = blame(in, {"agent.control_socket", "agent.state_dir"});
  out.add(in.where.where(key), std::string(key),
          "the control socket path '" + path + "' is " + std::to_string(path.size()) +
              " bytes; a Unix socket path holds at most " + std::to_string(kMaxSocketPath));
}

void command_keys_folder(const RuleInput& in, Diagnostics& out) {
  const auto& dir = in.config.command_keys;
  if (dir.empty()) return;
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return;
  out.add(in.where.where("agent.command_keys"), "agent.command_keys",
          "'" + dir.string() + "' is not a folder");
}

}  // namespace

const std::vector<Rule>& cross_key_rules() {
  static const std::vector<Rule> kRules = {
      {"`agent.poll_timeout_s` must be less than `agent.poll_interval_s`. A timeout that is not "
       "set anywhere never causes this error: it becomes 0.8 x the interval when its default "
       "would not fit (so `--poll-interval 2` alone works).",
       &poll_timeout},
      {"A device that sets `timeout_s` or `poll_interval_s` must keep its timeout below its poll "
       "interval (each falls back to the agent's value; an inherited timeout that would not fit "
       "the device's own interval becomes 0.8 x that interval).",
       &device_timeout},
      {"`mqtt.reconnect_min_s` must not exceed `mqtt.reconnect_max_s`.", &reconnect_delays},
      {"Device ids are unique across the main file and every drop-in; a repeated id is reported "
       "with the place of its first use.",
       &unique_device_ids},
      {"TLS settings (`ca_file`, `cert_file`, `key_file`, `key_password`, `tls_insecure = "
       "true`) with a plain `tcp://` or `mqtt://` broker are an **error**, not a warning: the "
       "operator asked for encryption and would silently not get it.",
       &tls_needs_tls_broker},
      {"`ca_file`, `cert_file` and `key_file`, when set, must be readable files.",
       &tls_files_exist},
      {"`password` and `password_file` are exclusive, and either needs `username`. The first "
       "line of `password_file` must be the (non-empty) password.",
       &credentials},
      {"The control socket path (after defaulting to `<state_dir>/rigkeeperd.sock`) must fit a "
       "Unix socket: at most 107 bytes.",
       &control_socket_fits},
      {"`agent.command_keys`, when set, must be an existing folder.", &command_keys_folder},
  };
  return kRules;
}

}  // namespace rigkeeper::agent::config
