// The HTTP client over TLS against `openssl s_server -www` with a throwaway PKI: CA
// verification passing and failing, insecure mode, and client certificates.
#include <gtest/gtest.h>

#include "tests/support/mosquitto.h"
#include "tests/support/net.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/http/http_test_util.h"

namespace rigkeeper::test {
namespace {

class HttpTls : public ::testing::Test {
 protected:
  void start(bool require_client_cert) {
    port_ = free_port();
    std::vector<std::string> argv = {"openssl", "s_server",
                                     "-accept", "127.0.0.1:" + std::to_string(port_),
                                     "-cert",   pki_.server_cert.string(),
                                     "-key",    pki_.server_key.string(),
                                     "-www",    "-quiet"};
    if (require_client_cert) {
      argv.insert(argv.end(), {"-Verify", "1", "-CAfile", pki_.ca_cert.string()});
    }
    server_ = std::make_unique<Process>(argv, dir_ / "s_server.log");
    ASSERT_TRUE(wait_for_port("127.0.0.1", port_, 10'000)) << server_->log();
  }
  http::Request request() const {
    http::Request req;
    req.url = "https://127.0.0.1:" + std::to_string(port_) + "/";
    req.timeout = std::chrono::seconds(10);
    return req;
  }

  TempDir dir_;
  TestPki pki_{dir_ / "pki"};
  uint16_t port_ = 0;
  std::unique_ptr<Process> server_;
};

TEST_F(HttpTls, VerifiesAgainstTheGivenCa) {
  start(false);
  auto req = request();
  req.tls.ca_file = pki_.ca_cert.string();
  auto r = fetch_blocking(req);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200);
}

TEST_F(HttpTls, WrongCaFailsVerificationAndSaysSo) {
  start(false);
  auto req = request();
  req.tls.ca_file = pki_.other_ca_cert.string();
  auto r = fetch_blocking(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kProtocol) << r.error().message;
  EXPECT_NE(r.error().message.find("TLS verification failed"), std::string::npos)
      << r.error().message;
}

TEST_F(HttpTls, InsecureSkipsVerification) {
  start(false);
  auto req = request();
  req.tls.ca_file = pki_.other_ca_cert.string();
  req.tls.insecure = true;
  auto r = fetch_blocking(req);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200);
}

TEST_F(HttpTls, ClientCertificateIsPresentedWhenRequired) {
  start(true);
  auto req = request();
  req.tls.ca_file = pki_.ca_cert.string();
  req.tls.client_cert = pki_.client_cert.string();
  req.tls.client_key = pki_.client_key.string();
  auto r = fetch_blocking(req);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200);
}

}  // namespace
}  // namespace rigkeeper::test
