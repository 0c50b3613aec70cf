// Each kind of configuration problem: its message, its key and its line; several at once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/config/config.h"
#include "drivers/api/registry.h"
#include "tests/support/fixtures.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/config/config_test_util.h"

namespace rigkeeper::agent {
namespace {

using test::error_of;
using ::testing::HasSubstr;

TEST(ConfigErrors, SyntaxErrorNamesFileAndLine) {
  const std::string msg = error_of("[agent]\nsite = \"a\"\nrack = = \"b\"\n");
  EXPECT_THAT(msg, HasSubstr("t.toml:3:"));
  EXPECT_THAT(msg, HasSubstr("syntax error: invalid"));
  EXPECT_EQ(test::line_count(msg), 1u) << msg;
}

TEST(ConfigErrors, UnknownKeySuggestsTheClosestKey) {
  EXPECT_THAT(error_of("[agent]\nsite = \"a\"\npoll_intervl_s = 5\n"),
              HasSubstr("t.toml:3:1: agent.poll_intervl_s: unknown key; did you mean "
                        "'poll_interval_s'?"));
  EXPECT_THAT(error_of("[mqqt]\nbroker = \"tcp://h\"\n"),
              HasSubstr("t.toml:1:2: mqqt: unknown key; did you mean 'mqtt'?"));
  // A key of another table is pointed to by its full path.
  EXPECT_THAT(error_of("[mqtt]\npoll_interval_s = 5\n"),
              HasSubstr("mqtt.poll_interval_s: unknown key; did you mean "
                        "'agent.poll_interval_s'?"));
  // Nothing close: no suggestion.
  const std::string msg = error_of("[store]\nzzzzzzzzzzzz = 1\n");
  EXPECT_THAT(msg, HasSubstr("store.zzzzzzzzzzzz: unknown key"));
  EXPECT_EQ(msg.find("did you mean"), std::string::npos) << msg;
}

TEST(ConfigErrors, WrongTypes) {
  EXPECT_THAT(error_of("[agent]\n\npoll_interval_s = \"ten\"\n"),
              HasSubstr("t.toml:3:1: agent.poll_interval_s: expected a number, got a string"));
  EXPECT_THAT(error_of("[mqtt]\nkeepalive_s = 30.5\n"),
              HasSubstr("t.toml:2:1: mqtt.keepalive_s: expected an integer, got a float"));
  EXPECT_THAT(error_of("[mqtt]\ntls_insecure = \"yes\"\n"),
              HasSubstr("mqtt.tls_insecure: expected a boolean, got a string"));
  EXPECT_THAT(error_of("[agent]\nsite = [\"a\"]\n"),
              HasSubstr("agent.site: expected a string, got an array"));
  EXPECT_THAT(error_of("agent = 3\n"), HasSubstr("t.toml:1:1: agent: expected a table"));
  EXPECT_THAT(error_of("[devices]\nid = \"a\"\n"),
              HasSubstr("devices: expected an array of tables ([[devices]]), got a table"));
}

TEST(ConfigErrors, OutOfRangeValues) {
  EXPECT_THAT(error_of("[agent]\npoll_jitter = 0.9\n"),
              HasSubstr("t.toml:2:1: agent.poll_jitter: 0.9 is out of range: must be between 0 "
                        "and 0.5"));
  EXPECT_THAT(error_of("[mqtt]\ntelemetry_qos = 2\n"),
              HasSubstr("mqtt.telemetry_qos: 2 is out of range: must be between 0 and 1"));
  EXPECT_THAT(error_of("[agent]\npoll_interval_s = nan\n"),
              HasSubstr("agent.poll_interval_s: must be a finite number"));
  EXPECT_THAT(error_of("[store]\noutbox_max_mb = inf\n"),
              HasSubstr("store.outbox_max_mb: must be a finite number"));
  EXPECT_THAT(error_of("[[devices]]\nid = \"a\"\nhost = \"h\"\nport = 70000\n"),
              HasSubstr("t.toml:4:1: devices[0].port: 70000 is out of range"));
}

TEST(ConfigErrors, AllowedValuesWithSuggestion) {
  EXPECT_THAT(error_of("[agent]\nlog_level = \"debgu\"\n"),
              HasSubstr("agent.log_level: 'debgu' is not one of: trace, debug, info, warn, "
                        "error; did you mean 'debug'?"));
}

TEST(ConfigErrors, NamesMustMatchThePattern) {
  EXPECT_THAT(error_of("[agent]\nsite = \"Site A\"\n"),
              HasSubstr("t.toml:2:1: agent.site: 'Site A' is not a valid name"));
  EXPECT_THAT(error_of("[agent]\nrack = \"" + std::string(65, 'r') + "\"\n"),
              HasSubstr("agent.rack: "));
  EXPECT_THAT(error_of("[agent]\nrack = \"\"\n"), HasSubstr("agent.rack: '' is not a valid name"));
  EXPECT_THAT(error_of("[[devices]]\nid = \"S19#1\"\nhost = \"h\"\n"),
              HasSubstr("t.toml:2:1: devices[0].id: 'S19#1' is not a valid name"));
}

TEST(ConfigErrors, DuplicateDeviceIdsNameTheFirstUse) {
  const std::string msg = error_of(
      "[[devices]]\nid = \"m1\"\nhost = \"a\"\n\n[[devices]]\nid = \"m1\"\nhost = \"b\"\n");
  EXPECT_THAT(msg, HasSubstr("t.toml:6:1: devices[1].id: duplicate device id 'm1': already used "
                             "by devices[0] at t.toml:2:1"));
}

TEST(ConfigErrors, MissingRequiredDeviceKeys) {
  const std::string msg = error_of("[[devices]]\nport = 4028\n");
  EXPECT_THAT(msg, HasSubstr("t.toml:1:1: devices[0]: missing required key 'id'"));
  EXPECT_THAT(msg, HasSubstr("devices[0]: missing required key 'host'"));
  EXPECT_THAT(error_of("[[devices]]\nid = \"a\"\nhost = \"my host\"\n"),
              HasSubstr("devices[0].host: 'my host' is not a host"));
}

TEST(ConfigErrors, UnknownDriverIsRefused) {
  // Against the real registry, whatever it holds today.
  auto real =
      parse_config("[[devices]]\nid = \"a\"\nhost = \"h\"\ndriver = \"nonexistent\"\n", "t.toml");
  ASSERT_FALSE(real);
  EXPECT_THAT(real.error().message,
              HasSubstr("t.toml:4:1: devices[0].driver: unknown driver 'nonexistent'"));
  // With a registry that has a close name, a suggestion and the list of known drivers.
  EXPECT_THAT(
      error_of("[[devices]]\nid = \"a\"\nhost = \"h\"\ndriver = \"alpah\"\n", test::fake_drivers()),
      HasSubstr("unknown driver 'alpah'; did you mean 'alpha'? (known: auto, alpha, "
                "beta)"));
}

TEST(ConfigErrors, PollTimeoutMustBeBelowTheInterval) {
  EXPECT_THAT(error_of("[agent]\npoll_interval_s = 10\npoll_timeout_s = 10\n"),
              HasSubstr("t.toml:3:1: agent.poll_timeout_s: agent.poll_timeout_s (10, set at "
                        "t.toml:3:1) must be less than agent.poll_interval_s (10, set at "
                        "t.toml:2:1)"));
  EXPECT_THAT(error_of("[[devices]]\nid = \"a\"\nhost = \"h\"\ntimeout_s = 3\n"
                       "poll_interval_s = 2\n"),
              HasSubstr("t.toml:4:1: devices[0].timeout_s: the device's timeout (3 s) "
                        "must be less than its poll interval (2 s)"));
  // An explicit agent timeout is not shortened for the agent's own interval.
  EXPECT_THAT(error_of("[agent]\npoll_timeout_s = 5\n", {}, ConfigOverrides{.poll_interval_s = 3}),
              HasSubstr("t.toml:2:1: agent.poll_timeout_s:"));
  EXPECT_THAT(error_of("[mqtt]\nreconnect_min_s = 90\nreconnect_max_s = 30\n"),
              HasSubstr("t.toml:2:1: mqtt.reconnect_min_s: mqtt.reconnect_min_s (90) must not "
                        "exceed mqtt.reconnect_max_s (30)"));
}

TEST(ConfigErrors, TlsSettingsNeedATlsBroker) {
  rigkeeper::test::TempDir dir;
  test::write_file(dir / "ca.pem", "ca");
  const std::string msg = error_of("[mqtt]\nbroker = \"tcp://h:1883\"\nca_file = \"" +
                                   (dir / "ca.pem").string() + "\"\ntls_insecure = true\n");
  EXPECT_THAT(msg, HasSubstr("t.toml:3:1: mqtt.ca_file: is a TLS setting but the broker URL "
                             "'tcp://h:1883' is not TLS"));
  EXPECT_THAT(msg, HasSubstr("t.toml:4:1: mqtt.tls_insecure: is a TLS setting"));
  EXPECT_EQ(test::line_count(msg), 2u) << msg;
}

TEST(ConfigErrors, TlsFilesMustExist) {
  const std::string msg = error_of(
      "[mqtt]\nbroker = \"mqtts://h\"\nca_file = \"/nonexistent/ca.pem\"\ncert_file = \"/\"\n");
  EXPECT_THAT(msg, HasSubstr("t.toml:3:1: mqtt.ca_file: '/nonexistent/ca.pem' not found"));
  EXPECT_THAT(msg, HasSubstr("t.toml:4:1: mqtt.cert_file: '/' is a directory, not a file"));
}

TEST(ConfigErrors, CredentialRules) {
  rigkeeper::test::TempDir dir;
  test::write_file(dir / "pw", "x\n");
  EXPECT_THAT(error_of("[mqtt]\nusername = \"u\"\npassword = \"p\"\npassword_file = \"" +
                       (dir / "pw").string() + "\"\n"),
              HasSubstr("t.toml:4:1: mqtt.password_file: password and password_file are both "
                        "set; keep one"));
  EXPECT_THAT(error_of("[mqtt]\npassword = \"p\"\n"),
              HasSubstr("t.toml:2:1: mqtt.password: a password needs mqtt.username"));
  EXPECT_THAT(error_of("[mqtt]\nusername = \"u\"\npassword_file = \"/nonexistent/pw\"\n"),
              HasSubstr("t.toml:3:1: mqtt.password_file: password file '/nonexistent/pw' not "
                        "found"));
  test::write_file(dir / "empty", "\nsecond\n");
  EXPECT_THAT(
      error_of("[mqtt]\nusername = \"u\"\npassword_file = \"" + (dir / "empty").string() + "\"\n"),
      HasSubstr("has an empty first line"));
}

TEST(ConfigErrors, BrokerUrls) {
  for (const char* bad : {"http://h:1883", "h:1883", "tcp://", "tcp://h:0", "tcp://h:99999",
                          "tcp://h:x", "tcp://h/path", "tcp://[::1"}) {
    EXPECT_THAT(error_of(std::string("[mqtt]\nbroker = \"") + bad + "\"\n"),
                HasSubstr("t.toml:2:1: mqtt.broker: "))
        << bad;
  }
  for (const char* good :
       {"tcp://h", "mqtt://10.0.0.1:1883", "ssl://b.example:8883", "mqtts://[::1]:8883"}) {
    auto c = parse_config(std::string("[mqtt]\nbroker = \"") + good + "\"\n", "t.toml");
    EXPECT_TRUE(c) << good << ": " << c.error().message;
  }
}

TEST(ConfigErrors, ControlSocketAndCommandKeys) {
  EXPECT_THAT(error_of("[agent]\nstate_dir = \"/" + std::string(100, 'd') + "\"\n"),
              HasSubstr("t.toml:2:1: agent.state_dir: the control socket path"));
  EXPECT_THAT(error_of("[agent]\ncommand_keys = \"/nonexistent\"\n"),
              HasSubstr("t.toml:2:1: agent.command_keys: '/nonexistent' is not a folder"));
}

TEST(ConfigErrors, EveryProblemIsReportedAtOnceInLineOrder) {
  const std::string msg = error_of(R"([agent]
site = "Bad Site"
poll_jitter = 2
lgo_level = "info"

[mqtt]
keepalive_s = "30"

[[devices]]
id = "a"
host = "h"

[[devices]]
id = "a"
)");
  EXPECT_EQ(test::line_count(msg), 6u) << msg;
  const char* expected[] = {"t.toml:2:1: agent.site:",
                            "t.toml:3:1: agent.poll_jitter:",
                            "t.toml:4:1: agent.lgo_level: unknown key; did you mean 'log_level'?",
                            "t.toml:7:1: mqtt.keepalive_s:",
                            "t.toml:13:1: devices[1]: missing required key 'host'",
                            "t.toml:14:1: devices[1].id: duplicate device id 'a'"};
  std::size_t last = 0;
  for (const char* e : expected) {
    const std::size_t at = msg.find(e);
    ASSERT_NE(at, std::string::npos) << e << "\n" << msg;
    EXPECT_GE(at, last) << "out of order: " << e << "\n" << msg;
    last = at;
  }
}

TEST(ConfigErrors, FileTooLargeIsRefused) {
  rigkeeper::test::TempDir dir;
  std::string big = "# padding\n";
  big.resize(kMaxConfigFileBytes + 1, '#');
  test::write_file(dir / "rigkeeper.toml", big);
  const std::string msg = error_of(load_config(dir / "rigkeeper.toml"));
  EXPECT_THAT(msg, HasSubstr((dir / "rigkeeper.toml").string() + ": config file is too large: " +
                             std::to_string(kMaxConfigFileBytes + 1) + " bytes, the limit is " +
                             std::to_string(kMaxConfigFileBytes) + " bytes"));
  EXPECT_THAT(error_of(parse_config(big, "big.toml")), HasSubstr("big.toml: config is too large"));
}

TEST(ConfigErrors, MissingOrUnreadableFile) {
  EXPECT_EQ(error_of(load_config("/nonexistent/rigkeeper.toml")),
            "/nonexistent/rigkeeper.toml: config file not found");
  rigkeeper::test::TempDir dir;
  EXPECT_THAT(error_of(load_config(dir.path())), HasSubstr("is a directory, not a file"));
}

// Truncated, bit-flipped, NUL-ridden and garbage configs are refused with a message (or, for
// some truncations, still valid), never a crash or an exception.
TEST(ConfigErrors, BrokenFilesNeverCrash) {
  const std::string good = R"([agent]
site = "s1"
rack = "r1"
[mqtt]
broker = "tcp://127.0.0.1:1883"
username = "u"
password = "p"
[[devices]]
id = "d1"
host = "10.0.0.1"
port = 4028
)";
  ASSERT_TRUE(parse_config(good, "good.toml"));
  for (const auto& v : rigkeeper::test::broken_variants(good)) {
    auto c = parse_config(v.bytes, v.name);
    if (!c) {
      EXPECT_EQ(c.error().code, Errc::kConfig) << v.name;
      EXPECT_FALSE(c.error().message.empty()) << v.name;
    }
  }
}

}  // namespace
}  // namespace rigkeeper::agent
