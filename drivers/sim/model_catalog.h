#pragma once
/// The firmware families and hardware models the simulator can impersonate, with the nominal
/// figures (hashrate, efficiency, chips, clocks) their replies are computed from.
///
/// Thread-safety: immutable static tables.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rigkeeper::drivers::sim {

/// One firmware family: decides which responder answers and which driver the emitted config
/// names. The order is the order `--asics N` cycles through.
enum class Family { kAntminer, kLuxos, kBraiins, kCgminer, kWhatsminer, kVnish, kAvalon };

inline constexpr int kFamilyCount = 7;

/// Registry name of the rigkeeper driver for a family ("antminer", "luxos", ...).
std::string_view driver_name(Family family);

/// Parses a registry name back ("antminer" -> kAntminer).
std::optional<Family> parse_family(std::string_view name);

/// Nominal description of one hardware model under one family's firmware.
struct ModelSpec {
  Family family;
  std::string_view name;  ///< as the firmware reports it: "Antminer S19 Pro"
  double nominal_ths;     ///< nameplate hashrate at the stock profile
  double efficiency_jth;  ///< wall power per TH/s at the stock profile
  int boards;             ///< hash boards (chains)
  int chips_per_board;    ///< ASICs per board when healthy
  int chip_group;         ///< chips per group in the `chain_acs` status string
  int freq_mhz;           ///< chip clock at the stock profile
  double board_voltage;   ///< volts at the stock profile
  int fans;               ///< fan count
  int fan_max_rpm;        ///< rpm at 100 % duty
  bool multi_command;     ///< false: this firmware rejects `a+b` with code 14

  double nominal_power_w() const { return nominal_ths * efficiency_jth; }
};

/// Every model a family can present; never empty.
std::span<const ModelSpec> models_of(Family family);

/// The model for the `ordinal`-th device of a family, rotated by the seed, so that a fleet
/// covers every model of each family and the choice is reproducible.
const ModelSpec& pick_model(Family family, int ordinal, uint64_t seed);

}  // namespace rigkeeper::drivers::sim
