// The dcgm driver over real HTTP on loopback: a tiny server serves a dcgm-exporter page built
// from the shared default-counters.csv (until the simulator has GPU nodes); the snapshot, the
// configured path, HTTP errors, garbage and a refused connection.
#include <gtest/gtest.h>

#include "drivers/gpu/dcgm/driver.h"
#include "tests/support/net.h"
#include "tests/unit/gpu/gpu_test_util.h"
#include "tests/unit/gpu/tiny_http_server.h"

namespace rigkeeper::drivers::dcgm {
namespace {

DeviceConfig config_for(uint16_t port) {
  DeviceConfig c;
  c.id = "gpu-node-7";
  c.host = "127.0.0.1";
  c.port = port;
  c.timeout = std::chrono::milliseconds(3000);
  return c;
}

Result<DeviceSnapshot> poll(const DeviceConfig& c) {
  DcgmDriver d(asio::system_executor(), c);
  return test::run_coro(d.poll());
}

TEST(DcgmHttp, PollsTheExporterPage) {
  const std::string page = test::dcgm_page_from_default_counters(2);
  test::TinyHttpServer server([&](const std::string& path) {
    return path == "/metrics" ? test::TinyReply{.body = page} : test::TinyReply{.status = 404};
  });
  auto snap = poll(config_for(server.port()));
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->device_id, "gpu-node-7");
  EXPECT_EQ(snap->host, "127.0.0.1");
  EXPECT_EQ(snap->kind, DeviceKind::kGpuNode);
  EXPECT_EQ(snap->firmware, "dcgm");
  EXPECT_EQ(snap->make, "NVIDIA");
  EXPECT_EQ(snap->state, DeviceState::kServing);
  ASSERT_EQ(snap->gpus.size(), 2u);
  EXPECT_EQ(snap->gpus[1].temp_c, 41);
  EXPECT_EQ(snap->power_w, 202);
  EXPECT_EQ(server.requests(), 1);
}

TEST(DcgmHttp, ConfiguredPathAndHttpErrors) {
  const std::string page = test::dcgm_page_from_default_counters(1);
  test::TinyHttpServer server([&](const std::string& path) {
    if (path == "/gpu/metrics") return test::TinyReply{.body = page};
    if (path == "/secret") return test::TinyReply{.status = 401};
    if (path == "/html") return test::TinyReply{.body = "<html>hello</html>"};
    return test::TinyReply{.status = 404, .body = "not found"};
  });
  auto c = config_for(server.port());
  c.options.set("path", std::string("/gpu/metrics"));
  auto ok = poll(c);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->gpus.size(), 1u);

  c.options.set("path", std::string("/missing"));
  auto missing = poll(c);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kProtocol);
  EXPECT_NE(missing.error().message.find("404"), std::string::npos);
  EXPECT_NE(missing.error().message.find("gpu-node-7"), std::string::npos);

  c.options.set("path", std::string("/secret"));
  EXPECT_EQ(poll(c).error().code, Errc::kAuth);

  c.options.set("path", std::string("/html"));
  auto html = poll(c);
  ASSERT_FALSE(html);
  EXPECT_EQ(html.error().code, Errc::kProtocol);
}

TEST(DcgmHttp, NothingListeningIsUnreachable) {
  auto r = poll(config_for(test::free_port()));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().code == Errc::kUnreachable || r.error().code == Errc::kTimeout)
      << r.error().message;
}

TEST(DcgmHttp, MatchesOnlyADcgmPage) {
  Probe p;
  EXPECT_EQ(match(p), 0);
  p.cgminer_version = nlohmann::json::object();
  EXPECT_EQ(match(p), 0);
  p.web.push_back(WebProbe{.url = "http://x:9400/metrics",
                           .status = 200,
                           .body = test::dcgm_page_from_default_counters(1)});
  EXPECT_EQ(match(p), 20);
  auto id = identify(p);
  EXPECT_EQ(id.firmware, "dcgm");
  EXPECT_EQ(id.model, "1 x NVIDIA H100 80GB HBM3");
  EXPECT_EQ(id.firmware_version, "590.48.01");
}

}  // namespace
}  // namespace rigkeeper::drivers::dcgm
