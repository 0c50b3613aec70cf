#include "drivers/sim/model_catalog.h"

#include <array>

#include "drivers/sim/noise.h"

namespace rigkeeper::drivers::sim {

namespace {

// Nameplate figures from the manufacturers' spec sheets, rounded; the LuxOS S19k Pro clock
// and chip count match the capture in shared/fixtures/asic/luxos (NameplateTHS 121.8, 77
// chips per chain, default profile 590 MHz / 13.5 V / 2794 W, steps of 25 MHz).
constexpr std::array kAntminerModels{
    ModelSpec{Family::kAntminer, "Antminer S19 Pro", 110.0, 29.5, 3, 114, 3, 525, 13.8, 4, 6000,
              true},
    // Some S19-generation stock firmware refuses `+` multi-commands (pyasic
    // _send_split_multicommand: "doesn't work for S19"); this model plays that firmware.
    ModelSpec{Family::kAntminer, "Antminer S19j Pro", 104.0, 29.5, 3, 126, 3, 525, 13.6, 4, 6000,
              false},
    ModelSpec{Family::kAntminer, "Antminer S21", 200.0, 17.5, 3, 108, 3, 490, 13.0, 4, 6600, true},
};

constexpr std::array kLuxosModels{
    ModelSpec{Family::kLuxos, "Antminer S19k Pro", 121.8, 22.94, 3, 77, 4, 590, 13.5, 4, 6000,
              true},
    ModelSpec{Family::kLuxos, "Antminer S19 XP", 140.0, 21.5, 3, 110, 4, 500, 13.5, 4, 6000, true},
};

constexpr std::array kBraiinsModels{
    ModelSpec{Family::kBraiins, "Antminer S19j Pro", 104.0, 29.5, 3, 126, 3, 525, 13.6, 4, 6000,
              true},
    ModelSpec{Family::kBraiins, "Antminer S19 Pro", 110.0, 29.5, 3, 114, 3, 525, 13.8, 4, 6000,
              true},
};

// An unrecognised cgminer: an S9-class SHA-256 machine running upstream cgminer 4.11.1,
// deliberately without any firmware token a specific driver would claim.
constexpr std::array kCgminerModels{
    ModelSpec{Family::kCgminer, "S9", 13.5, 98.0, 3, 63, 3, 650, 8.8, 2, 6000, true},
};

// MicroBT Whatsminer (btminer). Nominal figures from MicroBT's spec sheets, rounded; chips per
// board from pyasic's whatsminer model classes (M30S++ VH60 78, M50S VH50 135, M60S VK40 225).
// Model names are written as btminer's devdetails/get.device.info do ("M60S_VK40").
constexpr std::array kWhatsminerModels{
    ModelSpec{Family::kWhatsminer, "M30S++_VH60", 112.0, 31.0, 3, 78, 3, 600, 12.8, 2, 7000, true},
    ModelSpec{Family::kWhatsminer, "M50S_VH50", 126.0, 26.0, 3, 135, 3, 520, 13.2, 2, 7000, true},
    ModelSpec{Family::kWhatsminer, "M60S_VK40", 180.0, 18.5, 3, 225, 3, 480, 13.6, 2, 7000, true},
};

// VNish (AnthillOS) on Antminers; nameplate figures as the stock models above.
constexpr std::array kVnishModels{
    ModelSpec{Family::kVnish, "Antminer S19j Pro", 104.0, 29.5, 3, 126, 3, 525, 13.6, 4, 6000,
              true},
    ModelSpec{Family::kVnish, "Antminer S21", 200.0, 17.5, 3, 108, 3, 490, 13.0, 4, 6600, true},
};

// Canaan Avalon (cgminer 4.11.1 fork). AvalonMiner 1246: 90 TH/s at 38 J/TH (libminer's
// efficiency table), 3 boards of 120 chips as in the capture; Avalon Q: 90 TH/s at 1674 W
// (Canaan's sheet), one board of 160 chips as in the capture.
constexpr std::array kAvalonModels{
    ModelSpec{Family::kAvalon, "AvalonMiner 1246", 90.0, 38.0, 3, 120, 4, 500, 13.0, 4, 7400, true},
    ModelSpec{Family::kAvalon, "Avalon Q", 90.0, 18.6, 1, 160, 4, 400, 13.0, 4, 4000, true},
};

}  // namespace

std::string_view driver_name(Family family) {
  switch (family) {
    case Family::kVnish:
      return "vnish";
    case Family::kAntminer:
      return "antminer";
    case Family::kLuxos:
      return "luxos";
    case Family::kBraiins:
      return "braiins";
    case Family::kCgminer:
      return "cgminer";
    case Family::kWhatsminer:
      return "whatsminer";
    case Family::kAvalon:
      return "avalon";
  }
  return "cgminer";
}

std::optional<Family> parse_family(std::string_view name) {
  for (Family f : {Family::kVnish, Family::kAntminer, Family::kLuxos, Family::kBraiins,
                   Family::kCgminer, Family::kWhatsminer, Family::kAvalon}) {
    if (driver_name(f) == name) return f;
  }
  return std::nullopt;
}

std::span<const ModelSpec> models_of(Family family) {
  switch (family) {
    case Family::kVnish:
      return kVnishModels;
    case Family::kAntminer:
      return kAntminerModels;
    case Family::kLuxos:
      return kLuxosModels;
    case Family::kBraiins:
      return kBraiinsModels;
    case Family::kCgminer:
      return kCgminerModels;
    case Family::kWhatsminer:
      return kWhatsminerModels;
    case Family::kAvalon:
      return kAvalonModels;
  }
  return kCgminerModels;
}

const ModelSpec& pick_model(Family family, int ordinal, uint64_t seed) {
  const auto models = models_of(family);
  const uint64_t rotation = mix64(seed ^ static_cast<uint64_t>(family)) % models.size();
  return models[(static_cast<uint64_t>(ordinal) + rotation) % models.size()];
}

}  // namespace rigkeeper::drivers::sim
