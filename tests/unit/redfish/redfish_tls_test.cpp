// The redfish driver over HTTPS against `openssl s_server -WWW` serving a tiny static Redfish
// tree, with a throwaway PKI: the configured CA verifies, a wrong CA fails and says so, and
// `insecure` skips verification.
#include <fstream>

#include <gtest/gtest.h>

#include "drivers/gpu/redfish/driver.h"
#include "tests/support/mosquitto.h"
#include "tests/support/net.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace rigkeeper::drivers::redfish {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

class RedfishTls : public ::testing::Test {
 protected:
  void SetUp() override {
    // s_server -WWW serves ./PATH files: only the service root sits at its real path; the
    // links lead to flat files.
    const fs::path www = dir_ / "www";
    write(www / "redfish/v1",
          R"({"Systems":{"@odata.id":"/systems.json"},"RedfishVersion":"1.15.0"})");
    write(www / "systems.json", R"({"Members":[{"@odata.id":"/system.json"}]})");
    write(www / "system.json",
          R"({"Id":"1","PowerState":"On","Status":{"Health":"OK"},
              "Processors":{"@odata.id":"/procs.json"}})");
    write(www / "procs.json", R"({"Members":[{"@odata.id":"/gpu0.json"}]})");
    write(www / "gpu0.json",
          R"({"Id":"GPU_0","ProcessorType":"GPU","Model":"NVIDIA H100 80GB HBM3"})");
    port_ = test::free_port();
    std::string cmd = "cd '" + www.string() +
                      "' && exec openssl s_server -accept 127.0.0.1:" + std::to_string(port_) +
                      " -cert '" + pki_.server_cert.string() + "' -key '" +
                      pki_.server_key.string() + "' -WWW -quiet";
    server_ = std::make_unique<test::Process>(std::vector<std::string>{"/bin/sh", "-c", cmd},
                                              dir_ / "s_server.log");
    ASSERT_TRUE(test::wait_for_port("127.0.0.1", port_, 10'000)) << server_->log();
  }

  Result<DeviceSnapshot> poll(const std::string& ca, bool insecure) {
    DeviceConfig c;
    c.id = "bmc-1";
    c.host = "127.0.0.1";
    c.port = port_;
    c.timeout = std::chrono::seconds(10);
    c.options.set("auth", std::string("basic"));
    c.options.set("username", std::string("admin"));
    c.options.set("password", std::string("s3cret"));
    c.options.set("ca_file", ca);
    c.options.set("insecure", insecure);
    asio::io_context io;
    std::optional<Result<DeviceSnapshot>> out;
    RedfishDriver driver(io.get_executor(), c);
    asio::co_spawn(
        io, [&]() -> asio::awaitable<void> { out = co_await driver.poll(); }, asio::detached);
    io.run();
    return std::move(*out);
  }

  test::TempDir dir_;
  test::TestPki pki_{dir_ / "pki"};
  uint16_t port_ = 0;
  std::unique_ptr<test::Process> server_;
};

TEST_F(RedfishTls, VerifiesAgainstTheConfiguredCa) {
  auto snap = poll(pki_.ca_cert.string(), false);
  ASSERT_TRUE(snap) << snap.error().message;
  ASSERT_EQ(snap->gpus.size(), 1u);
  EXPECT_EQ(snap->gpus[0].model, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(snap->state, DeviceState::kServing);
}

TEST_F(RedfishTls, WrongCaFailsAndSaysSo) {
  auto snap = poll(pki_.other_ca_cert.string(), false);
  ASSERT_FALSE(snap);
  EXPECT_NE(snap.error().message.find("TLS"), std::string::npos) << snap.error().message;
  EXPECT_NE(snap.error().message.find("bmc-1"), std::string::npos) << snap.error().message;
  EXPECT_EQ(snap.error().message.find("s3cret"), std::string::npos);
}

TEST_F(RedfishTls, InsecureSkipsVerification) {
  auto snap = poll(pki_.other_ca_cert.string(), true);
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->gpus.size(), 1u);
}

}  // namespace
}  // namespace rigkeeper::drivers::redfish
