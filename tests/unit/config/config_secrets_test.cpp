// Secret values never appear in any message, whatever the problem around them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/config/config.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/config/config_test_util.h"

namespace rigkeeper::agent {
namespace {

using test::error_of;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(ConfigSecrets, WrongTypeOfPasswordIsNotEchoed) {
  const std::string msg = error_of("[mqtt]\nusername = \"u\"\npassword = 88412345\n");
  EXPECT_THAT(msg, HasSubstr("t.toml:3:1: mqtt.password: expected a string, got an integer"));
  EXPECT_THAT(msg, Not(HasSubstr("88412345")));
}

TEST(ConfigSecrets, SyntaxErrorOnASecretLineHidesTheDetails) {
  // toml++ quotes the offending text ("'99999999999999999999' is not representable"); on a
  // secret's line that text is the secret.
  for (const char* line : {"key_password = 99999999999999999999\n", "password = hunter2hunter2\n",
                           "password = \"hunter2\\q\"\n"}) {
    const std::string msg = error_of(std::string("[mqtt]\nusername = \"u\"\n") + line);
    EXPECT_THAT(msg, HasSubstr("t.toml:3:")) << line;
    EXPECT_THAT(msg, HasSubstr("syntax error: invalid TOML on a line that holds a secret"));
    EXPECT_THAT(msg, Not(HasSubstr("hunter2"))) << msg;
    EXPECT_THAT(msg, Not(HasSubstr("9999999"))) << msg;
  }
}

TEST(ConfigSecrets, CredentialsInTheBrokerUrlAreNotEchoed) {
  const std::string msg = error_of("[mqtt]\nbroker = \"tcp://rack:hunter2@broker:1883\"\n");
  EXPECT_THAT(msg, HasSubstr("mqtt.broker: the broker URL must not carry credentials"));
  EXPECT_THAT(msg, Not(HasSubstr("hunter2")));
}

TEST(ConfigSecrets, DriverSecretKeysAreNotEchoed) {
  const std::string msg = error_of(
      "[[devices]]\nid = \"a\"\nhost = \"h\"\ndriver = \"alpha\"\n"
      "api_password = 7771234\n",
      test::fake_drivers());
  EXPECT_THAT(msg, HasSubstr("t.toml:5:1: devices[0].api_password: expected a string"));
  EXPECT_THAT(msg, Not(HasSubstr("7771234")));
  // A syntax error on a driver secret's line is hidden too.
  const std::string syntax =
      error_of("[[devices]]\nid = \"a\"\nhost = \"h\"\ntoken = 123456789012345678901234\n",
               test::fake_drivers());
  EXPECT_THAT(syntax, HasSubstr("t.toml:4:"));
  EXPECT_THAT(syntax, Not(HasSubstr("123456789012345678901234")));
}

TEST(ConfigSecrets, SecretsOfAValidFileNeverReachAnyMessage) {
  // A file with secrets and other problems: the report names the keys, never the values.
  rigkeeper::test::TempDir dir;
  test::write_file(dir / "pw", "file-secret-4242\n");
  const std::string msg =
      error_of("[mqtt]\nusername = \"u\"\npassword = \"inline-secret-1717\"\npassword_file = \"" +
               (dir / "pw").string() + "\"\nkey_password = \"key-secret-9191\"\nkeepalive_s = 1\n");
  EXPECT_THAT(msg, HasSubstr("mqtt.keepalive_s"));
  EXPECT_THAT(msg, HasSubstr("mqtt.password_file: password and password_file are both set"));
  EXPECT_THAT(msg, HasSubstr("mqtt.key_password: is a TLS setting"));
  for (const char* secret : {"inline-secret-1717", "file-secret-4242", "key-secret-9191"})
    EXPECT_THAT(msg, Not(HasSubstr(secret)));
}

}  // namespace
}  // namespace rigkeeper::agent
