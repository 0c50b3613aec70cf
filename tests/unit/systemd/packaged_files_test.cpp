// The files the rigkeeper package installs agree with each other and with the daemon's defaults:
// the config plus its systemd drop-in, and the unit's paths, user and hardening.
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "agent/config/config.h"
#include "tests/support/temp_dir.h"

namespace rigkeeper::agent {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool has_line(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (l == line) return true;
  return false;
}

// /etc/rigkeeper as the package lays it out: rigkeeper.toml and rigkeeper.d/00-systemd.toml.
TEST(PackagedFiles, ConfigWithSystemdDropInPutsTheSocketInTheRuntimeDirectory) {
  test::TempDir etc;
  const fs::path src = fs::path(RK_SOURCE_DIR) / "packaging";
  fs::create_directories(etc / "rigkeeper.d");
  fs::copy_file(src / "rigkeeper.toml", etc / "rigkeeper.toml");
  fs::copy_file(src / "etc/rigkeeper.d/00-systemd.toml", etc / "rigkeeper.d/00-systemd.toml");
  auto c = load_config(etc / "rigkeeper.toml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->control_socket, fs::path("/run/rigkeeper/rigkeeperd.sock"));
  EXPECT_EQ(c->state_dir, fs::path("/var/lib/rigkeeper"));
}

TEST(PackagedFiles, UnitMatchesTheDaemonsPathsAndUser) {
  const std::string unit = read_file(RK_UNIT_FILE);
  ASSERT_FALSE(unit.empty()) << RK_UNIT_FILE;
  EXPECT_TRUE(
      has_line(unit, "ExecStart=/usr/sbin/rigkeeperd --config /etc/rigkeeper/rigkeeper.toml"));
  EXPECT_TRUE(has_line(unit, "User=rigkeeper"));
  // StateDirectory=rigkeeper is /var/lib/rigkeeper, the default state_dir; RuntimeDirectory is
  // the folder of the drop-in's control socket.
  EXPECT_TRUE(has_line(unit, "StateDirectory=rigkeeper"));
  EXPECT_TRUE(has_line(unit, "RuntimeDirectory=rigkeeper"));
  EXPECT_TRUE(has_line(unit, "Restart=on-failure"));
  // rigkeeperd always speaks the notify protocol (agent/core/systemd_notify.h).
  EXPECT_TRUE(has_line(unit, "Type=notify"));
  EXPECT_NE(unit.find("\nWatchdogSec="), std::string::npos);
}

// The unit starts /usr/sbin/rigkeeperd: the install rule must put it there (the package's
// prefix is /usr), on the first configure of a fresh build folder too.
TEST(PackagedFiles, DaemonIsInstalledWhereTheUnitStartsIt) {
  const std::string rules = read_file(fs::path(RK_BINARY_DIR) / "agent/core/cmake_install.cmake");
  ASSERT_FALSE(rules.empty());
  EXPECT_NE(rules.find("DESTINATION \"${CMAKE_INSTALL_PREFIX}/sbin\""), std::string::npos) << rules;
}

TEST(PackagedFiles, UnitIsHardened) {
  const std::string unit = read_file(RK_UNIT_FILE);
  for (const char* line :
       {"NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
        "CapabilityBoundingSet=", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6"})
    EXPECT_TRUE(has_line(unit, line)) << line;
}

}  // namespace
}  // namespace rigkeeper::agent
