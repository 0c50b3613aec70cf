// The family drivers over real loopback sockets against FakeCgminerServer: the snapshot must be
// the pure parser's, the poll must be one multi-command (version only on the first poll), and
// multi-command refusal, hangs, garbage and silence must come back as errors naming the device.
#include <gtest/gtest.h>

#include "drivers/api/registry.h"
#include "drivers/asic/antminer/parser.h"
#include "drivers/asic/braiins/parser.h"
#include "drivers/asic/cgminer/parser.h"
#include "drivers/asic/luxos/parser.h"
#include "tests/support/fake_cgminer_server.h"
#include "tests/support/net.h"
#include "tests/unit/asic/asic_test_util.h"

namespace rigkeeper::drivers {
namespace {

using test::FakeBehavior;
using test::FakeCgminerServer;

DeviceConfig config_for(uint16_t port,
                        std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
  DeviceConfig c;
  c.id = "rack1-a07";
  c.host = "127.0.0.1";
  c.port = port;
  c.timeout = timeout;
  return c;
}

/// The snapshot as JSON without the fields only the driver sets (ts, device_id, host).
nlohmann::json comparable(const DeviceSnapshot& s) {
  auto j = to_json(s);
  j.erase("ts");
  j.erase("device_id");
  j.erase("host");
  return j;
}

struct Rig {
  asio::io_context ctx;
  std::unique_ptr<Driver> driver;
  Rig(const char* name, const DeviceConfig& cfg) {
    driver = find_driver(name)->create(ctx.get_executor(), cfg);
  }
  Result<DeviceSnapshot> poll() { return test::run_on(ctx, driver->poll()); }
};

TEST(DriverSocket, AntminerPollsOnceWithVersionCached) {
  FakeCgminerServer server(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  Rig rig("antminer", config_for(server.port()));
  auto first = rig.poll();
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->device_id, "rack1-a07");
  EXPECT_EQ(first->host, "127.0.0.1");
  auto expected = antminer::parse_replies(
      test::load_dir("asic/antminer_stock", {"version", "summary", "stats", "pools"}));
  ASSERT_TRUE(expected);
  EXPECT_EQ(comparable(*first), comparable(*expected));

  auto second = rig.poll();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->firmware_version, "49.0.1.3");  // from the cached version reply
  EXPECT_EQ(comparable(*second), comparable(*expected));
  EXPECT_EQ(test::commands_of(server.requests()),
            (std::vector<std::string>{"version+summary+stats+pools", "summary+stats+pools"}));
}

TEST(DriverSocket, MultiCommandRefusedFallsBackToSingles) {
  FakeCgminerServer server(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock", false));
  Rig rig("antminer", config_for(server.port()));
  auto first = rig.poll();
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->boards.size(), 3u);
  EXPECT_DOUBLE_EQ(*first->hashrate_ths, 110.56689);
  ASSERT_TRUE(rig.poll());
  EXPECT_EQ(test::commands_of(server.requests()),
            (std::vector<std::string>{"version+summary+stats+pools", "version", "summary", "stats",
                                      "pools", "summary", "stats", "pools"}));
}

TEST(DriverSocket, LuxosOverTheWire) {
  FakeCgminerServer server(FakeCgminerServer::serve_fixture_dir("asic/luxos"));
  Rig rig("luxos", config_for(server.port()));
  auto snap = rig.poll();
  ASSERT_TRUE(snap) << snap.error().message;
  auto expected = luxos::parse_replies(test::load_dir(
      "asic/luxos", {"version", "summary", "devs", "stats", "pools", "power", "config"}));
  ASSERT_TRUE(expected);
  EXPECT_EQ(comparable(*snap), comparable(*expected));
  EXPECT_EQ(test::commands_of(server.requests()).front(),
            "version+summary+devs+stats+pools+power+config");
}

TEST(DriverSocket, BraiinsOverTheWire) {
  auto book = std::make_shared<test::ReplyBook>();
  const auto replies = test::braiins_replies();
  for (const auto& [cmd, j] : replies) book->set(cmd, j);
  FakeCgminerServer server(test::book_handler(book));
  Rig rig("braiins", config_for(server.port()));
  auto snap = rig.poll();
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(comparable(*snap), comparable(*braiins::parse_replies(replies)));
}

TEST(DriverSocket, BraiinsPausedReadsTheUnavailableDevdetails) {
  auto book = std::make_shared<test::ReplyBook>();
  auto replies = test::braiins_replies();
  replies["summary"]["SUMMARY"][0]["MHS 5s"] = 0;
  for (auto& d : replies["devs"]["DEVS"]) d["MHS 5s"] = 0;
  replies["devdetails"] = {{"STATUS", {{{"STATUS", "E"}, {"Code", 69}, {"Msg", "Unavailable"}}}},
                           {"id", 1}};
  for (const auto& [cmd, j] : replies) book->set(cmd, j);
  FakeCgminerServer server(test::book_handler(book));
  Rig rig("braiins", config_for(server.port()));
  auto snap = rig.poll();
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->state, DeviceState::kSleeping);
  const auto cmds = test::commands_of(server.requests());
  ASSERT_EQ(cmds.size(), 2u);  // the poll, then devdetails alone for its error reply
  EXPECT_EQ(cmds[1], "devdetails");

