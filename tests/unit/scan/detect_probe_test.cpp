// Identification from constructed probes: each family's markers (cgminer tokens, web realm
// and body, VNish info, Whatsminer v3), the generic fallback with its warning, and nothing
// recognised. A family whose driver is not built into this tree is skipped, saying so.
#include <gtest/gtest.h>

#include "drivers/api/registry.h"
#include "drivers/detect.h"
#include "tests/support/fixtures.h"

namespace rigkeeper::drivers {
namespace {

nlohmann::json fixture_json(const std::string& path) {
  return nlohmann::json::parse(test::read_fixture(path));
}

WebProbe page(std::string path, long status, std::string body, std::string realm = "") {
  WebProbe w;
  w.url = "http://10.0.0.7" + path;
  w.status = status;
  w.body = std::move(body);
  w.realm = std::move(realm);
  return w;
}

bool firmware_built(const std::string& firmware) {
  for (const auto* d : all_drivers())
    if (d->firmware == firmware) return true;
  return false;
}

/// Asserts that `probe` is identified as `firmware` (the contract's value).
void expect_firmware(const Probe& probe, const std::string& firmware) {
  auto d = detect_from_probe(probe);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->identity.firmware, firmware) << "driver " << d->driver->name;
  EXPECT_EQ(d->driver->firmware, firmware);
  EXPECT_EQ(d->identity.driver, d->driver->name);
}

#define REQUIRE_FIRMWARE(fw) \
  if (!firmware_built(fw)) GTEST_SKIP() << "no driver for firmware '" << (fw) << "' in this build"

TEST(DetectProbe, StockAntminerFromVersion) {
  Probe p;
  p.cgminer_version = fixture_json("asic/antminer_stock/version.json");
  expect_firmware(p, "stock");
  auto d = detect_from_probe(p);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->identity.model, "Antminer S19 Pro");
  EXPECT_TRUE(d->warnings.empty()) << d->warnings.front();
}

TEST(DetectProbe, StockAntminerWithItsWebRealm) {
  Probe p;
  p.cgminer_version = fixture_json("asic/antminer_stock/version.json");
  p.web.push_back(page("/", 401, "", "antMiner Configuration"));
  expect_firmware(p, "stock");
}

TEST(DetectProbe, LuxosFromVersion) {
  Probe p;
  p.cgminer_version = fixture_json("asic/luxos/version.json");
  expect_firmware(p, "luxos");
}

TEST(DetectProbe, BraiinsFromBoserVersion) {
  Probe p;
  p.cgminer_version = fixture_json("asic/braiins/cgminer_api_version_boser.json");
  expect_firmware(p, "braiins");
}

TEST(DetectProbe, BraiinsFromItsWebPageAlone) {
  REQUIRE_FIRMWARE("braiins");
  Probe p;
  p.web.push_back(page("/", 200, "<html><head><title>Braiins OS</title></head></html>"));
  p.web.push_back(page("/api/v1/miner/details", 401, R"({"message":"Unauthorized"})"));
  auto d = detect_from_probe(p);
  if (!d) GTEST_SKIP() << "no driver claims a REST-only Braiins OS yet: " << d.error().message;
  EXPECT_EQ(d->identity.firmware, "braiins");
}

TEST(DetectProbe, VnishOutranksStockOnTheSameHardware) {
  REQUIRE_FIRMWARE("vnish");
  Probe p;  // VNish answers the cgminer API like bmminer; the web side tells it apart
  p.cgminer_version = fixture_json("asic/antminer_stock/version.json");
  p.web.push_back(page("/", 200, "<html><title>AnthillOS</title></html>"));
  p.web.push_back(page("/api/v1/info", 200,
                       R"({"miner":"Antminer S19j Pro","model":"s19jpro","fw_name":"Vnish",)"
                       R"("fw_version":"1.2.1","platform":"xil","install_type":"sd"})"));
  expect_firmware(p, "vnish");
}

TEST(DetectProbe, WhatsminerFromDevdetailsTokens) {
  REQUIRE_FIRMWARE("btminer");
  Probe p;
  p.cgminer_devdetails = nlohmann::json::parse(
      R"({"STATUS":[{"STATUS":"S","When":1761064196,"Code":69,"Msg":"Device Details",)"
      R"("Description":"btminer"}],"DEVDETAILS":[{"DEVDETAILS":0,"Name":"SM","ID":0,)"
      R"("Driver":"bitmicro","Kernel":"","Model":"M30S+_VE40"}],"id":1})");
  expect_firmware(p, "btminer");
}

TEST(DetectProbe, WhatsminerFromTheV3PortAlone) {
  REQUIRE_FIRMWARE("btminer");
  Probe p;
  p.whatsminer_v3 = fixture_json("asic/whatsminer/v3_get.device.info.json");
  expect_firmware(p, "btminer");
}

TEST(DetectProbe, AvalonFromVersion) {
  REQUIRE_FIRMWARE("avalon");
  Probe p;
  p.cgminer_version = fixture_json("asic/avalon/version.json");
  p.cgminer_devdetails = fixture_json("asic/avalon/devdetails.json");
  expect_firmware(p, "avalon");
}

TEST(DetectProbe, UnknownCgminerIsAGenericReadWithAWarning) {
  Probe p;
  p.cgminer_version = nlohmann::json::parse(
      R"({"STATUS":[{"STATUS":"S","When":1,"Code":22,"Msg":"CGMiner versions",)"
      R"("Description":"cgminer 4.11.1"}],"VERSION":[{"CGMiner":"4.11.1","API":"3.7"}],"id":1})");
  auto d = detect_from_probe(p);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->identity.firmware, "cgminer");
  EXPECT_EQ(d->driver->name, "cgminer");
  ASSERT_FALSE(d->warnings.empty());
  EXPECT_NE(d->warnings.front().find("not recognised"), std::string::npos) << d->warnings.front();
}

TEST(DetectProbe, UnknownModelOfAKnownFamilyWarnsNeverFails) {
  Probe p;
  auto version = fixture_json("asic/antminer_stock/version.json");
  version["VERSION"][0]["Type"] = "Antminer Z99 Hydro";
  p.cgminer_version = version;
  auto d = detect_from_probe(p);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->identity.firmware, "stock");
  EXPECT_EQ(d->identity.model, "Antminer Z99 Hydro");
  ASSERT_EQ(d->warnings.size(), 1u);
  EXPECT_NE(d->warnings[0].find("not in the model table"), std::string::npos) << d->warnings[0];
}

TEST(DetectProbe, NothingGatheredIsUnsupported) {
  auto d = detect_from_probe(Probe{});
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, Errc::kUnsupported);
}

TEST(DetectProbe, AnUnrelatedWebServerIsNotADevice) {
  Probe p;
  p.web.push_back(page("/", 200, "<html><title>Welcome to nginx!</title></html>"));
  p.web.push_back(page("/api/v1/info", 404, "Not Found"));
  auto d = detect_from_probe(p);
  ASSERT_FALSE(d) << "claimed by " << d->driver->name;
  EXPECT_EQ(d.error().code, Errc::kUnsupported);
}

TEST(DetectProbe, DefaultWebPathsAreUnauthenticatedFamilyEndpoints) {
  const auto paths = default_web_paths();
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/api/v1/info"), paths.end());
  for (const auto& path : paths) EXPECT_EQ(path.front(), '/') << path;
}

}  // namespace
}  // namespace rigkeeper::drivers
