// The simulated Whatsminer against the real captures: every reply the sim gives has the
// capture's keys, in the capture's order, with the capture's value types (integer, float,
// string, bool); the flat STATUS of get_*; the inverted btmineroff; and the API v3
// get.device.info of the M60S.
#include <gtest/gtest.h>

#include "drivers/sim/whatsminer_firmware.h"
#include "tests/unit/sim/sim_test_util.h"

namespace rigkeeper::drivers::sim {
namespace {

using OJson = nlohmann::ordered_json;

std::string type_of(const OJson& v) {
  if (v.is_number_float()) return "float";
  if (v.is_number()) return "int";
  return v.type_name();
}

// Same keys in the same order and the same type per key, recursively into objects.
void expect_same_shape(const OJson& sim, const OJson& cap, const std::string& where) {
  ASSERT_TRUE(sim.is_object()) << where;
  EXPECT_EQ(test::key_list(sim), test::key_list(cap)) << where;
  for (auto it = cap.begin(); it != cap.end(); ++it) {
    if (!sim.contains(it.key())) continue;
    const auto& s = sim[it.key()];
    EXPECT_EQ(type_of(s), type_of(*it)) << where << "." << it.key();
    if (it->is_object() && s.is_object()) expect_same_shape(s, *it, where + "." + it.key());
  }
}

struct Device {
  AsicDevice device;
  DeviceReading reading;
  explicit Device(std::string_view model)
      : device(test::identity_of(Family::kWhatsminer, model), test::t0()),
        reading(test::reading_of(device, std::chrono::seconds(3600))) {}
};

TEST(WhatsminerResponder, SectionRepliesMatchCaptures) {
  Device d("M30S++_VH60");
  for (auto [cmd, section] :
       {std::pair{"summary", "SUMMARY"}, std::pair{"devs", "DEVS"}, std::pair{"pools", "POOLS"}}) {
    const auto cap = test::fixture_json(std::string("asic/whatsminer/") + cmd + ".json");
    const auto sim = test::reply_of(Family::kWhatsminer, cmd, d.reading);
    EXPECT_EQ(test::key_list(sim), test::key_list(cap)) << cmd;
    expect_same_shape(sim["STATUS"][0], cap["STATUS"][0], std::string(cmd) + ".STATUS");
    ASSERT_FALSE(sim[section].empty()) << cmd;
    expect_same_shape(sim[section][0], cap[section][0], cmd);
  }
  const auto summary = test::reply_of(Family::kWhatsminer, "summary", d.reading);
  EXPECT_EQ(summary["STATUS"][0]["Description"], "cgminer 4.9.2");
  EXPECT_EQ(test::reply_of(Family::kWhatsminer, "devs", d.reading)["DEVS"].size(), 3u);
}

TEST(WhatsminerResponder, FlatRepliesMatchCaptures) {
  Device d("M30S++_VH60");
  for (auto cmd : {"status", "get_version", "get_psu"}) {
    const auto cap = test::fixture_json(std::string("asic/whatsminer/") + cmd + ".json");
    const auto sim = test::reply_of(Family::kWhatsminer, cmd, d.reading);
    expect_same_shape(sim, cap, cmd);
  }
  const auto v = test::reply_of(Family::kWhatsminer, "get_version", d.reading);
  EXPECT_EQ(v["Msg"]["fw_ver"], "20210322.22.REL");
  EXPECT_EQ(v["Description"], "whatsminer v1.4.0");
}

TEST(WhatsminerResponder, BtmineroffIsInvertedOnOldFirmware) {
  Device d("M30S++_VH60");
  EXPECT_EQ(test::reply_of(Family::kWhatsminer, "status", d.reading)["Msg"]["btmineroff"], "true");
  d.device.sleep(test::t0() + std::chrono::seconds(3600));
  const auto asleep = test::reading_of(d.device, std::chrono::seconds(3700));
  EXPECT_EQ(asleep.state, PowerState::kSleeping);
  EXPECT_EQ(test::reply_of(Family::kWhatsminer, "status", asleep)["Msg"]["btmineroff"], "false");
}

TEST(WhatsminerResponder, NewFirmwareSendsLiteralMineroff) {
  Device d("M60S_VK40");
  const auto st = test::reply_of(Family::kWhatsminer, "status", d.reading);
  EXPECT_EQ(st["Msg"]["mineroff"], "false");
  EXPECT_FALSE(st["Msg"].contains("btmineroff"));
}

TEST(WhatsminerResponder, V3DeviceInfoMatchesCapture) {
  Device d("M60S_VK40");
  const DeviceAccess access{&d.device, test::t0() + std::chrono::seconds(3600)};
  const auto reply = whatsminer::v3_answer(R"({"cmd":"get.device.info"})", d.reading, access);
  const auto cap = test::fixture_json("asic/whatsminer/v3_get.device.info.json");
  expect_same_shape(OJson::parse(reply.dump()), cap, "get.device.info");
  EXPECT_EQ(reply["msg"]["miner"]["type"], "M60S_VK40");
  EXPECT_EQ(reply["msg"]["system"]["fwversion"], "20251209.16.Rel2");
  const auto salt_only =
      whatsminer::v3_answer(R"({"cmd":"get.device.info","param":"salt"})", d.reading, access);
  EXPECT_EQ(salt_only["msg"]["salt"], reply["msg"]["salt"]);
  EXPECT_EQ(salt_only["msg"].size(), 1u);
}

TEST(WhatsminerResponder, V3RejectsBadRequestsAndTokens) {
  Device d("M60S_VK40");
  const DeviceAccess access{&d.device, test::t0() + std::chrono::seconds(3600)};
  EXPECT_EQ(whatsminer::v3_answer("not json", d.reading, access)["code"], -3);
  EXPECT_EQ(whatsminer::v3_answer(R"({"cmd":"get.nothing"})", d.reading, access)["code"], -2);
  const auto bad = whatsminer::v3_answer(
      R"({"cmd":"set.miner.service","param":"stop","ts":1760003600,"account":"super",)"
      R"("token":"AAAAAAAA"})",
      d.reading, access);
  EXPECT_EQ(bad["code"], -4);
  EXPECT_EQ(d.device.state(access.now), PowerState::kMining);  // nothing happened
}

}  // namespace
}  // namespace rigkeeper::drivers::sim
