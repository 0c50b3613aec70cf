// Drop-ins: rigkeeper.d/*.toml next to the main file, in name order; scalars override,
// devices append, ids stay unique across files; flags override everything.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/config/config.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/config/config_test_util.h"

namespace rigkeeper::agent {
namespace {

using test::error_of;
using test::write_file;
using ::testing::HasSubstr;

class ConfigDropIns : public ::testing::Test {
 protected:
  std::filesystem::path main_file() const { return dir_ / "rigkeeper.toml"; }
  std::filesystem::path drop_in(const std::string& name) const {
    return dir_.path() / "rigkeeper.d" / name;
  }
  rigkeeper::test::TempDir dir_;
};

TEST_F(ConfigDropIns, LaterFilesOverrideScalarsAndAppendDevices) {
  write_file(main_file(),
             "[agent]\nsite = \"main\"\nrack = \"r1\"\n[[devices]]\nid = \"d1\"\nhost = \"a\"\n");
  // Lexical order: 10- before 20-, whatever the order of creation.
  write_file(drop_in("20-late.toml"), "[agent]\nsite = \"late\"\n");
  write_file(drop_in("10-early.toml"),
             "[agent]\nsite = \"early\"\n[mqtt]\nkeepalive_s = 60\n"
             "[[devices]]\nid = \"d2\"\nhost = \"b\"\n[[devices]]\nid = \"d3\"\nhost = \"c\"\n");
  auto c = load_config(main_file());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->site, "late");
  EXPECT_EQ(c->rack, "r1");
  EXPECT_EQ(c->mqtt.keepalive_s, 60);
  ASSERT_EQ(c->devices.size(), 3u);
  EXPECT_EQ(c->devices[0].id, "d1");
  EXPECT_EQ(c->devices[1].id, "d2");
  EXPECT_EQ(c->devices[2].id, "d3");
  EXPECT_EQ(c->source, main_file());
}

TEST_F(ConfigDropIns, OtherFilesInTheFolderAreIgnored) {
  write_file(main_file(), "");
  write_file(drop_in("README"), "not toml at all [[[");
  write_file(drop_in(".hidden.toml"), "not toml at all [[[");
  write_file(drop_in("50-rack.toml.dpkg-old"), "[agent]\nsite = \"old\"\n");
  write_file(drop_in("50-rack.toml"), "[agent]\nsite = \"new\"\n");
  auto c = load_config(main_file());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->site, "new");
}

TEST_F(ConfigDropIns, DuplicateIdAcrossFilesNamesBothFiles) {
  write_file(main_file(), "[[devices]]\nid = \"m1\"\nhost = \"a\"\n");
  write_file(drop_in("10-more.toml"), "\n[[devices]]\nid = \"m1\"\nhost = \"b\"\n");
  const std::string msg = error_of(load_config(main_file()));
  EXPECT_THAT(msg, HasSubstr(drop_in("10-more.toml").string() +
                             ":3:1: devices[0].id: duplicate device id 'm1': already used by "
                             "devices[0] at " +
                             main_file().string() + ":2:1"));
}

TEST_F(ConfigDropIns, ProblemsInEveryFileAreReportedInLoadOrder) {
  write_file(main_file(), "[agent]\nsite = \"Bad\"\n");
  write_file(drop_in("10-a.toml"), "[agent]\nrakc = \"r\"\n");
  write_file(drop_in("20-b.toml"), "[agent\n");  // syntax error
  const std::string msg = error_of(load_config(main_file()));
  EXPECT_EQ(test::line_count(msg), 3u) << msg;
  const std::size_t first = msg.find(main_file().string() + ":2:1: agent.site:");
  const std::size_t second = msg.find(drop_in("10-a.toml").string() +
                                      ":2:1: agent.rakc: unknown key; did you mean 'rack'?");
  const std::size_t third = msg.find(drop_in("20-b.toml").string() + ":1:");
  ASSERT_NE(first, std::string::npos) << msg;
  ASSERT_NE(second, std::string::npos) << msg;
  ASSERT_NE(third, std::string::npos) << msg;
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
}

TEST_F(ConfigDropIns, RelativePathsAreRelativeToTheirOwnFile) {
  write_file(main_file(), "[mqtt]\nbroker = \"ssl://b\"\n");
  write_file(drop_in("ca.pem"), "ca");
  write_file(drop_in("10-tls.toml"), "[mqtt]\nca_file = \"ca.pem\"\n");
  auto c = load_config(main_file());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->mqtt.ca_file, drop_in("ca.pem"));
}

TEST_F(ConfigDropIns, FlagsOverrideDropIns) {
  write_file(main_file(), "[agent]\nrack = \"main\"\n");
  write_file(drop_in("10-rack.toml"), "[agent]\nrack = \"dropin\"\n");
  ConfigOverrides o;
  o.rack = "flag";
  auto c = load_config(main_file(), o);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->rack, "flag");
}

TEST_F(ConfigDropIns, OversizedDropInIsRefused) {
  write_file(main_file(), "");
  std::string big(kMaxConfigFileBytes + 10, '#');
  write_file(drop_in("10-big.toml"), big);
  EXPECT_THAT(error_of(load_config(main_file())),
              HasSubstr(drop_in("10-big.toml").string() + ": config file is too large"));
}

}  // namespace
}  // namespace rigkeeper::agent
