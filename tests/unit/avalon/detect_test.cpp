// Recognising Avalon from version/devdetails captures, and the registry entry.
#include <gtest/gtest.h>

#include "drivers/api/registry.h"
#include "drivers/asic/avalon/identify.h"
#include "drivers/detect.h"
#include "tests/support/fixtures.h"

namespace rigkeeper::drivers {
namespace {

nlohmann::json capture(const std::string& path) {
  return nlohmann::json::parse(test::read_fixture(path));
}

TEST(AvalonDetect, AvalonQFromVersion) {
  Probe p;
  p.cgminer_version = capture("asic/avalon/version.json");
  EXPECT_EQ(avalon::match(p), 20);
  auto d = detect_from_probe(p);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->driver->name, "avalon");
  EXPECT_EQ(d->identity.make, "Canaan");
  EXPECT_EQ(d->identity.model, "Avalon Q");
  EXPECT_EQ(d->identity.firmware, "avalon");
  EXPECT_EQ(d->identity.firmware_version, "25052801_14a19a2");
}

TEST(AvalonDetect, Avalon1246FromVersion) {
  Probe p;
  p.cgminer_version = capture("asic/avalon/version_libminer.json");
  auto d = detect_from_probe(p);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->driver->name, "avalon");
  EXPECT_EQ(d->identity.model, "AvalonMiner 1246");
  EXPECT_EQ(d->identity.firmware_version, "21030201_4ec6bb0_09b1765");
}

TEST(AvalonDetect, DevdetailsAloneNamesTheAvalonDriver) {
  Probe p;
  p.cgminer_devdetails = capture("asic/avalon/devdetails.json");
  EXPECT_EQ(avalon::match(p), 20);
}

TEST(AvalonDetect, OtherFirmwareIsNotAvalon) {
  for (const char* f : {"asic/luxos/version.json", "asic/antminer_stock/version.json"}) {
    Probe p;
    p.cgminer_version = capture(f);
    EXPECT_EQ(avalon::match(p), 0) << f;
  }
  EXPECT_EQ(avalon::match(Probe{}), 0);
}

TEST(AvalonDetect, RegistryEntry) {
  const auto* info = find_driver("avalon");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->firmware, "avalon");
  EXPECT_EQ(info->default_port, 4028);
  EXPECT_EQ(capability_names(info->capabilities),
            (std::vector<std::string>{"read", "curtail", "resume", "switch_pool", "switch_profile",
                                      "reboot", "locate"}));
  ASSERT_EQ(info->config_keys.size(), 2u);
  EXPECT_EQ(info->config_keys[1].type, OptionType::kSecret);
}

}  // namespace
}  // namespace rigkeeper::drivers
