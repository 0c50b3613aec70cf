// gather_probe()/detect() over loopback sockets: the web probe (realm, body, follow-up paths),
// the Whatsminer v3 framing and its broken variants, every probe of a host at once, and the
// errors when nothing answers.
#include <gtest/gtest.h>

#include "drivers/detect.h"
#include "drivers/web_probe.h"
#include "drivers/whatsminer_v3_probe.h"
#include "tests/support/fake_cgminer_server.h"
#include "tests/support/fixtures.h"
#include "tests/support/net.h"
#include "tests/unit/drivers_api/run_coro.h"
#include "tests/unit/scan/fake_tcp_server.h"

namespace rigkeeper::drivers {
namespace {

using namespace std::chrono_literals;
using test::FakeTcpServer;

template <class T>
T run(asio::awaitable<T> aw) {
  asio::io_context io;
  return test::run_coro(io, std::move(aw));
}

/// Options that reach only the given ports (0: that probe off).
DetectOptions only(uint16_t cgminer, uint16_t web, uint16_t v3,
                   std::chrono::milliseconds timeout = 2000ms) {
  DetectOptions o;
  o.cgminer = cgminer != 0;
  o.cgminer_port = cgminer;
  o.web = web != 0;
  o.web_port = web;
  o.whatsminer_v3 = v3 != 0;
  o.whatsminer_v3_port = v3;
  o.timeout = timeout;
  return o;
}

std::string v3_fixture_framed() {
  return frame_whatsminer_v3(test::read_fixture("asic/whatsminer/v3_get.device.info.json"));
}

TEST(WhatsminerV3Framing, LittleEndianLengthPrefix) {
  const std::string framed = frame_whatsminer_v3(std::string(0x0102, 'x'));
  ASSERT_EQ(framed.size(), 0x0102u + 4);
  EXPECT_EQ(static_cast<unsigned char>(framed[0]), 0x02);
  EXPECT_EQ(static_cast<unsigned char>(framed[1]), 0x01);
  EXPECT_EQ(framed[2], '\0');
  EXPECT_EQ(whatsminer_v3_length(reinterpret_cast<const unsigned char*>(framed.data())), 0x0102u);
  EXPECT_FALSE(parse_whatsminer_v3_reply("[1,2]"));
  EXPECT_FALSE(parse_whatsminer_v3_reply("{\"code\":"));
  EXPECT_TRUE(parse_whatsminer_v3_reply("{\"code\":0}"));
}

TEST(WhatsminerV3Probe, ReadsGetDeviceInfo) {
  auto server = FakeTcpServer::whatsminer_v3(v3_fixture_framed());
  auto reply = run(whatsminer_v3_get("127.0.0.1", server->port(), "get.device.info", 2000ms));
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ((*reply)["msg"]["miner"]["type"], "M60S_VK40");
  ASSERT_EQ(server->requests().size(), 1u);
  const std::string req = server->requests()[0];
  EXPECT_EQ(nlohmann::json::parse(req.substr(4))["cmd"], "get.device.info");
}

TEST(WhatsminerV3Probe, BrokenRepliesAreProtocolErrorsNamingTheDevice) {
  const std::string good = v3_fixture_framed();
  const std::pair<const char*, std::string> cases[] = {
      {"truncated body", good.substr(0, good.size() / 2)},
      {"not JSON", frame_whatsminer_v3("<html>garbage</html>")},
      {"oversize length", std::string("\xff\xff\xff\x7f", 4) + "{}"},
      {"zero length", std::string(4, '\0')},
  };
  for (const auto& [name, bytes] : cases) {
    auto server = FakeTcpServer::whatsminer_v3(bytes);
    auto reply = run(whatsminer_v3_get("127.0.0.1", server->port(), "get.device.info", 1000ms));
    ASSERT_FALSE(reply) << name;
    EXPECT_EQ(reply.error().code, Errc::kProtocol) << name << ": " << reply.error().message;
    EXPECT_NE(reply.error().message.find("127.0.0.1:" + std::to_string(server->port())),
              std::string::npos)
        << name << ": " << reply.error().message;
  }
}

TEST(WhatsminerV3Probe, SilenceTimesOut) {
  auto server = FakeTcpServer::whatsminer_v3("");  // empty reply: hang
  auto reply = run(whatsminer_v3_get("127.0.0.1", server->port(), "get.device.info", 300ms));
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, Errc::kTimeout);
}

TEST(WebProbe, UrlsOnAndOffPort80) {
  EXPECT_EQ(web_url("10.0.0.7", 80, "/"), "http://10.0.0.7/");
  EXPECT_EQ(web_url("10.0.0.7", 8080, "/api/v1/info"), "http://10.0.0.7:8080/api/v1/info");
  EXPECT_EQ(web_url("fe80::1", 80, "api"), "http://[fe80::1]/api");
}

TEST(GatherProbe, WebRealmBodyAndFamilyPaths) {
  auto web = FakeTcpServer::http([](const std::string& path) {
    if (path == "/")
      return test::http_response(401, "denied",
                                 {"WWW-Authenticate: Digest realm=\"antMiner Configuration\", "
                                  "nonce=\"abc\", qop=\"auth\"",
                                  "Server: lighttpd/1.4.32"});
    if (path == "/api/v1/info") return test::http_response(200, R"({"fw_name":"Vnish"})");
    return test::http_response(404, "not found");
  });
  auto probe = run(gather_probe("127.0.0.1", only(0, web->port(), 0)));
  ASSERT_TRUE(probe) << probe.error().message;
  const WebProbe* root = probe->web_at("/");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->status, 401);
  EXPECT_EQ(root->realm, "antMiner Configuration");
  EXPECT_EQ(root->server, "lighttpd/1.4.32");
  const WebProbe* info = probe->web_at("/api/v1/info");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->status, 200);
  EXPECT_EQ(info->body, R"({"fw_name":"Vnish"})");
  EXPECT_EQ(probe->web.size(), 1 + default_web_paths().size());  // 404s are answers too
  EXPECT_FALSE(probe->cgminer_version);
  EXPECT_FALSE(probe->whatsminer_v3);
}

