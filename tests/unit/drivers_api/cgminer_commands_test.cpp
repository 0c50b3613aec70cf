// CgminerClient::commands(): `+` multi-commands in both reply shapes, per-section errors,
// and the per-command fallback for firmware that rejects them (remembered per client).
#include <gtest/gtest.h>

#include "drivers/api/cgminer_client.h"
#include "tests/support/fake_cgminer_server.h"
#include "tests/support/fixtures.h"
#include "tests/unit/drivers_api/run_coro.h"

namespace rigkeeper::drivers {
namespace {

using nlohmann::json;
using test::FakeBehavior;
using test::FakeCgminerServer;
using test::run_coro;

json fixture(const std::string& name) { return json::parse(test::read_fixture("asic/" + name)); }

class CgminerCommandsTest : public ::testing::Test {
 protected:
  Result<std::map<std::string, json>> commands(CgminerClient& c, std::vector<std::string> cmds) {
    return run_coro(ioc_, c.commands(cmds));
  }
  CgminerClient client(uint16_t port, CgminerOptions o = {}) {
    return CgminerClient(ioc_.get_executor(), "127.0.0.1", port, o);
  }
  asio::io_context ioc_;
};

TEST_F(CgminerCommandsTest, MultiCommandUsesOneConnectionAndUnwrapsArrays) {
  FakeCgminerServer s(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  auto c = client(s.port());
  auto r = commands(c, {"summary", "stats", "pools"});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ(r->at("summary"), fixture("antminer_stock/summary.json"));
  EXPECT_EQ(r->at("stats"), fixture("antminer_stock/stats.json"));
  EXPECT_EQ(r->at("pools"), fixture("antminer_stock/pools.json"));
  ASSERT_EQ(s.requests().size(), 1u);
  EXPECT_EQ(json::parse(s.requests()[0])["command"], "summary+stats+pools");
  EXPECT_TRUE(c.multi_command_supported());
}

TEST_F(CgminerCommandsTest, ReadmeObjectFormIsUnwrappedToo) {
  const json summary = fixture("luxos/summary.json");
  const json devs = fixture("luxos/devs.json");
  FakeCgminerServer s([&](const std::string&, const std::string&) {
    return json{{"summary", summary}, {"devs", devs}, {"id", 1}}.dump();
  });
  auto c = client(s.port());
  auto r = commands(c, {"summary", "devs"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->at("summary"), summary);
  EXPECT_EQ(r->at("devs"), devs);
}

TEST_F(CgminerCommandsTest, AFailedSectionIsLeftOut) {
  FakeCgminerServer s(FakeCgminerServer::serve_fixture_dir("asic/whatsminer"));
  auto c = client(s.port());
  auto r = commands(c, {"summary", "no_such_command", "devs"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->size(), 2u);
  EXPECT_TRUE(r->count("summary"));
  EXPECT_TRUE(r->count("devs"));
  EXPECT_FALSE(r->count("no_such_command"));
  EXPECT_EQ(s.requests().size(), 1u);
  EXPECT_TRUE(c.multi_command_supported());
}

TEST_F(CgminerCommandsTest, RejectedMultiFallsBackAndIsRemembered) {
  FakeCgminerServer s(
      FakeCgminerServer::serve_fixture_dir("asic/antminer_stock", /*accept_multi=*/false));
  auto c = client(s.port());
  auto r = commands(c, {"summary", "stats", "pools"});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ(r->at("stats"), fixture("antminer_stock/stats.json"));
  EXPECT_FALSE(c.multi_command_supported());
  auto sent = s.requests();
  ASSERT_EQ(sent.size(), 4u);  // the rejected multi, then one connection per command
  EXPECT_EQ(json::parse(sent[0])["command"], "summary+stats+pools");
  EXPECT_EQ(json::parse(sent[1])["command"], "summary");
  EXPECT_EQ(json::parse(sent[3])["command"], "pools");

  auto again = commands(c, {"summary", "stats", "pools"});  // no second multi attempt
  ASSERT_TRUE(again);
  sent = s.requests();
  ASSERT_EQ(sent.size(), 7u);
  for (std::size_t i = 4; i < 7; ++i)
    EXPECT_EQ(json::parse(sent[i])["command"].get<std::string>().find('+'), std::string::npos);
}

TEST_F(CgminerCommandsTest, EveryCommandFailingFails) {
  FakeCgminerServer s(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  auto c = client(s.port());
  auto r = commands(c, {"bogus1", "bogus2"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
  EXPECT_NE(r.error().message.find("bogus1"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("bogus2"), std::string::npos) << r.error().message;
}

TEST_F(CgminerCommandsTest, AccessDeniedSectionIsLeftOut) {
  const std::string denied = test::read_fixture("asic/errors/devdetails_access_denied_hiveon.json");
  const std::string summary = test::read_fixture("asic/antminer_stock/summary.json");
  FakeCgminerServer s([&](const std::string&, const std::string&) {
    return R"({"summary":[)" + summary + R"(],"devdetails":[)" + denied + R"(],"id":1})";
  });
  auto c = client(s.port());
  auto r = commands(c, {"summary", "devdetails"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->size(), 1u);
  EXPECT_TRUE(r->count("summary"));
}

TEST_F(CgminerCommandsTest, OneCommandAndDuplicatesNeedNoPlus) {
  FakeCgminerServer s(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  auto c = client(s.port());
  auto r = commands(c, {"version", "version"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->size(), 1u);
  ASSERT_EQ(s.requests().size(), 1u);
  EXPECT_EQ(json::parse(s.requests()[0])["command"], "version");
  auto none = commands(c, {});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(CgminerCommandsTest, MalformedCommandNamesAreRefused) {
  FakeCgminerServer s(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  auto c = client(s.port());
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"summary+stats"}, std::vector<std::string>{"summary", ""}}) {
    auto r = commands(c, bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  }
  EXPECT_TRUE(s.requests().empty());
}

TEST_F(CgminerCommandsTest, DeviceDownFailsWithoutFallbackStorm) {
  FakeCgminerServer s(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  s.set_behavior(FakeBehavior::kHang);
  auto c = client(s.port(), CgminerOptions{std::chrono::milliseconds(200)});
  auto r = commands(c, {"summary", "stats", "pools"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kTimeout);
  EXPECT_EQ(s.requests().size(), 1u);
  EXPECT_TRUE(c.multi_command_supported());  // a silence is not a rejection
}

TEST_F(CgminerCommandsTest, FallbackStopsAtTheFirstTimeoutKeepingWhatItHas) {
  FakeCgminerServer* self = nullptr;
  const auto files = FakeCgminerServer::serve_fixture_dir("asic/antminer_stock", false);
  FakeCgminerServer s([&](const std::string& cmd, const std::string& param) {
    if (cmd == "summary") self->set_behavior(FakeBehavior::kHang);  // the miner dies after this
    return files(cmd, param);
  });
  self = &s;
  auto c = client(s.port(), CgminerOptions{std::chrono::milliseconds(200)});
  auto r = commands(c, {"summary", "stats", "pools"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->size(), 1u);
  EXPECT_TRUE(r->count("summary"));
  EXPECT_EQ(s.requests().size(), 3u);  // multi, summary, stats (timed out); pools never sent
}

}  // namespace
}  // namespace rigkeeper::drivers
