// MqttLink over TLS against a real Mosquitto with a throwaway PKI: server verification with
// the right and a wrong CA, client certificates (plain and password-protected keys), the
// insecure mode, mqtts:// and unreadable files.
#include "agent/mqtt/mqtt_link.h"

#include <gtest/gtest.h>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/mqtt/link_harness.h"

namespace rigkeeper::agent::test {
namespace {

using rigkeeper::test::Mosquitto;
using rigkeeper::test::TestPki;

class MqttTlsTest : public LinkHarness {
 protected:
  static void SetUpTestSuite() {
    dir_ = new rigkeeper::test::TempDir();
    pki_ = new TestPki(dir_->path() / "pki");
  }
  static void TearDownTestSuite() {
    delete pki_;
    delete dir_;
  }

  /// Starts `link` and runs until it connected or `wait` passed.
  bool connects(MqttLink& link, std::chrono::milliseconds wait = 10s) {
    Recorder rec;
    rec.attach(link);
    if (!link.start()) return false;
    return run_until([&] { return rec.connected > 0; }, wait);
  }

  static rigkeeper::test::TempDir* dir_;
  static TestPki* pki_;
};

rigkeeper::test::TempDir* MqttTlsTest::dir_ = nullptr;
TestPki* MqttTlsTest::pki_ = nullptr;

TEST_F(MqttTlsTest, VerifiesTheServerWithTheRightCa) {
  Mosquitto broker(pki_->broker_tls(false));
  ASSERT_TRUE(broker.start()) << broker.log();
  auto opts = options(broker.url());
  opts.ca_file = pki_->ca_cert.string();
  MqttLink link(io_, opts);
  ASSERT_TRUE(connects(link)) << broker.log();

  std::optional<bool> done;
  link.publish("tls/t", "secret", 1, false, [&](bool ok) { done = ok; });
  ASSERT_TRUE(run_until([&] { return done.has_value(); }));
  EXPECT_TRUE(*done);
}

TEST_F(MqttTlsTest, MqttsSchemeMeansTls) {
  Mosquitto broker(pki_->broker_tls(false));
  ASSERT_TRUE(broker.start());
  auto opts = options("mqtts://127.0.0.1:" + std::to_string(broker.port()));
  opts.ca_file = pki_->ca_cert.string();
  MqttLink link(io_, opts);
  EXPECT_TRUE(connects(link)) << broker.log();
}

TEST_F(MqttTlsTest, NeverConnectsWithTheWrongCa) {
  Mosquitto broker(pki_->broker_tls(false));
  ASSERT_TRUE(broker.start());
  auto opts = options(broker.url());
  opts.ca_file = pki_->other_ca_cert.string();
  MqttLink link(io_, opts);
  EXPECT_FALSE(connects(link, 1500ms));
  EXPECT_FALSE(link.connected());
}

TEST_F(MqttTlsTest, InsecureModeConnectsWithoutTheCa) {
  Mosquitto broker(pki_->broker_tls(false));
  ASSERT_TRUE(broker.start());
  auto opts = options(broker.url());
  opts.ca_file = pki_->other_ca_cert.string();  // would fail verification
  opts.tls_insecure = true;
  MqttLink link(io_, opts);
  EXPECT_TRUE(connects(link)) << broker.log();
}

TEST_F(MqttTlsTest, ClientCertificateRequiredAndGiven) {
  Mosquitto broker(pki_->broker_tls(true));
  ASSERT_TRUE(broker.start());
  auto opts = options(broker.url());
  opts.ca_file = pki_->ca_cert.string();
  opts.cert_file = pki_->client_cert.string();
  opts.key_file = pki_->client_key.string();
  MqttLink link(io_, opts);
  EXPECT_TRUE(connects(link)) << broker.log();
}

TEST_F(MqttTlsTest, ClientCertificateRequiredAndMissing) {
  Mosquitto broker(pki_->broker_tls(true));
  ASSERT_TRUE(broker.start());
  auto opts = options(broker.url());
  opts.ca_file = pki_->ca_cert.string();
  MqttLink link(io_, opts);
  EXPECT_FALSE(connects(link, 1500ms));
}

TEST_F(MqttTlsTest, PasswordProtectedClientKey) {
  Mosquitto broker(pki_->broker_tls(true));
  ASSERT_TRUE(broker.start());
  const auto encrypted = dir_->path() / "client_enc.key";
  std::string out;
  ASSERT_EQ(
      rigkeeper::test::run_command({"openssl", "pkey", "-in", pki_->client_key.string(), "-out",
                                    encrypted.string(), "-aes256", "-passout", "pass:s3cret"},
                                   &out),
      0)
      << out;
  auto opts = options(broker.url());
  opts.ca_file = pki_->ca_cert.string();
  opts.cert_file = pki_->client_cert.string();
  opts.key_file = encrypted.string();
  opts.key_password = "s3cret";
  MqttLink link(io_, opts);
  EXPECT_TRUE(connects(link)) << broker.log();
}

TEST_F(MqttTlsTest, MissingCaFileFailsStartNamingTheFile) {
  auto opts = options("ssl://127.0.0.1:8883");
  opts.ca_file = (dir_->path() / "no-such-ca.pem").string();
  MqttLink link(io_, opts);
  auto started = link.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, Errc::kConfig);
  EXPECT_NE(started.error().message.find("no-such-ca.pem"), std::string::npos)
      << started.error().message;
}

TEST_F(MqttTlsTest, UnreadableKeyFileFailsStart) {
  auto opts = options("mqtts://127.0.0.1");
  opts.ca_file = pki_->ca_cert.string();
  opts.cert_file = pki_->client_cert.string();
  opts.key_file = dir_->path().string();  // a directory
  MqttLink link(io_, opts);
  auto started = link.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, Errc::kConfig);
  EXPECT_NE(started.error().message.find("key file"), std::string::npos);
}

}  // namespace
}  // namespace rigkeeper::agent::test
