// Every reply the simulator sends for a captured command has the capture's sections, keys,
// key order and value types (numbers stay numbers, strings stay strings, ints stay ints).
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "tests/unit/sim/sim_test_util.h"

namespace rigkeeper::drivers::sim::test {
namespace {

using Json = nlohmann::ordered_json;

std::string type_class(const Json& v) {
  if (v.is_number_float()) return "float";
  if (v.is_number()) return "integer";
  return v.type_name();
}

// Same keys in the same order (or the same set), same value types, recursively; arrays of
// objects are compared element-wise against the capture's element at the same index, or its
// first one when the capture has fewer.
void expect_same_shape(const Json& mine, const Json& capture, const std::string& path,
                       bool ordered) {
  if (type_class(mine) != type_class(capture)) {
    ADD_FAILURE() << path << " is " << type_class(mine) << ", the capture has "
                  << type_class(capture);
    return;
  }
  if (mine.is_object()) {
    if (ordered) {
      EXPECT_EQ(key_list(mine), key_list(capture)) << path;
    } else {
      EXPECT_EQ(key_set(mine), key_set(capture)) << path;
    }
    for (auto it = mine.begin(); it != mine.end(); ++it) {
      if (capture.contains(it.key())) {
        expect_same_shape(it.value(), capture[it.key()], path + "." + it.key(), ordered);
      }
    }
  } else if (mine.is_array() && !capture.empty()) {
    ASSERT_FALSE(mine.empty()) << path << " is empty, the capture is not";
    for (size_t i = 0; i < mine.size(); ++i) {
      const Json& c = i < capture.size() ? capture[i] : capture[0];
      expect_same_shape(mine[i], c, path + "[" + std::to_string(i) + "]", ordered);
    }
  }
}

struct Case {
  Family family;
  const char* model;
  const char* command;
  const char* parameter;
  const char* fixture;
  bool ordered;
};

class ResponderShape : public ::testing::TestWithParam<Case> {};

TEST_P(ResponderShape, MatchesCapture) {
  const Case& c = GetParam();
  AsicDevice device(identity_of(c.family, c.model), t0());
  const auto r = reading_of(device, std::chrono::seconds(3600));
  const Json mine = reply_of(c.family, c.command, r, c.parameter);
  const Json capture = fixture_json(c.fixture);
  ASSERT_TRUE(mine.contains("STATUS")) << mine.dump();
  EXPECT_EQ(mine["STATUS"][0]["STATUS"], "S") << mine.dump().substr(0, 300);
  expect_same_shape(mine, capture, c.command, c.ordered);
}

INSTANTIATE_TEST_SUITE_P(
    Captures, ResponderShape,
    ::testing::Values(
        Case{Family::kAntminer, "Antminer S19 Pro", "version", "",
             "asic/antminer_stock/version.json", true},
        Case{Family::kAntminer, "Antminer S19 Pro", "summary", "",
             "asic/antminer_stock/summary.json", true},
        Case{Family::kAntminer, "Antminer S19 Pro", "stats", "", "asic/antminer_stock/stats.json",
             true},
        Case{Family::kAntminer, "Antminer S19 Pro", "devs", "", "asic/antminer_stock/devs.json",
             true},
        Case{Family::kAntminer, "Antminer S19 Pro", "pools", "", "asic/antminer_stock/pools.json",
             true},
        Case{Family::kAntminer, "Antminer S21", "stats", "", "asic/antminer_stock/stats.json",
             true},
        Case{Family::kLuxos, "Antminer S19k Pro", "version", "", "asic/luxos/version.json", true},
        Case{Family::kLuxos, "Antminer S19k Pro", "summary", "", "asic/luxos/summary.json", true},
        Case{Family::kLuxos, "Antminer S19k Pro", "stats", "", "asic/luxos/stats.json", true},
        Case{Family::kLuxos, "Antminer S19k Pro", "devs", "", "asic/luxos/devs.json", true},
        Case{Family::kLuxos, "Antminer S19k Pro", "pools", "", "asic/luxos/pools.json", true},
        Case{Family::kLuxos, "Antminer S19k Pro", "fans", "", "asic/luxos/fans.json", true},
        Case{Family::kLuxos, "Antminer S19k Pro", "temps", "", "asic/luxos/temps.json", true},
        Case{Family::kLuxos, "Antminer S19k Pro", "power", "", "asic/luxos/power.json", true},
        Case{Family::kLuxos, "Antminer S19k Pro", "profiles", "", "asic/luxos/profiles.json", true},
        Case{Family::kLuxos, "Antminer S19k Pro", "config", "", "asic/luxos/config.json", true},
        Case{Family::kLuxos, "Antminer S19k Pro", "healthchipget", "0",
             "asic/luxos/healthchipget_board0.json", true},
        Case{Family::kLuxos, "Antminer S19k Pro", "voltageget", "0",
             "asic/luxos/voltageget_board0.json", true},
        Case{Family::kLuxos, "Antminer S19 XP", "stats", "", "asic/luxos/stats.json", true},
        Case{Family::kBraiins, "Antminer S19j Pro", "fans", "",
             "asic/braiins/cgminer_api_fans_boser.json", true},
        Case{Family::kBraiins, "Antminer S19j Pro", "version", "",
             "asic/braiins/cgminer_api_version_boser.json", true}),
    [](const ::testing::TestParamInfo<Case>& p) {
      std::string name = std::string(driver_name(p.param.family)) + "_" + p.param.command + "_" +
                         std::to_string(p.index);
      return name;
    });

TEST(ResponderShape, TheShapeCheckDetectsADifferentFirmware) {
  AsicDevice device(identity_of(Family::kAntminer, "Antminer S19 Pro"), t0());
  const Json stock =
      reply_of(Family::kAntminer, "summary", reading_of(device, std::chrono::seconds(60)));
  const Json capture = fixture_json("asic/antminer_stock/summary.json");
  Json retyped = stock;
  retyped["SUMMARY"][0]["GHS 5s"] = "110000.00";
  EXPECT_NONFATAL_FAILURE(expect_same_shape(retyped, capture, "summary", true), "GHS 5s");
  Json renamed = stock;
  renamed["SUMMARY"][0].erase("Elapsed");
  EXPECT_NONFATAL_FAILURE(expect_same_shape(renamed, capture, "summary", true), "summary");
}

TEST(ResponderShape, LuxosProfilesMatchTheCapturedS19kProTable) {
  AsicDevice device(identity_of(Family::kLuxos, "Antminer S19k Pro"), t0());
  const Json mine =
      reply_of(Family::kLuxos, "profiles", reading_of(device, std::chrono::seconds(60)));
  const Json capture = fixture_json("asic/luxos/profiles.json");
  ASSERT_EQ(mine["PROFILES"].size(), capture["PROFILES"].size());
  for (size_t i = 0; i < mine["PROFILES"].size(); ++i) {
    const auto& m = mine["PROFILES"][i];
    const auto& c = capture["PROFILES"][i];
    EXPECT_EQ(m["Profile Name"], c["Profile Name"]);
    EXPECT_EQ(m["Step"], c["Step"]);
    EXPECT_EQ(m["Frequency"], c["Frequency"]);
    EXPECT_NEAR(m["Voltage"].get<double>(), c["Voltage"].get<double>(), 0.01);
    EXPECT_NEAR(m["Hashrate"].get<double>(), c["Hashrate"].get<double>(),
                0.1 + 0.002 * c["Hashrate"].get<double>());
    // Power is modelled, not tabled: within 12 % of the real firmware's estimate.
    EXPECT_NEAR(m["Watts"].get<double>(), c["Watts"].get<double>(),
                0.12 * c["Watts"].get<double>());
  }
}

TEST(ResponderShape, ErrorRepliesMatchTheirCaptures) {
  AsicDevice device(identity_of(Family::kAntminer, "Antminer S19 Pro"), t0());
  const auto r = reading_of(device, std::chrono::seconds(10));
  const Json invalid = reply_of(Family::kAntminer, "nosuchcommand", r);
  const Json invalid_capture = fixture_json("asic/errors/invalid_command_s19pro_stock.json");
  EXPECT_EQ(key_set(invalid), key_set(invalid_capture));
  EXPECT_EQ(key_set(invalid["STATUS"][0]), key_set(invalid_capture["STATUS"][0]));
  EXPECT_EQ(invalid["STATUS"][0]["Code"], 14);
  EXPECT_EQ(invalid["STATUS"][0]["Msg"], invalid_capture["STATUS"][0]["Msg"]);
  EXPECT_EQ(invalid["STATUS"][0]["STATUS"], "E");

  const Json denied = reply_of(Family::kAntminer, "devdetails", r);
  const Json denied_capture = fixture_json("asic/errors/devdetails_access_denied_hiveon.json");
  EXPECT_EQ(key_list(denied), key_list(denied_capture));
  EXPECT_EQ(key_list(denied["STATUS"][0]), key_list(denied_capture["STATUS"][0]));
  EXPECT_EQ(denied["STATUS"][0]["Code"], 45);
  EXPECT_EQ(denied["STATUS"][0]["Msg"], denied_capture["STATUS"][0]["Msg"]);
}

TEST(ResponderShape, LuxosEventsCarryTheCapturedKeys) {
  AsicDevice device(identity_of(Family::kLuxos, "Antminer S19k Pro"), t0());
  HealthEffects effects;
  effects.board_dead[1] = true;
  effects.labels = {"board_dead:1"};
  const Json mine =
      reply_of(Family::kLuxos, "events", reading_of(device, std::chrono::seconds(60), effects));
  const Json capture = fixture_json("asic/luxos/events.json");
  EXPECT_EQ(key_list(mine), key_list(capture));
  ASSERT_EQ(mine["EVENTS"].size(), 1u);
  // The capture's board event (with "ID") is the second entry.
  EXPECT_EQ(key_list(mine["EVENTS"][0]), key_list(capture["EVENTS"][1]));
  EXPECT_EQ(mine["EVENTS"][0]["Code"], "REBOOT_NOT_HASHING");
  EXPECT_EQ(mine["EVENTS"][0]["ID"], 1);

  const Json none =
      reply_of(Family::kLuxos, "events", reading_of(device, std::chrono::seconds(70)));
  EXPECT_TRUE(none["EVENTS"].empty());
}

TEST(ResponderShape, StockQuirksArePreserved) {
  AsicDevice device(identity_of(Family::kAntminer, "Antminer S19 Pro"), t0());
  const auto r = reading_of(device, std::chrono::seconds(600));
  const Json stats = reply_of(Family::kAntminer, "stats", r)["STATS"][1];
  EXPECT_TRUE(stats["chain_rate1"].is_string());
  EXPECT_EQ(stats["chain_rate4"], "");
  EXPECT_EQ(stats["temp_pcb4"], "0-0-0-0");
  EXPECT_EQ(stats["chain_acn1"], 114);
  EXPECT_EQ(stats["chain_acs1"].get<std::string>().size(), 114u + 38u);  // " ooo" x 38
  EXPECT_EQ(stats["rate_unit"], "GH");
  EXPECT_EQ(stats["temp_max"], 0);
  const double rates = std::stod(stats["chain_rate1"].get<std::string>()) +
                       std::stod(stats["chain_rate2"].get<std::string>()) +
                       std::stod(stats["chain_rate3"].get<std::string>());
  EXPECT_NEAR(rates, stats["GHS 5s"].get<double>(), 0.05);
  EXPECT_NEAR(stats["GHS 5s"].get<double>(), 110000.0, 110000.0 * 0.08);
  const Json devs = reply_of(Family::kAntminer, "devs", r)["DEVS"][0];
  EXPECT_TRUE(devs.contains("Tenperature"));
  EXPECT_FALSE(devs.contains("Temperature"));
  const Json pools = reply_of(Family::kAntminer, "pools", r)["POOLS"][0];
  EXPECT_TRUE(pools.contains("Pool Stale%%"));
}

}  // namespace
}  // namespace rigkeeper::drivers::sim::test
