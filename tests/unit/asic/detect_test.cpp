// Identification from probes built of captures (pure), and the registry's view of the drivers.
#include <gtest/gtest.h>

#include "drivers/api/registry.h"
#include "drivers/detect.h"
#include "tests/unit/asic/asic_test_util.h"

namespace rigkeeper::drivers {
namespace {

using nlohmann::json;

Probe probe_of(const char* version, const char* devdetails = nullptr) {
  Probe p;
  if (version) p.cgminer_version = test::load_json(version);
  if (devdetails) p.cgminer_devdetails = test::load_json(devdetails);
  return p;
}

TEST(Registry, ListsTheFourAsicDriversReadOnly) {
  for (const char* name : {"antminer", "luxos", "braiins", "cgminer"}) {
    const DriverInfo* d = find_driver(name);
    ASSERT_NE(d, nullptr) << name;
    EXPECT_TRUE(d->capabilities & kCapRead);  // LuxOS control: tests/unit/luxos_control
    EXPECT_EQ(d->default_port, 4028);
    EXPECT_TRUE(d->match && d->identify && d->create);
    EXPECT_FALSE(d->description.empty());
  }
  EXPECT_EQ(find_driver("antminer")->firmware, "stock");
  EXPECT_EQ(find_driver("cgminer")->firmware, "cgminer");
}

TEST(Detect, StockAntminer) {
  auto d = detect_from_probe(probe_of("asic/antminer_stock/version.json"));
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->driver->name, "antminer");
  EXPECT_EQ(d->identity.driver, "antminer");
  EXPECT_EQ(d->identity.make, "Bitmain");
  EXPECT_EQ(d->identity.model, "Antminer S19 Pro");
  EXPECT_EQ(d->identity.firmware, "stock");
  EXPECT_EQ(d->identity.firmware_version, "49.0.1.3");
}

TEST(Detect, StockAntminerWithDevdetailsDenied) {
  // detect() drops a denied reply; a probe that still carries it must not change the answer.
  auto d = detect_from_probe(probe_of("asic/antminer_stock/version.json",
                                      "asic/errors/devdetails_access_denied_hiveon.json"));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->driver->name, "antminer");
}

TEST(Detect, LuxosEvenThoughItsTypeSaysAntminer) {
  auto d = detect_from_probe(probe_of("asic/luxos/version.json"));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->driver->name, "luxos");
  EXPECT_EQ(d->identity.model, "Antminer S19k Pro");
  EXPECT_EQ(d->identity.make, "Bitmain");
  EXPECT_EQ(d->identity.firmware, "luxos");
  EXPECT_EQ(d->identity.firmware_version, "2025.4.8.220305-57b389c7");
}

TEST(Detect, BraiinsBoserBothGenerations) {
  auto d = detect_from_probe(probe_of("asic/braiins/cgminer_api_version_boser.json"));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->driver->name, "braiins");
  EXPECT_EQ(d->identity.firmware, "braiins");
  EXPECT_EQ(d->identity.firmware_version, "boser-buildroot 0.1.0-0ce150e9");
  EXPECT_EQ(d->identity.model, "");  // version names no model

  auto old = detect_from_probe(probe_of("asic/braiins/v21_09_version.json"));
  ASSERT_TRUE(old);
  EXPECT_EQ(old->driver->name, "braiins");
  EXPECT_EQ(old->identity.firmware_version, "boser-openwrt 0.1.0-11012d53");

  Probe with_model = probe_of("asic/braiins/cgminer_api_version_boser.json");
  with_model.cgminer_devdetails = test::reply_with(
      "DEVDETAILS", {{{"ID", 1}, {"Chips", 114}, {"Model", "Bitmain Antminer S19 Pro"}}});
  EXPECT_EQ(detect_from_probe(with_model)->identity.model, "Antminer S19 Pro");
}

TEST(Detect, UnknownFirmwareFallsBackToGenericCgminer) {
  // Upstream cgminer 4.11.1 without any family's token (the Avalon captures used to play this
  // part; Avalon is a family of its own now: tests/unit/avalon).
  Probe p;
  p.cgminer_version =
      test::reply_with("VERSION", {{{"CGMiner", "4.11.1"}, {"API", "3.7"}}}, "cgminer 4.11.1");
  p.cgminer_devdetails = test::reply_with(
      "DEVDETAILS", {{{"DEVDETAILS", 0}, {"Name", "BTM"}, {"ID", 0}, {"Model", "S9"}}},
      "cgminer 4.11.1");
  auto d = detect_from_probe(p);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->driver->name, "cgminer");
  EXPECT_EQ(d->identity.firmware, "cgminer");  // the contract's "unrecognised cgminer firmware"
  EXPECT_EQ(d->identity.firmware_version, "4.11.1");
}

TEST(Detect, AntminerTypeFromOtherFirmwareIsNotStock) {
  Probe hiveon;
  hiveon.cgminer_version = test::reply_with(
      "VERSION", {{{"BMMiner", "1.0.0"}, {"Type", "Antminer S19JPRO HIVEON"}}}, "bmminer 1.0.0");
  auto d = detect_from_probe(hiveon);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->driver->name, "cgminer");
  EXPECT_EQ(d->identity.model, "Antminer S19JPRO HIVEON");

  // VNish keeps bmminer's version reply but names itself in Type: its own driver claims it.
  Probe vnish;
  vnish.cgminer_version = test::reply_with(
      "VERSION", {{{"BMMiner", "1.0.0"}, {"Type", "Antminer S19j Pro (Vnish 1.2.0)"}}});
  EXPECT_EQ(detect_from_probe(vnish)->driver->name, "vnish");
}

TEST(Detect, NothingRecognisableFails) {
  auto none = detect_from_probe(Probe{});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::kUnsupported);
  Probe odd;
  odd.cgminer_version = json{{"hello", "world"}};
  odd.cgminer_devdetails = json::array({1, 2, 3});
  auto r = detect_from_probe(odd);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
}

}  // namespace
}  // namespace rigkeeper::drivers
