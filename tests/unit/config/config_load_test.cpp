// Loading valid configurations: every key, defaults, password files, overrides, the packaged
// default config.
#include <gtest/gtest.h>

#include "agent/config/config.h"
#include "agent/config/schema.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/config/config_test_util.h"

namespace rigkeeper::agent {
namespace {

using test::error_of;
using test::write_file;

TEST(ConfigLoad, EveryKeyLoadsWithItsValue) {
  rigkeeper::test::TempDir dir;
  write_file(dir / "tls/ca.pem", "ca");
  write_file(dir / "tls/client.pem", "cert");
  write_file(dir / "tls/client.key", "key");
  std::filesystem::create_directories(dir / "keys");
  const std::string text = R"(
[agent]
site = "west-1"
rack = "r07"
state_dir = "/srv/rk"
control_socket = "/run/rk.sock"
command_keys = "keys"
poll_interval_s = 15
poll_jitter = 0.25
poll_timeout_s = 4.5
status_interval_s = 30
log_level = "debug"

[mqtt]
broker = "mqtts://broker.example:8883"
client_id = "rk-west-1-r07"
username = "rack07"
password = "pw"
keepalive_s = 45
telemetry_qos = 1
reconnect_min_s = 0.5
reconnect_max_s = 120
session_expiry_s = 7200
ca_file = "tls/ca.pem"
cert_file = "tls/client.pem"
key_file = "tls/client.key"
key_password = "kp"
tls_insecure = true

[store]
history_interval_s = 30
history_retention_h = 72
history_max_mb = 128
outbox_max_mb = 256

[[devices]]
id = "s19-r07-01"
driver = "auto"
host = "10.7.0.1"
port = 4029
poll_interval_s = 20
timeout_s = 2.5

[[devices]]
id = "s19-r07-02"
host = "miner-2.lan"
)";
  write_file(dir / "rigkeeper.toml", text);
  auto loaded = load_config(dir / "rigkeeper.toml");
  ASSERT_TRUE(loaded) << loaded.error().message;
  const AgentConfig& c = *loaded;
  EXPECT_EQ(c.source, dir / "rigkeeper.toml");
  EXPECT_EQ(c.site, "west-1");
  EXPECT_EQ(c.rack, "r07");
  EXPECT_EQ(c.state_dir, "/srv/rk");
  EXPECT_EQ(c.control_socket, "/run/rk.sock");
  EXPECT_EQ(c.command_keys, dir.path() / "keys");  // relative to the file's folder
  EXPECT_DOUBLE_EQ(c.poll_interval_s, 15);
  EXPECT_DOUBLE_EQ(c.poll_jitter, 0.25);
  EXPECT_DOUBLE_EQ(c.poll_timeout_s, 4.5);
  EXPECT_DOUBLE_EQ(c.status_interval_s, 30);
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.mqtt.broker, "mqtts://broker.example:8883");
  EXPECT_EQ(c.mqtt.client_id, "rk-west-1-r07");
  EXPECT_EQ(c.mqtt.username, "rack07");
  EXPECT_EQ(c.mqtt.password, "pw");
  EXPECT_EQ(c.mqtt.keepalive_s, 45);
  EXPECT_EQ(c.mqtt.telemetry_qos, 1);
  EXPECT_DOUBLE_EQ(c.mqtt.reconnect_min_s, 0.5);
  EXPECT_DOUBLE_EQ(c.mqtt.reconnect_max_s, 120);
  EXPECT_EQ(c.mqtt.session_expiry_s, 7200);
  EXPECT_EQ(c.mqtt.ca_file, dir.path() / "tls/ca.pem");
  EXPECT_EQ(c.mqtt.cert_file, dir.path() / "tls/client.pem");
  EXPECT_EQ(c.mqtt.key_file, dir.path() / "tls/client.key");
  EXPECT_EQ(c.mqtt.key_password, "kp");
  EXPECT_TRUE(c.mqtt.tls_insecure);
  EXPECT_DOUBLE_EQ(c.store.history_interval_s, 30);
  EXPECT_DOUBLE_EQ(c.store.history_retention_h, 72);
  EXPECT_DOUBLE_EQ(c.store.history_max_mb, 128);
  EXPECT_DOUBLE_EQ(c.store.outbox_max_mb, 256);
  ASSERT_EQ(c.devices.size(), 2u);
  EXPECT_EQ(c.devices[0].id, "s19-r07-01");
  EXPECT_EQ(c.devices[0].driver, "auto");
  EXPECT_EQ(c.devices[0].host, "10.7.0.1");
  EXPECT_EQ(c.devices[0].port, std::optional<uint16_t>(4029));
  EXPECT_EQ(c.devices[0].poll_interval_s, std::optional<double>(20));
  EXPECT_EQ(c.devices[0].timeout_s, std::optional<double>(2.5));
  EXPECT_TRUE(c.devices[0].options.values().empty());
  EXPECT_EQ(c.devices[1].id, "s19-r07-02");
  EXPECT_EQ(c.devices[1].driver, "auto");
  EXPECT_EQ(c.devices[1].host, "miner-2.lan");
  EXPECT_FALSE(c.devices[1].port);
  EXPECT_FALSE(c.devices[1].poll_interval_s);
  EXPECT_FALSE(c.devices[1].timeout_s);
}

