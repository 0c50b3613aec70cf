#include "drivers/asic/common/hashrate.h"

#include <cctype>
#include <string>

#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/numbers.h"

namespace rigkeeper::drivers::asic {

std::optional<HashUnit> parse_hash_unit(std::string_view text) {
  std::string s;
  for (char c : text)
    if (c != ' ') s.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (s.ends_with("/S")) s.resize(s.size() - 2);
  if (s.size() == 3 && s.back() == 'S') s.pop_back();  // "GHS" -> "GH"
  if (s == "H") return HashUnit::kHash;
  if (s == "KH") return HashUnit::kKilo;
  if (s == "MH") return HashUnit::kMega;
  if (s == "GH") return HashUnit::kGiga;
  if (s == "TH") return HashUnit::kTera;
  if (s == "PH") return HashUnit::kPeta;
  return std::nullopt;
}

double to_ths(double value, HashUnit unit) {
  switch (unit) {
    case HashUnit::kHash:
      return value / 1e12;
    case HashUnit::kKilo:
      return value / 1e9;
    case HashUnit::kMega:
      return value / 1e6;
    case HashUnit::kGiga:
      return value / 1e3;
    case HashUnit::kTera:
      return value;
    case HashUnit::kPeta:
      return value * 1e3;
  }
  return value;
}

std::optional<double> rate_for_window(const nlohmann::json* entry, std::string_view window) {
  static constexpr std::pair<std::string_view, HashUnit> kPrefixes[] = {{"THS ", HashUnit::kTera},
                                                                        {"GHS ", HashUnit::kGiga},
                                                                        {"MHS ", HashUnit::kMega},
                                                                        {"KHS ", HashUnit::kKilo}};
  for (const auto& [prefix, unit] : kPrefixes) {
    std::string key(prefix);
    key += window;
    if (auto v = number_at(entry, key); v && *v >= 0.0) return to_ths(*v, unit);
  }
  return std::nullopt;
}

std::optional<double> current_rate(const nlohmann::json* entry) {
  for (auto w : kCurrentWindows)
    if (auto v = rate_for_window(entry, w)) return v;
  return std::nullopt;
}

std::optional<double> rate_in_entry_unit(const nlohmann::json* entry, std::string_view key) {
  auto v = number_at(entry, key);
  if (!v || *v < 0.0) return std::nullopt;
  HashUnit unit = HashUnit::kGiga;
  if (auto u = string_at(entry, "rate_unit")) {
    auto parsed = parse_hash_unit(*u);
    if (!parsed) return std::nullopt;  // a unit we do not know: better null than wrong
    unit = *parsed;
  }
  return to_ths(*v, unit);
}

}  // namespace rigkeeper::drivers::asic
