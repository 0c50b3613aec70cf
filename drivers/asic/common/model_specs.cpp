#include "drivers/asic/common/model_specs.h"

#include <array>
#include <cctype>

namespace rigkeeper::drivers::asic {

namespace {

// Source: UpstreamData/pyasic, pyasic/miners/device/models/antminer/{X9,X19,X21}/*.py.
constexpr std::array<ModelSpec, 24> kSpecs = {{
    {"Antminer S9", 3, 63},
    {"Antminer S9i", 3, 63},
    {"Antminer S9j", 3, 63},
    {"Antminer S19", 3, 76},
    {"Antminer S19 Pro", 3, 114},
    {"Antminer S19i", 3, 80},
    {"Antminer S19+", 3, 80},
    {"Antminer S19 Pro+", 3, 120},
    {"Antminer S19 XP", 3, 110},
    {"Antminer S19a", 3, 72},
    {"Antminer S19a Pro", 3, 100},
    {"Antminer S19j", 3, 114},
    {"Antminer S19j Pro", 3, 126},
    {"Antminer S19j Pro+", 3, 120},
    {"Antminer S19k Pro", 3, 77},
    {"Antminer S19L", 3, 76},
    {"Antminer S19 Hydro", 4, 104},
    {"Antminer S19 Pro Hydro", 4, 180},
    {"Antminer S21", 3, 108},
    // MicroBT Whatsminer, pyasic/miners/device/models/whatsminer (expected_chips per board).
    {"Whatsminer M30S++ VH60", 3, 78},
    {"Whatsminer M50S VH50", 3, 135},
    {"Whatsminer M60S VK40", 3, 225},
    // Canaan Avalon: chips per board = the PVT_T<i> entries of the captures (120 on the 1246,
    // 160 on the single-board Avalon Q); pyasic's AvalonMiner 1246 has 3 boards, 120 chips.
    {"AvalonMiner 1246", 3, 120},
    {"Avalon Q", 1, 160},
}};

std::string squash(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

}  // namespace

const ModelSpec* find_model_spec(std::string_view model) {
  const auto key = squash(clean_model(model));
  if (key.empty()) return nullptr;
  for (const auto& s : kSpecs)
    if (squash(s.model) == key) return &s;
  return nullptr;
}

std::string clean_model(std::string_view type) {
  auto s = trim(type);
  if (auto paren = s.find(" ("); paren != std::string_view::npos) s = trim(s.substr(0, paren));
  if (starts_with_ci(s, "Bitmain ")) s = trim(s.substr(8));
  constexpr size_t kMaxModelChars = 64;  // untrusted text; a model name is short
  return std::string(s.substr(0, kMaxModelChars));
}

std::string make_of_model(std::string_view model) {
  model = trim(model);
  if (starts_with_ci(model, "Antminer")) return "Bitmain";
  if (starts_with_ci(model, "Whatsminer")) return "MicroBT";
  if (model.size() >= 2 && (model[0] == 'M' || model[0] == 'm') &&
      std::isdigit(static_cast<unsigned char>(model[1])))
    return "MicroBT";
  if (starts_with_ci(model, "Avalon")) return "Canaan";
  if (starts_with_ci(model, "BMM")) return "Braiins";
  return "";
}

}  // namespace rigkeeper::drivers::asic