  // Hashing again: a devdetails error is not re-read.
  replies = test::braiins_replies();
  replies["devdetails"] = test::load_json("asic/errors/devdetails_access_denied_hiveon.json");
  for (const auto& [cmd, j] : replies) book->set(cmd, j);
  auto mining = rig.poll();
  ASSERT_TRUE(mining);
  EXPECT_EQ(mining->state, DeviceState::kMining);
  EXPECT_EQ(test::commands_of(server.requests()).size(), 3u);
}

TEST(DriverSocket, GenericDriverSkipsCommandsTheFirmwareLacks) {
  // The avalon captures have no stats.json: the fake answers it as an invalid command.
  FakeCgminerServer server(FakeCgminerServer::serve_fixture_dir("asic/avalon"));
  Rig rig("cgminer", config_for(server.port()));
  auto snap = rig.poll();
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->firmware, "cgminer");
  EXPECT_EQ(snap->model, "Avalon Q");
  EXPECT_EQ(snap->errors.front(), cgminer::kUnrecognisedNote);
}

TEST(DriverSocket, VersionReadAgainAfterARestart) {
  auto book = std::make_shared<test::ReplyBook>();
  auto r = test::load_dir("asic/antminer_stock", {"version", "summary", "stats", "pools"});
  for (const auto& [cmd, j] : r) book->set(cmd, j);
  FakeCgminerServer server(test::book_handler(book));
  Rig rig("antminer", config_for(server.port()));
  ASSERT_TRUE(rig.poll());
  r["summary"]["SUMMARY"][0]["Elapsed"] = 30;  // uptime went backwards: the miner restarted
  book->set("summary", r["summary"]);
  auto after = rig.poll();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->uptime_s, 30);
  ASSERT_TRUE(rig.poll());
  EXPECT_EQ(test::commands_of(server.requests()),
            (std::vector<std::string>{"version+summary+stats+pools", "summary+stats+pools",
                                      "version+summary+stats+pools"}));
}

TEST(DriverSocket, HangIsATimeoutNamingTheDevice) {
  FakeCgminerServer server(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  server.set_behavior(FakeBehavior::kHang);
  Rig rig("antminer", config_for(server.port(), std::chrono::milliseconds(300)));
  auto snap = rig.poll();
  ASSERT_FALSE(snap);
  EXPECT_EQ(snap.error().code, Errc::kTimeout);
  EXPECT_NE(snap.error().message.find("127.0.0.1:" + std::to_string(server.port())),
            std::string::npos)
      << snap.error().message;
  EXPECT_NE(snap.error().message.find("rack1-a07"), std::string::npos);
}

TEST(DriverSocket, GarbageAndSilence) {
  FakeCgminerServer server(FakeCgminerServer::serve_fixture_dir("asic/luxos"));
  server.set_behavior(FakeBehavior::kGarbage);
  Rig rig("luxos", config_for(server.port()));
  auto garbage = rig.poll();
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, Errc::kProtocol);

  Rig nobody("luxos", config_for(test::free_port(), std::chrono::milliseconds(500)));
  auto refused = nobody.poll();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::kUnreachable);
  EXPECT_NE(refused.error().message.find("rack1-a07"), std::string::npos);
}

}  // namespace
}  // namespace rigkeeper::drivers
