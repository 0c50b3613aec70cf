// detect() over loopback sockets: version and devdetails asked, denied devdetails tolerated,
// unknown firmware answered by the generic driver, silence and garbage reported.
#include <gtest/gtest.h>

#include "drivers/detect.h"
#include "tests/support/fake_cgminer_server.h"
#include "tests/support/net.h"
#include "tests/unit/asic/asic_test_util.h"

namespace rigkeeper::drivers {
namespace {

using namespace std::chrono_literals;
using test::FakeBehavior;
using test::FakeCgminerServer;

Result<Detection> detect_on(uint16_t port, std::chrono::milliseconds timeout = 2000ms) {
  return test::run_coro(detect("127.0.0.1", port, timeout));
}

TEST(DetectSocket, EachFamilyFromItsCaptures) {
  const std::pair<const char*, const char*> cases[] = {
      {"asic/antminer_stock", "antminer"}, {"asic/luxos", "luxos"}, {"asic/avalon", "avalon"}};
  for (const auto& [dir, driver] : cases) {
    FakeCgminerServer server(FakeCgminerServer::serve_fixture_dir(dir));
    auto d = detect_on(server.port());
    ASSERT_TRUE(d) << dir << ": " << d.error().message;
    EXPECT_EQ(d->driver->name, driver) << dir;
    EXPECT_EQ(test::commands_of(server.requests()),
              (std::vector<std::string>{"version", "devdetails"}));
  }
}

TEST(DetectSocket, UnknownFirmwareIsGenericCgminer) {
  auto book = std::make_shared<test::ReplyBook>();
  book->set("version", test::reply_with("VERSION", {{{"CGMiner", "4.11.1"}, {"API", "3.7"}}},
                                        "cgminer 4.11.1"));
  book->set("devdetails",
            test::reply_with("DEVDETAILS", {{{"DEVDETAILS", 0}, {"Name", "BTM"}, {"ID", 0}}},
                             "cgminer 4.11.1"));
  FakeCgminerServer server(test::book_handler(book));
  auto d = detect_on(server.port());
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->identity.firmware, "cgminer");
  ASSERT_TRUE(d->probe.cgminer_devdetails);  // it answers devdetails
}

TEST(DetectSocket, DeniedDevdetailsStillDetects) {
  auto book = std::make_shared<test::ReplyBook>();
  book->set("version", test::load_json("asic/antminer_stock/version.json"));
  book->set("devdetails", test::load_json("asic/errors/devdetails_access_denied_hiveon.json"));
  FakeCgminerServer server(test::book_handler(book));
  auto d = detect_on(server.port());
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->driver->name, "antminer");
  EXPECT_EQ(d->identity.model, "Antminer S19 Pro");
  EXPECT_FALSE(d->probe.cgminer_devdetails);
}

TEST(DetectSocket, BraiinsFromItsVersionCapture) {
  auto book = std::make_shared<test::ReplyBook>();
  for (const auto& [cmd, j] : test::braiins_replies()) book->set(cmd, j);
  FakeCgminerServer server(test::book_handler(book));
  auto d = detect_on(server.port());
  ASSERT_TRUE(d);
  EXPECT_EQ(d->driver->name, "braiins");
  EXPECT_EQ(d->identity.model, "Antminer S19 Pro");  // from devdetails
  EXPECT_EQ(d->identity.firmware_version, "boser-buildroot 0.1.0-0ce150e9");
}

TEST(DetectSocket, HangTimesOutOnceNamingHostAndPort) {
  FakeCgminerServer server(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  server.set_behavior(FakeBehavior::kHang);
  auto d = detect_on(server.port(), 300ms);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, Errc::kTimeout);
  EXPECT_NE(d.error().message.find("127.0.0.1:" + std::to_string(server.port())), std::string::npos)
      << d.error().message;
  EXPECT_EQ(server.connections(), 1u);  // devdetails is not asked of a silent device
}

TEST(DetectSocket, NothingListening) {
  auto d = detect_on(test::free_port(), 500ms);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, Errc::kUnreachable);
}

TEST(DetectSocket, GarbageIsNotRecognised) {
  FakeCgminerServer server(FakeCgminerServer::serve_fixture_dir("asic/antminer_stock"));
  server.set_behavior(FakeBehavior::kGarbage);
  auto d = detect_on(server.port());
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, Errc::kUnsupported);
  EXPECT_NE(d.error().message.find("127.0.0.1:"), std::string::npos);
}

}  // namespace
}  // namespace rigkeeper::drivers
