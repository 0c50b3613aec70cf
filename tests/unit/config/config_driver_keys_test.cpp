// Driver-specific keys of [[devices]]: checked against the chosen driver's declaration (or any
// driver's for "auto"), defaults and required keys applied. Fake drivers cover every option
// type; the real registry is checked for whatever drivers it holds.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/config/config.h"
#include "drivers/api/registry.h"
#include "tests/unit/config/config_test_util.h"

namespace rigkeeper::agent {
namespace {

using test::error_of;
using test::fake_drivers;
using ::testing::HasSubstr;

std::string device(const std::string& driver, const std::string& extra) {
  return "[[devices]]\nid = \"d\"\nhost = \"h\"\ndriver = \"" + driver + "\"\n" + extra;
}

TEST(ConfigDriverKeys, TypedValuesAndDefaults) {
  auto c = test::parse_with(device("alpha",
                                   "api_password = \"pw\"\nfan_min_pct = 55\n"
                                   "power_scale = 1\nled = true\n"),
                            fake_drivers());
  ASSERT_TRUE(c) << c.error().message;
  const auto& o = c->devices.at(0).options;
  EXPECT_EQ(o.get_string("api_password"), "pw");
  EXPECT_EQ(o.get_int("fan_min_pct"), 55);
  EXPECT_EQ(o.get_double("power_scale"), 1.0);  // an integer is accepted for a float key
  EXPECT_EQ(o.get_bool("led"), true);
  EXPECT_EQ(o.get_string("api_user"), "root");  // the driver's default
  EXPECT_FALSE(o.get_string("mode"));           // no default: stays unset
}

TEST(ConfigDriverKeys, ValuesAreCheckedAgainstTheDeclaration) {
  EXPECT_THAT(error_of(device("alpha", "fan_min_pct = 120\n"), fake_drivers()),
              HasSubstr("t.toml:5:1: devices[0].fan_min_pct: 120 is out of range: must be "
                        "between 0 and 100"));
  EXPECT_THAT(error_of(device("alpha", "led = 1\n"), fake_drivers()),
              HasSubstr("devices[0].led: expected a boolean, got an integer"));
  EXPECT_THAT(error_of(device("alpha", "fan_min_pc = 1\n"), fake_drivers()),
              HasSubstr("devices[0].fan_min_pc: unknown key for driver 'alpha'; did you mean "
                        "'fan_min_pct'?"));
  EXPECT_THAT(error_of(device("alpha", "token = \"t\"\n"), fake_drivers()),
              HasSubstr("devices[0].token: unknown key for driver 'alpha' (it is a key of "
                        "driver 'beta')"));
  EXPECT_THAT(error_of(device("beta", ""), fake_drivers()),
              HasSubstr("t.toml:1:1: devices[0]: missing key 'token', required by driver "
                        "'beta'"));
}

TEST(ConfigDriverKeys, AutoAcceptsAnyDriversKey) {
  // "mode" is a string for alpha and an integer 1..3 for beta: either fits.
  auto c = test::parse_with(device("auto", "api_user = \"admin\"\ntoken = \"t\"\nmode = 2\n"),
                            fake_drivers());
  ASSERT_TRUE(c) << c.error().message;
  const auto& o = c->devices.at(0).options;
  EXPECT_EQ(o.get_string("api_user"), "admin");
  EXPECT_EQ(o.get_int("mode"), 2);
  EXPECT_FALSE(o.get_int("fan_min_pct"));  // the driver is unknown yet: no defaults
  auto named = test::parse_with(device("auto", "mode = \"eco\"\n"), fake_drivers());
  ASSERT_TRUE(named) << named.error().message;
  EXPECT_EQ(named->devices.at(0).options.get_string("mode"), "eco");

  EXPECT_THAT(error_of(device("auto", "mode = true\n"), fake_drivers()),
              HasSubstr("devices[0].mode: expected a string, got a boolean (as driver 'alpha' "
                        "declares it)"));
  EXPECT_THAT(error_of(device("auto", "tokn = \"t\"\n"), fake_drivers()),
              HasSubstr("devices[0].tokn: unknown key; did you mean 'token'?"));
}

TEST(ConfigDriverKeys, OptionsForTheDetectedDriver) {
  auto c = test::parse_with(device("auto", "fan_min_pct = 40\ntoken = \"t\"\nmode = 3\n"),
                            fake_drivers());
  ASSERT_TRUE(c) << c.error().message;
  const DeviceEntry& d = c->devices.at(0);
  auto alpha = options_for_driver(*fake_drivers()[0], d);
  ASSERT_FALSE(alpha) << "alpha declares mode as a string; 3 must be refused";
  EXPECT_THAT(alpha.error().message,
              HasSubstr("device 'd': driver 'alpha': mode: expected a string, got an integer"));
  auto beta = options_for_driver(*fake_drivers()[1], d);
  ASSERT_TRUE(beta) << beta.error().message;
  EXPECT_EQ(beta->get_string("token"), "t");
  EXPECT_EQ(beta->get_int("mode"), 3);
  EXPECT_FALSE(beta->get_int("fan_min_pct"));  // alpha's key, dropped for beta

  auto without_token = test::parse_with(device("auto", ""), fake_drivers());
  ASSERT_TRUE(without_token);
  auto missing = options_for_driver(*fake_drivers()[1], without_token->devices.at(0));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kConfig);
  EXPECT_THAT(missing.error().message, HasSubstr("token: required by the driver but not set"));
}

// A valid value for a declared key, from its type and range.
drivers::OptionValue sample(const drivers::ConfigKey& key) {
  if (key.default_value) return *key.default_value;
  switch (key.type) {
    case drivers::OptionType::kInt:
      return int64_t(key.min.value_or(1));
    case drivers::OptionType::kDouble:
      return key.min.value_or(1.0);
    case drivers::OptionType::kBool:
      return true;
    default:
      return std::string("x");
  }
}

std::string toml_value(const drivers::OptionValue& v) {
  if (auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return "\"" + std::get<std::string>(v) + "\"";
}

TEST(ConfigDriverKeys, EveryRegisteredDriverAcceptsItsOwnKeys) {
  for (const auto* driver : drivers::all_drivers()) {
    std::string extra;
    for (const auto& key : driver->config_keys)
      extra += key.name + " = " + toml_value(sample(key)) + "\n";
    auto c = parse_config(device(driver->name, extra), "t.toml");
    ASSERT_TRUE(c) << driver->name << ": " << c.error().message;
    for (const auto& key : driver->config_keys)
      EXPECT_TRUE(c->devices.at(0).options.values().count(key.name))
          << driver->name << "." << key.name;
    EXPECT_TRUE(options_for_driver(*driver, c->devices.at(0))) << driver->name;
  }
  // Whatever the registry holds, a made-up driver name is refused.
  EXPECT_THAT(error_of(parse_config(device("nonexistent", ""), "t.toml")),
              HasSubstr("unknown driver 'nonexistent'"));
}

// [drivers.NAME]: per-family defaults (credentials) under every device of that driver; the
// device's own keys win, and auto devices carry them for the driver detection picks.
TEST(ConfigFamilyDefaults, ApplyUnderEachDeviceAndDeviceKeysWin) {
  auto c = test::parse_with(
      "[drivers.alpha]\napi_user = \"fleet\"\napi_password = \"family-pw\"\n"
      "fan_min_pct = 40\n" +
          device("alpha", "fan_min_pct = 70\n") +
          "[[devices]]\nid = \"e\"\nhost = \"h2\"\ndriver = \"auto\"\n",
      fake_drivers());
  ASSERT_TRUE(c) << c.error().message;
  const auto& d = c->devices.at(0);
  EXPECT_EQ(d.options.get_string("api_user"), "fleet");  // replaces the driver's default root
  EXPECT_EQ(d.options.get_string("api_password"), "family-pw");
  EXPECT_EQ(d.options.get_int("fan_min_pct"), 70);  // the device's own value wins
  const auto& e = c->devices.at(1);
  EXPECT_FALSE(e.options.get_string("api_password"));  // applied once the driver is known
  ASSERT_TRUE(e.family_defaults);
  EXPECT_EQ(e.family_defaults->at("alpha").get_string("api_password"), "family-pw");
}

TEST(ConfigFamilyDefaults, KeysAndDriversAreChecked) {
  EXPECT_THAT(error_of("[drivers.alpah]\napi_user = \"x\"\n", fake_drivers()),
              HasSubstr("drivers.alpah: unknown driver; did you mean 'alpha'?"));
  EXPECT_THAT(error_of("[drivers.alpha]\nfan_min_pct = 120\n", fake_drivers()),
              HasSubstr("drivers.alpha.fan_min_pct: 120 is out of range"));
  EXPECT_THAT(error_of("[drivers.alpha]\ntoken = \"t\"\n", fake_drivers()),
              HasSubstr("drivers.alpha.token: unknown key for driver 'alpha'"));
  EXPECT_THAT(error_of("drivers = 3\n", fake_drivers()), HasSubstr("drivers: expected a table"));
}

}  // namespace
}  // namespace rigkeeper::agent