TEST(ConfigLoad, EmptyFileGivesTheDefaults) {
  auto c = parse_config("", "empty.toml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->site, "site");
  EXPECT_EQ(c->rack, "rack");
  EXPECT_EQ(c->state_dir, "/var/lib/rigkeeper");
  EXPECT_EQ(c->control_socket, "/var/lib/rigkeeper/rigkeeperd.sock");
  EXPECT_TRUE(c->command_keys.empty());
  EXPECT_DOUBLE_EQ(c->poll_interval_s, 10);
  EXPECT_DOUBLE_EQ(c->poll_jitter, 0.1);
  EXPECT_DOUBLE_EQ(c->poll_timeout_s, 5);
  EXPECT_DOUBLE_EQ(c->status_interval_s, 60);
  EXPECT_EQ(c->log_level, "info");
  EXPECT_EQ(c->mqtt.broker, "tcp://127.0.0.1:1883");
  EXPECT_EQ(c->mqtt.keepalive_s, 30);
  EXPECT_EQ(c->mqtt.telemetry_qos, 0);
  EXPECT_EQ(c->mqtt.session_expiry_s, 3600);
  EXPECT_FALSE(c->mqtt.tls_insecure);
  EXPECT_TRUE(c->mqtt.password.empty());
  EXPECT_DOUBLE_EQ(c->store.outbox_max_mb, 64);
  EXPECT_TRUE(c->devices.empty());
  EXPECT_EQ(c->source, "empty.toml");
}

// The schema's declared defaults are what the loader applies; the in-class initializers of
// config.h serve code that builds a config by hand. They must not drift apart.
TEST(ConfigLoad, DeclaredDefaultsMatchTheHeader) {
  const AgentConfig header;
  for (const auto& k : config::setting_keys()) {
    ASSERT_TRUE(k.default_value) << k.path() << " has no declared default";
    EXPECT_EQ(k.field.read(header), k.default_value) << k.path();
  }
  const DeviceEntry device;
  for (const auto& k : config::device_keys()) {
    if (k.required) continue;
    EXPECT_EQ(k.field.read(device), k.default_value) << "devices." << k.name;
  }
}

TEST(ConfigLoad, PasswordFileGivesItsFirstLine) {
  rigkeeper::test::TempDir dir;
  write_file(dir / "mqtt.pass", "s3cr3t\r\nignored second line\n");
  write_file(dir / "rigkeeper.toml", "[mqtt]\nusername = \"u\"\npassword_file = \"mqtt.pass\"\n");
  auto c = load_config(dir / "rigkeeper.toml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->mqtt.password, "s3cr3t");
  EXPECT_EQ(c->mqtt.password_file, dir.path() / "mqtt.pass");
}

TEST(ConfigLoad, OverridesWinOverTheFile) {
  rigkeeper::test::TempDir dir;
  std::filesystem::create_directories(dir / "keys");
  ConfigOverrides o;
  o.broker = "ssl://central:8883";
  o.site = "east";
  o.rack = "r2";
  o.state_dir = dir / "state";
  o.poll_interval_s = 30;
  o.command_keys = dir / "keys";
  auto c = parse_config(
      "[agent]\nsite = \"west\"\nrack = \"r1\"\npoll_interval_s = 12\n"
      "[mqtt]\nbroker = \"tcp://local:1883\"\n",
      "t.toml", o);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->mqtt.broker, "ssl://central:8883");
  EXPECT_EQ(c->site, "east");
  EXPECT_EQ(c->rack, "r2");
  EXPECT_EQ(c->state_dir, dir / "state");
  EXPECT_EQ(c->control_socket, dir / "state" / "rigkeeperd.sock");
  EXPECT_DOUBLE_EQ(c->poll_interval_s, 30);
  EXPECT_EQ(c->command_keys, dir / "keys");
}

TEST(ConfigLoad, OverridesAreValidatedToo) {
  ConfigOverrides o;
  o.site = "Bad Site";
  o.poll_interval_s = 2;  // the file's timeout (5, the default) is then too long
  o.broker = "http://x";
  const std::string msg = error_of("[agent]\npoll_timeout_s = 5\n", {}, o);
  EXPECT_NE(msg.find("command line (--site): agent.site: 'Bad Site' is not a valid name"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("command line (--broker): mqtt.broker:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("t.toml:2:1: agent.poll_timeout_s: agent.poll_timeout_s (5, set at "
                     "t.toml:2:1) must be less than agent.poll_interval_s (2, set by command "
                     "line (--poll-interval))"),
            std::string::npos)
      << msg;
  ConfigOverrides keys;
  keys.command_keys = "/nonexistent/keys";
  EXPECT_NE(error_of("", {}, keys).find("agent.command_keys: '/nonexistent/keys' is not a folder"),
            std::string::npos);
}

// A timeout nobody set yields to a short interval instead of failing the load.
TEST(ConfigLoad, UnsetTimeoutsYieldToShortIntervals) {
  ConfigOverrides o;
  o.poll_interval_s = 2;
  auto c = parse_config(
      "[[devices]]\nid = \"a\"\nhost = \"h\"\npoll_interval_s = 1\n"
      "[[devices]]\nid = \"b\"\nhost = \"h\"\n"
      "[[devices]]\nid = \"c\"\nhost = \"h\"\npoll_interval_s = 30\n",
      "t.toml", o);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_DOUBLE_EQ(c->poll_timeout_s, 1.6);
  ASSERT_EQ(c->devices.size(), 3u);
  ASSERT_TRUE(c->devices[0].timeout_s);
  EXPECT_DOUBLE_EQ(*c->devices[0].timeout_s, 0.8);
  EXPECT_FALSE(c->devices[1].timeout_s);  // the agent's 1.6 s fits its 2 s interval
  EXPECT_FALSE(c->devices[2].timeout_s);
  // With a long interval the declared default stays.
  auto plain = parse_config("[agent]\npoll_interval_s = 60\n", "t.toml");
  ASSERT_TRUE(plain);
  EXPECT_DOUBLE_EQ(plain->poll_timeout_s, 5);
}

TEST(ConfigLoad, PackagedDefaultConfigIsValid) {
  auto c = load_config(std::filesystem::path(RK_SOURCE_DIR) / "packaging/rigkeeper.toml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->site, "site");
  EXPECT_TRUE(c->devices.empty());
}

// Every commented-out value in the shipped example, once uncommented, must load: the
// defaults it shows and its example device are valid.
TEST(ConfigLoad, ExampleWithEveryValueUncommentedIsValid) {
  std::string uncommented;
  const std::string example = config_example_toml();
  std::size_t pos = 0;
  while (pos < example.size()) {
    std::size_t end = example.find('\n', pos);
    if (end == std::string::npos) end = example.size();
    std::string line = example.substr(pos, end - pos);
    const bool assignment = line.size() > 1 && line[0] == '#' && line[1] != ' ' &&
                            (line.find(" = ") != std::string::npos || line == "#[[devices]]");
    uncommented += (assignment ? line.substr(1) : line) + "\n";
    pos = end + 1;
  }
  ASSERT_NE(uncommented.find("\n[[devices]]\n"), std::string::npos) << uncommented;
  auto c = parse_config(uncommented, "example.toml");
  ASSERT_TRUE(c) << c.error().message << "\n" << uncommented;
  ASSERT_EQ(c->devices.size(), 1u);
  EXPECT_EQ(c->devices[0].id, "s19-r01-01");
}

}  // namespace
}  // namespace rigkeeper::agent
