#pragma once
/// Driver-specific configuration: each driver declares its keys (name, type, default, range,
/// doc); the agent's config loader validates a device's table against them and hands the
/// driver the typed values. Secrets are marked so that nothing ever logs them.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace rigkeeper::drivers {

enum class OptionType { kString, kInt, kDouble, kBool, kSecret };

using OptionValue = std::variant<bool, int64_t, double, std::string>;

/// One declared configuration key of a driver.
struct ConfigKey {
  std::string name;
  OptionType type = OptionType::kString;
  std::optional<OptionValue> default_value;  ///< nullopt: no default (optional key unless required)
  std::string doc;
  std::optional<double> min;  ///< for numbers
  std::optional<double> max;
  bool required = false;
};

/// A device's validated driver options, defaults applied.
class Options {
 public:
  Options() = default;
  explicit Options(std::map<std::string, OptionValue> values) : values_(std::move(values)) {}

  std::optional<std::string> get_string(const std::string& key) const;
  std::optional<int64_t> get_int(const std::string& key) const;
  std::optional<double> get_double(const std::string& key) const;  ///< ints widen
  std::optional<bool> get_bool(const std::string& key) const;
  void set(const std::string& key, OptionValue v) { values_[key] = std::move(v); }
  const std::map<std::string, OptionValue>& values() const { return values_; }

 private:
  std::map<std::string, OptionValue> values_;
};

}  // namespace rigkeeper::drivers