TEST(GatherProbe, BodyKeptToItsCap) {
  auto web = FakeTcpServer::http(
      [](const std::string&) { return test::http_response(200, std::string(100000, 'a')); });
  auto probe = run(gather_probe("127.0.0.1", only(0, web->port(), 0)));
  ASSERT_TRUE(probe) << probe.error().message;
  EXPECT_EQ(probe->web_at("/")->body.size(), kWebProbeBodyBytes);
}

TEST(GatherProbe, EveryProbeOfAHostAtOnce) {
  test::FakeCgminerServer cgminer(
      test::FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  auto web = FakeTcpServer::http([](const std::string& path) {
    return path == "/" ? test::http_response(401, "",
                                             {"WWW-Authenticate: Digest realm=\"antMiner "
                                              "Configuration\", nonce=\"n\""})
                       : test::http_response(401, "");
  });
  auto v3 = FakeTcpServer::whatsminer_v3(v3_fixture_framed());
  auto probe = run(gather_probe("127.0.0.1", only(cgminer.port(), web->port(), v3->port())));
  ASSERT_TRUE(probe) << probe.error().message;
  EXPECT_TRUE(probe->cgminer_version);
  EXPECT_FALSE(probe->cgminer_devdetails);  // stock firmware denies it
  ASSERT_NE(probe->web_at("/"), nullptr);
  EXPECT_TRUE(probe->whatsminer_v3);
}

TEST(GatherProbe, AHangingApiDoesNotHideTheWebAnswer) {
  test::FakeCgminerServer cgminer(
      test::FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  cgminer.set_behavior(test::FakeBehavior::kHang);
  auto web = FakeTcpServer::http(
      [](const std::string&) { return test::http_response(200, "<title>AnthillOS</title>"); });
  auto probe = run(gather_probe("127.0.0.1", only(cgminer.port(), web->port(), 0, 300ms)));
  ASSERT_TRUE(probe) << probe.error().message;
  EXPECT_FALSE(probe->cgminer_version);
  ASSERT_NE(probe->web_at("/"), nullptr);
  EXPECT_EQ(cgminer.connections(), 1u);  // devdetails is not asked of a silent API
}

TEST(GatherProbe, NothingListeningIsUnreachableNamingTheApiPort) {
  const uint16_t port = test::free_port();
  auto probe =
      run(gather_probe("127.0.0.1", only(port, test::free_port(), test::free_port(), 500ms)));
  ASSERT_FALSE(probe);
  EXPECT_EQ(probe.error().code, Errc::kUnreachable);
  EXPECT_NE(probe.error().message.find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << probe.error().message;
}

TEST(Detect, ReadsTheFamilyThroughEveryProbe) {
  test::FakeCgminerServer cgminer(test::FakeCgminerServer::serve_fixture_dir("asic/luxos"));
  auto d = run(detect("127.0.0.1", only(cgminer.port(), test::free_port(), test::free_port())));
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->driver->name, "luxos");
  EXPECT_EQ(d->identity.firmware, "luxos");
}

TEST(Detect, AWebServerNoDriverClaimsIsUnsupported) {
  auto web = FakeTcpServer::http([](const std::string&) {
    return test::http_response(200, "<title>Welcome to nginx</title>");
  });
  auto d = run(detect("127.0.0.1", only(test::free_port(), web->port(), 0, 500ms)));
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, Errc::kUnsupported);
}

}  // namespace
}  // namespace rigkeeper::drivers
