// rigkeeper --version and usage errors: the contract's exit code 1 whatever CLI11 reports.
#include <regex>

#include <gtest/gtest.h>

#include "rigkeeper/version.h"
#include "tests/unit/cli/cli_runner.h"

namespace rigkeeper::test {
namespace {

TEST(CliBasics, VersionPrintsVersionAndCommit) {
  const auto run = rigkeeper_cli({"--version"});
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(run.output, std::string("rigkeeper ") + kVersion + " (" + kGitCommit + ")\n");
  EXPECT_TRUE(
      std::regex_match(run.output, std::regex(R"(rigkeeper \d+\.\d+\.\d+ \([0-9a-z]+\)\n)")))
      << run.output;
}

TEST(CliBasics, NoSubcommandIsUsageError) {
  const auto run = rigkeeper_cli({});
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_NE(run.output.find("subcommand"), std::string::npos) << run.output;
}

TEST(CliBasics, UnknownFlagIsUsageError) {
  const auto run = rigkeeper_cli({"status", "--no-such-flag"});
  EXPECT_EQ(run.code, 1) << run.output;
}

TEST(CliBasics, MissingRequiredArgumentIsUsageError) {
  const auto run = rigkeeper_cli({"probe"});
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_NE(run.output.find("target"), std::string::npos) << run.output;
}

TEST(CliBasics, BadOptionValueIsUsageError) {
  EXPECT_EQ(rigkeeper_cli({"probe", "127.0.0.1", "--timeout", "soon"}).code, 1);
  EXPECT_EQ(rigkeeper_cli({"probe", "127.0.0.1", "--timeout", "0"}).code, 1);
  EXPECT_EQ(rigkeeper_cli({"history", "--limit", "-3"}).code, 1);
}

TEST(CliBasics, CommandsOfLaterIssuesAreNotRegistered) {
  for (const char* cmd : {"scan", "diag", "curtail", "keygen"}) {
    const auto run = rigkeeper_cli({cmd});
    EXPECT_EQ(run.code, 1) << cmd << ": " << run.output;
  }
}

TEST(CliBasics, HelpListsTheCommandsAndExitsZero) {
  const auto run = rigkeeper_cli({"--help"});
  EXPECT_EQ(run.code, 0);
  for (const char* cmd : {"probe", "status", "history", "check-config"})
    EXPECT_NE(run.output.find(cmd), std::string::npos) << cmd;
}

TEST(CliBasics, EveryCommandTakesJson) {
  for (const char* cmd : {"probe", "status", "history", "check-config"}) {
    const auto run = rigkeeper_cli({cmd, "--help"});
    EXPECT_EQ(run.code, 0) << cmd;
    EXPECT_NE(run.output.find("--json"), std::string::npos) << cmd;
  }
}

}  // namespace
}  // namespace rigkeeper::test
