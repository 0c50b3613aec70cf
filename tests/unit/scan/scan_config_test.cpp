// --write-config: ids never reused, hosts never added twice, the result loads with the
// daemon's loader, and a result that would not load leaves the file untouched.
#include <fstream>

#include <gtest/gtest.h>

#include "agent/cli/scan_config.h"
#include "agent/config/config.h"
#include "drivers/api/registry.h"
#include "tests/support/fixtures.h"
#include "tests/support/temp_dir.h"

namespace rigkeeper::cli {
namespace {

ScanFound found(const std::string& host, const std::string& driver, uint16_t port = 4028) {
  ScanFound f;
  f.host = host;
  f.port = port;
  f.driver = drivers::find_driver(driver);
  EXPECT_NE(f.driver, nullptr) << driver;
  f.identity.driver = driver;
  f.identity.make = "Bitmain";
  f.identity.model = "Antminer S19 Pro";
  f.identity.firmware = f.driver->firmware;
  return f;
}

void write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }

TEST(ScanConfig, IdsFromTheAddressNeverReused) {
  EXPECT_EQ(device_id_for("10.0.0.7", {}), "miner-10-0-0-7");
  EXPECT_EQ(device_id_for("10.0.0.7", {"miner-10-0-0-7"}), "miner-10-0-0-7-2");
  EXPECT_EQ(device_id_for("10.0.0.7", {"miner-10-0-0-7", "miner-10-0-0-7-2"}), "miner-10-0-0-7-3");
}

TEST(ScanConfig, NewFileLoadsWithEveryDevice) {
  test::TempDir dir;
  const auto file = dir / "rigkeeper.toml";
  const std::vector<ScanFound> devices = {found("10.0.0.7", "antminer"),
                                          found("10.0.0.8", "luxos", 4029)};
  auto written = append_devices(file, devices, "rigkeeper scan 10.0.0.0/24");
  ASSERT_TRUE(written) << written.error().message;
  ASSERT_EQ(written->added.size(), 2u);
  auto config = agent::load_config(file);
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->devices.size(), 2u);
  EXPECT_EQ(config->devices[0].id, "miner-10-0-0-7");
  EXPECT_EQ(config->devices[0].driver, "antminer");
  EXPECT_EQ(config->devices[0].host, "10.0.0.7");
  EXPECT_FALSE(config->devices[0].port);  // the driver's default is not written
  EXPECT_EQ(config->devices[1].port, 4029);
  EXPECT_NE(test::read_file(file).find("# Added by rigkeeper scan 10.0.0.0/24"), std::string::npos);
}

TEST(ScanConfig, AppendsKeepingWhatIsThereAndSkippingKnownHosts) {
  test::TempDir dir;
  const auto file = dir / "rigkeeper.toml";
  const std::string original =
      "# my rack\n[agent]\nsite = \"hq\"\nrack = \"r1\"\n\n[[devices]]\nid = \"miner-10-0-0-7\"\n"
      "host = \"10.9.9.9\"\n\n[[devices]]\nid = \"old\"\nhost = \"10.0.0.8\"\n";
  write(file, original);
  const std::vector<ScanFound> devices = {found("10.0.0.7", "antminer"),
                                          found("10.0.0.8", "antminer")};
  auto written = append_devices(file, devices, "rigkeeper scan 10.0.0.7-8");
  ASSERT_TRUE(written) << written.error().message;
  ASSERT_EQ(written->added.size(), 1u);
  EXPECT_EQ(written->added[0].id, "miner-10-0-0-7-2");
  EXPECT_EQ(written->skipped, std::vector<std::string>{"10.0.0.8"});
  const std::string text = test::read_file(file);
  EXPECT_EQ(text.rfind(original, 0), 0u) << "the original text must stay as it was";
  auto config = agent::load_config(file);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->site, "hq");
  ASSERT_EQ(config->devices.size(), 3u);
  EXPECT_EQ(config->devices[2].host, "10.0.0.7");

  // Scanning the same range again adds nothing and leaves the file as it is.
  auto again = append_devices(file, devices, "rigkeeper scan 10.0.0.7-8");
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->added.empty());
  EXPECT_EQ(test::read_file(file), text);
}

TEST(ScanConfig, DropInIdsAreTakenToo) {
  test::TempDir dir;
  const auto file = dir / "rigkeeper.toml";
  std::filesystem::create_directories(dir / "rigkeeper.d");
  write(file, "[agent]\nsite = \"hq\"\n");
  write(dir / "rigkeeper.d" / "10-rack.toml",
        "[[devices]]\nid = \"miner-10-0-0-7\"\nhost = \"10.1.1.1\"\n");
  auto written = append_devices(file, {found("10.0.0.7", "antminer")}, "scan");
  ASSERT_TRUE(written) << written.error().message;
  ASSERT_EQ(written->added.size(), 1u);
  EXPECT_EQ(written->added[0].id, "miner-10-0-0-7-2");
  EXPECT_TRUE(agent::load_config(file));
}

TEST(ScanConfig, AnInvalidExistingFileIsLeftAlone) {
  test::TempDir dir;
  const auto file = dir / "rigkeeper.toml";
  const std::string broken = "[agent]\nsite = \"hq\"\npoll_intervall_s = 3\n";
  write(file, broken);
  auto written = append_devices(file, {found("10.0.0.7", "antminer")}, "scan");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, Errc::kConfig);
  EXPECT_NE(written.error().message.find("poll_intervall_s"), std::string::npos)
      << written.error().message;
  EXPECT_EQ(test::read_file(file), broken);
  EXPECT_FALSE(std::filesystem::exists(dir / "rigkeeper.toml.scan-tmp"));
}

}  // namespace
}  // namespace rigkeeper::cli
