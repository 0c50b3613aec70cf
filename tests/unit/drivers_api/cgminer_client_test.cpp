// CgminerClient's transport against FakeCgminerServer: every server behaviour, refused
// connections, STATUS errors, and many requests at once on one thread.
#include <chrono>

#include <gtest/gtest.h>

#include "drivers/api/cgminer_client.h"
#include "tests/support/fake_cgminer_server.h"
#include "tests/support/fixtures.h"
#include "tests/support/net.h"
#include "tests/unit/drivers_api/run_coro.h"

namespace rigkeeper::drivers {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using test::FakeBehavior;
using test::FakeCgminerServer;
using test::run_coro;

constexpr auto kGenerous = std::chrono::seconds(10);  // only there to catch a hang

class CgminerClientTest : public ::testing::Test {
 protected:
  CgminerClient client(uint16_t port, CgminerOptions options = {}) {
    return CgminerClient(ioc_.get_executor(), "127.0.0.1", port, options);
  }
  Result<json> command(CgminerClient& c, std::string_view cmd, std::string_view param = {}) {
    return run_coro(ioc_, c.command(cmd, param));
  }
  static std::string where(uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

  asio::io_context ioc_;
  FakeCgminerServer server_{FakeCgminerServer::serve_fixture_dir("asic/antminer_stock")};
};

TEST_F(CgminerClientTest, NormalReplyIsParsedAndStatusChecked) {
  auto c = client(server_.port());
  auto r = command(c, "summary");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, json::parse(test::read_fixture("asic/antminer_stock/summary.json")));
  ASSERT_EQ(server_.requests().size(), 1u);
  EXPECT_EQ(json::parse(server_.requests()[0]), json::parse(R"({"command":"summary"})"));
}

TEST_F(CgminerClientTest, ParameterTravelsInTheRequest) {
  FakeCgminerServer avalon(FakeCgminerServer::serve_fixture_dir("asic/avalon"));
  auto c = client(avalon.port());
  auto r = command(c, "ascset_softoff", "0,softoff,1:1753434821");
  ASSERT_TRUE(r) << r.error().message;  // STATUS I is success
  EXPECT_EQ((*r)["STATUS"][0]["Code"], 118);
  EXPECT_EQ(json::parse(avalon.requests().at(0)),
            json::parse(R"({"command":"ascset_softoff","parameter":"0,softoff,1:1753434821"})"));
}

TEST_F(CgminerClientTest, RawReplyComesWithoutItsNul) {
  auto c = client(server_.port());
  auto raw = run_coro(ioc_, c.request_raw("version"));
  ASSERT_TRUE(raw) << raw.error().message;
  const std::string file = test::read_fixture("asic/antminer_stock/version.json");
  EXPECT_EQ(*raw, file);
}

TEST_F(CgminerClientTest, HostNamesAreResolved) {
  CgminerClient c(ioc_.get_executor(), "localhost", server_.port());
  auto r = command(c, "version");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)["VERSION"][0]["Type"], "Antminer S19 Pro");
}

TEST_F(CgminerClientTest, HangEndsAtTheDeadline) {
  server_.set_behavior(FakeBehavior::kHang);
  auto c = client(server_.port(), CgminerOptions{milliseconds(300)});
  const auto start = std::chrono::steady_clock::now();
  auto r = command(c, "summary");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kTimeout);
  EXPECT_NE(r.error().message.find("no reply from " + where(server_.port()) + " within 300 ms"),
            std::string::npos)
      << r.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, kGenerous);
}

TEST_F(CgminerClientTest, ResetMidReplySaysSo) {
  server_.set_behavior(FakeBehavior::kReset);
  auto c = client(server_.port());
  auto r = command(c, "stats");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().code == Errc::kProtocol || r.error().code == Errc::kUnreachable);
  EXPECT_NE(r.error().message.find("connection reset"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find(where(server_.port())), std::string::npos);
}

TEST_F(CgminerClientTest, CloseWithoutReplyIsAProtocolError) {
  server_.set_behavior(FakeBehavior::kCloseWithoutReply);
  auto c = client(server_.port());
  auto r = command(c, "summary");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kProtocol);
  EXPECT_NE(r.error().message.find("without a reply"), std::string::npos) << r.error().message;
}

