#include "tests/unit/config/config_test_util.h"

#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>

#include "drivers/api/driver.h"

namespace rigkeeper::agent::test {

using drivers::ConfigKey;
using drivers::OptionType;
using drivers::OptionValue;

const config::DriverList& fake_drivers() {
  static const drivers::DriverInfo kAlpha{
      "alpha",
      "stock",
      "Test driver alpha.",
      drivers::kCapRead,
      4028,
      {
          ConfigKey{"api_user", OptionType::kString, OptionValue{std::string("root")}, "User."},
          ConfigKey{"api_password", OptionType::kSecret, std::nullopt, "Password."},
          ConfigKey{"fan_min_pct", OptionType::kInt, OptionValue{int64_t{30}}, "Fan floor.", 0.0,
                    100.0},
          ConfigKey{"power_scale", OptionType::kDouble, std::nullopt, "Scale.", 0.5, 2.0},
          ConfigKey{"led", OptionType::kBool, OptionValue{false}, "LED."},
          ConfigKey{"mode", OptionType::kString, std::nullopt, "Mode name."},
      },
  };
  static const drivers::DriverInfo kBeta{
      "beta",
      "luxos",
      "Test driver beta.",
      drivers::kCapRead,
      8080,
      {
          ConfigKey{"token", OptionType::kSecret, std::nullopt, "Token.", {}, {}, true},
          ConfigKey{"mode", OptionType::kInt, std::nullopt, "Mode number.", 1.0, 3.0},
      },
  };
  static const config::DriverList kDrivers = {&kAlpha, &kBeta};
  return kDrivers;
}

Result<AgentConfig> parse_with(std::string_view text, const config::DriverList& drivers,
                               const ConfigOverrides& overrides) {
  return config::parse_config_with(text, "t.toml", overrides, drivers);
}

std::string error_of(const Result<AgentConfig>& result) {
  if (result) {
    ADD_FAILURE() << "expected the config to be refused, but it loaded";
    return "";
  }
  EXPECT_EQ(result.error().code, Errc::kConfig);
  return result.error().message;
}

std::string error_of(std::string_view text, const config::DriverList& drivers,
                     const ConfigOverrides& overrides) {
  return error_of(parse_with(text, drivers, overrides));
}

void write_file(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

std::size_t line_count(std::string_view text) {
  if (text.empty()) return 0;
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
}

}  // namespace rigkeeper::agent::test
