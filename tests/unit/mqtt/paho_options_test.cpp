#include "agent/mqtt/paho_options.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/temp_dir.h"

namespace rigkeeper::agent {
namespace {

MqttLinkOptions base() {
  MqttLinkOptions o;
  o.broker_uri = "tcp://127.0.0.1:1883";
  o.client_id = "rk-site1-rack1";
  return o;
}

TEST(PahoOptions, ValidOptionsPass) {
  auto uri = check_link_options(base());
  ASSERT_TRUE(uri) << uri.error().message;
  EXPECT_EQ(uri->paho_uri, "tcp://127.0.0.1:1883");
}

TEST(PahoOptions, RejectsBadClientIdWillAndInflight) {
  auto o = base();
  o.client_id = "";
  EXPECT_FALSE(check_link_options(o));
  o.client_id = "has space";
  EXPECT_FALSE(check_link_options(o));
  o.client_id = std::string(129, 'a');
  EXPECT_FALSE(check_link_options(o));

  o = base();
  o.will_topic = "rk/+/status";
  auto r = check_link_options(o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kConfig);
  o.will_topic = "rk/status";
  o.will_qos = 3;
  EXPECT_FALSE(check_link_options(o));

  o = base();
  o.max_inflight = 0;
  EXPECT_FALSE(check_link_options(o));
}

TEST(PahoOptions, TlsFilesAreCheckedOnlyForTlsUrls) {
  rigkeeper::test::TempDir dir;
  const auto ca = dir / "ca.pem";
  std::ofstream(ca) << "-----BEGIN CERTIFICATE-----\n";

  auto o = base();
  o.ca_file = (dir / "missing.pem").string();
  EXPECT_TRUE(check_link_options(o)) << "tcp:// ignores TLS settings";
  EXPECT_TRUE(has_tls_settings(o));

  o.broker_uri = "ssl://127.0.0.1:8883";
  auto r = check_link_options(o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kConfig);
  EXPECT_NE(r.error().message.find("CA file"), std::string::npos);
  EXPECT_NE(r.error().message.find("missing.pem"), std::string::npos);

  o.ca_file = ca.string();
  EXPECT_TRUE(check_link_options(o));
  o.key_file = ca.string();  // a key without a certificate
  EXPECT_FALSE(check_link_options(o));
  o.cert_file = (dir / "nope.crt").string();
  r = check_link_options(o);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("nope.crt"), std::string::npos);
}

TEST(PahoOptions, ConnectOptionsAskForAV5SessionAndNoAutoReconnect) {
  auto o = base();
  o.keepalive = std::chrono::seconds(17);
  o.session_expiry = std::chrono::seconds(900);
  o.will_topic = "rk/status";
  o.will_payload = "{\"state\":\"offline\"}";
  o.username = "rack";
  o.password = "pw";
  auto uri = check_link_options(o);
  ASSERT_TRUE(uri);
  mqtt::connect_options conn;
  fill_connect_options(o, *uri, conn);
  EXPECT_EQ(conn.get_mqtt_version(), MQTTVERSION_5);
  EXPECT_FALSE(conn.is_clean_start());
  EXPECT_FALSE(conn.get_automatic_reconnect());
  EXPECT_EQ(conn.get_keep_alive_interval(), std::chrono::seconds(17));
  EXPECT_EQ(conn.get_user_name(), "rack");
  const auto& props = conn.get_properties();
  ASSERT_TRUE(props.contains(mqtt::property::SESSION_EXPIRY_INTERVAL));
  EXPECT_EQ(mqtt::get<int32_t>(props, mqtt::property::SESSION_EXPIRY_INTERVAL), 900);
  ASSERT_TRUE(conn.get_will_message());
  EXPECT_EQ(conn.get_will_message()->get_topic(), "rk/status");
  EXPECT_TRUE(conn.get_will_message()->is_retained());
  EXPECT_EQ(conn.get_will_message()->get_qos(), 1);
}

}  // namespace
}  // namespace rigkeeper::agent