TEST_F(CgminerClientTest, GarbageIsAProtocolErrorShowingTheBytes) {
  server_.set_behavior(FakeBehavior::kGarbage);
  auto c = client(server_.port());
  auto r = command(c, "summary");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kProtocol);
  EXPECT_NE(r.error().message.find("HTTP/1.1 400"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find(where(server_.port()) + " summary"), std::string::npos);
}

TEST_F(CgminerClientTest, OversizeReplyIsRefused) {
  server_.set_behavior(FakeBehavior::kOversize);
  server_.set_oversize_bytes(300 * 1024);
  auto c = client(server_.port(), CgminerOptions{milliseconds(3000), 64 * 1024});
  auto r = command(c, "summary");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kProtocol);
  EXPECT_EQ(r.error().message, "reply from " + where(server_.port()) + " exceeds 65536 bytes");

  server_.set_oversize_bytes(2u << 20);  // past the default cap of 1 MiB too
  auto d = client(server_.port());
  auto big = command(d, "summary");
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().message.find("exceeds 1048576 bytes"), std::string::npos);

  server_.set_oversize_bytes(32 * 1024);  // under the cap: a normal reply
  auto fits = command(c, "summary");
  ASSERT_TRUE(fits) << fits.error().message;
  EXPECT_GT((*fits)["SUMMARY"][0]["pad"].get<std::string>().size(), 31u * 1024);
}

TEST_F(CgminerClientTest, SlowDripWithinTheDeadlineIsFine) {
  server_.set_behavior(FakeBehavior::kSlowDrip);
  auto c = client(server_.port(), CgminerOptions{milliseconds(5000)});
  auto r = command(c, "stats");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, json::parse(test::read_fixture("asic/antminer_stock/stats.json")));
}

TEST_F(CgminerClientTest, SlowDripPastTheDeadlineTimesOut) {
  server_.set_behavior(FakeBehavior::kSlowDrip);
  auto c = client(server_.port(), CgminerOptions{milliseconds(60)});
  auto r = command(c, "stats");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kTimeout);
}

TEST_F(CgminerClientTest, RefusedConnectionIsUnreachable) {
  const uint16_t port = test::free_port();  // nothing listens there
  auto c = client(port);
  auto r = command(c, "summary");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnreachable);
  EXPECT_NE(r.error().message.find("refused"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find(where(port)), std::string::npos);
}

TEST_F(CgminerClientTest, AccessDeniedIsAuth) {
  FakeCgminerServer hiveon([](const std::string&, const std::string&) {
    return test::read_fixture("asic/errors/devdetails_access_denied_hiveon.json");
  });
  auto c = client(hiveon.port());
  auto r = command(c, "devdetails");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kAuth);
  EXPECT_NE(r.error().message.find("Access denied"), std::string::npos);
  EXPECT_NE(r.error().message.find(where(hiveon.port()) + " devdetails"), std::string::npos);
}

TEST_F(CgminerClientTest, InvalidCommandIsUnsupported) {
  auto c = client(server_.port());
  auto r = command(c, "no_such_command");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
}

TEST_F(CgminerClientTest, BareRestartReplyIsAccepted) {
  FakeCgminerServer s(
      [](const std::string&, const std::string&) { return std::string("RESTART"); });
  auto c = client(s.port());
  auto r = command(c, "restart");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, "RESTART");
}

TEST_F(CgminerClientTest, RepairedRepliesAreAccepted) {
  FakeCgminerServer btminer([](const std::string&, const std::string&) {
    return std::string(
        R"({"STATUS":[{"STATUS":"S","Msg":"Summary"}],"SUMMARY":[{"Power Mode":"Normal""temp0":71.5,}],"id":1})");
  });
  auto c = client(btminer.port());
  auto r = command(c, "summary");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)["SUMMARY"][0]["temp0"], 71.5);
}

TEST_F(CgminerClientTest, ManyRequestsAtOnceOnOneThread) {
  constexpr int kClients = 40;
  std::vector<CgminerClient> clients;
  for (int i = 0; i < kClients; ++i) clients.push_back(client(server_.port()));
  int ok = 0;
  for (auto& c : clients) {
    asio::co_spawn(
        ioc_,
        [&c, &ok]() -> asio::awaitable<void> {
          auto r = co_await c.command("pools");
          if (r && (*r)["POOLS"].is_array()) ++ok;
        },
        asio::detached);
  }
  ioc_.run();
  EXPECT_EQ(ok, kClients);
  EXPECT_EQ(server_.requests().size(), static_cast<std::size_t>(kClients));
}

}  // namespace
}  // namespace rigkeeper::drivers
