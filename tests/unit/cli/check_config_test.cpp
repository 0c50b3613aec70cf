// rigkeeper check-config: OK with the device count (exit 0), or every problem (exit 1).
#include <fstream>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"
#include "tests/unit/cli/cli_runner.h"

namespace rigkeeper::test {
namespace {

constexpr const char* kValid = R"(
[agent]
site = "s1"
rack = "r7"

[[devices]]
id = "s19-01"
host = "10.0.0.5"

[[devices]]
id = "s19-02"
host = "10.0.0.6"
driver = "antminer"
)";

constexpr const char* kTwoErrors = R"(
[agent]
site = "Not A Valid Name!"
poll_intervall_s = 10
)";

std::string write(const TempDir& dir, const std::string& name, const std::string& text) {
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

TEST(CheckConfig, ValidFileIsOkWithDeviceCount) {
  TempDir dir;
  const auto file = write(dir, "rigkeeper.toml", kValid);
  const auto run = rigkeeper_cli({"check-config", file});
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_EQ(run.output, file + ": OK (2 devices)\n");
}

TEST(CheckConfig, ValidFileJson) {
  TempDir dir;
  const auto file = write(dir, "rigkeeper.toml", kValid);
  const auto run = rigkeeper_cli({"check-config", file, "--json"});
  EXPECT_EQ(run.code, 0) << run.output;
  const auto j = single_json_line(run);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["devices"], 2);
  EXPECT_EQ(j["site"], "s1");
  EXPECT_EQ(j["rack"], "r7");
}

TEST(CheckConfig, InvalidFileListsEveryProblem) {
  TempDir dir;
  const auto file = write(dir, "rigkeeper.toml", kTwoErrors);
  const auto run = rigkeeper_cli({"check-config", file});
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_NE(run.output.find("site"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("poll_intervall_s"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("OK"), std::string::npos) << run.output;
}

TEST(CheckConfig, InvalidFileJsonHasOneEntryPerProblem) {
  TempDir dir;
  const auto file = write(dir, "rigkeeper.toml", kTwoErrors);
  const auto run = rigkeeper_cli({"check-config", "--json", file});
  EXPECT_EQ(run.code, 1) << run.output;
  const auto j = single_json_line(run);
  EXPECT_EQ(j["ok"], false);
  ASSERT_TRUE(j["errors"].is_array()) << j;
  EXPECT_GE(j["errors"].size(), 2u) << j;
}

TEST(CheckConfig, MissingFileIsConfigError) {
  TempDir dir;
  const auto run = rigkeeper_cli({"check-config", (dir / "absent.toml").string()});
  EXPECT_EQ(run.code, 1) << run.output;
  EXPECT_NE(run.output.find("absent.toml"), std::string::npos) << run.output;
}

TEST(CheckConfig, StdinIsRead) {
  EXPECT_EQ(rigkeeper_cli({"check-config", "-"}, kValid).code, 0);
  const auto bad = rigkeeper_cli({"check-config", "-"}, "this is [not toml");
  EXPECT_EQ(bad.code, 1) << bad.output;
  EXPECT_NE(bad.output.find("<stdin>"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace rigkeeper::test
