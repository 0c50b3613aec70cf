#include "agent/mqtt/paho_options.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <mqtt/properties.h>
#include <mqtt/ssl_options.h>
#include <mqtt/will_options.h>

namespace rigkeeper::agent {

namespace {

constexpr std::size_t kMaxClientIdBytes = 128;
constexpr std::chrono::seconds kConnectTimeout{15};

/// The file is a readable regular file; otherwise an error naming it.
Result<void> check_readable(const char* what, const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return fail(Errc::kConfig, std::string("mqtt: TLS ") + what + " '" + path +
                                   "' cannot be read: it is a directory");
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return fail(Errc::kConfig, std::string("mqtt: TLS ") + what + " '" + path +
                                   "' cannot be read: " + std::strerror(errno));
  }
  std::fclose(f);
  return {};
}

Result<void> check_tls_files(const MqttLinkOptions& o) {
  if (!o.key_file.empty() && o.cert_file.empty()) {
    return fail(Errc::kConfig, "mqtt: a TLS key file is set but no certificate file");
  }
  const std::pair<const char*, const std::string*> files[] = {
      {"CA file", &o.ca_file}, {"certificate file", &o.cert_file}, {"key file", &o.key_file}};
  for (const auto& [what, path] : files) {
    if (path->empty()) continue;
    if (auto ok = check_readable(what, *path); !ok) return ok;
  }
  return {};
}

Result<void> check_will(const MqttLinkOptions& o) {
  if (o.will_topic.empty()) return {};
  if (o.will_topic.find_first_of("+#") != std::string::npos) {
    return fail(Errc::kConfig, "mqtt: Last Will topic '" + o.will_topic + "' has a wildcard");
  }
  if (o.will_qos < 0 || o.will_qos > 2) {
    return fail(Errc::kConfig, "mqtt: Last Will QoS must be 0, 1 or 2");
  }
  return {};
}

}  // namespace

bool has_tls_settings(const MqttLinkOptions& o) {
  return !o.ca_file.empty() || !o.cert_file.empty() || !o.key_file.empty() ||
         !o.key_password.empty() || o.tls_insecure;
}

Result<BrokerUri> check_link_options(const MqttLinkOptions& o) {
  auto uri = parse_broker_uri(o.broker_uri);
  if (!uri) return uri;
  if (o.client_id.empty()) return fail(Errc::kConfig, "mqtt: the client id is empty");
  if (o.client_id.size() > kMaxClientIdBytes) {
    return fail(Errc::kConfig, "mqtt: the client id is longer than 128 bytes");
  }
  for (unsigned char c : o.client_id) {
    if (c < 0x21 || c == 0x7f) {
      return fail(Errc::kConfig, "mqtt: the client id has a space or control character");
    }
  }
  if (o.max_inflight == 0) return fail(Errc::kConfig, "mqtt: max_inflight must be at least 1");
  if (auto ok = check_will(o); !ok) return tl::unexpected(ok.error());
  if (uri->tls) {
    if (auto ok = check_tls_files(o); !ok) return tl::unexpected(ok.error());
  }
  return uri;
}

mqtt::create_options make_create_options() {
  mqtt::create_options create(MQTTVERSION_5);
  create.set_send_while_disconnected(false);
  return create;
}

void fill_connect_options(const MqttLinkOptions& o, const BrokerUri& uri,
                          mqtt::connect_options& conn) {
  conn.set_mqtt_version(MQTTVERSION_5);
  // Paho C refuses a v5 connect with the v3 clean-session flag set; v5 uses clean start.
  conn.set_clean_session(false);
  conn.set_clean_start(false);
  conn.set_keep_alive_interval(o.keepalive);
  conn.set_connect_timeout(kConnectTimeout);
  conn.set_automatic_reconnect(false);
  conn.set_max_inflight(static_cast<int>(std::min<std::size_t>(o.max_inflight, 65535)));

  const auto expiry = std::clamp<long long>(o.session_expiry.count(), 0, 0xFFFFFFFFLL);
  mqtt::properties props;
  props.add(mqtt::property(mqtt::property::SESSION_EXPIRY_INTERVAL,
                           static_cast<int32_t>(static_cast<uint32_t>(expiry))));
  conn.set_properties(props);  // points the C struct at conn's own copy

  if (!o.username.empty()) conn.set_user_name(o.username);
  if (!o.password.empty()) conn.set_password(o.password);

  if (!o.will_topic.empty()) {
    conn.set_will(mqtt::will_options(o.will_topic, o.will_payload, o.will_qos, o.will_retain));
  }

  if (uri.tls) {
    mqtt::ssl_options ssl;
    if (!o.ca_file.empty()) ssl.set_trust_store(o.ca_file);
    if (!o.cert_file.empty()) ssl.set_key_store(o.cert_file);
    if (!o.key_file.empty()) ssl.set_private_key(o.key_file);
    if (!o.key_password.empty()) ssl.set_private_key_password(o.key_password);
    ssl.set_enable_server_cert_auth(!o.tls_insecure);
    ssl.set_verify(!o.tls_insecure);  // host name check against the certificate
    conn.set_ssl(ssl);
  }
}

}  // namespace rigkeeper::agent
