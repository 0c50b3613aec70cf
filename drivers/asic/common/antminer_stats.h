#pragma once
/// The Antminer-style `stats` block that bmminer, cgminer-based stock firmware and LuxOS share:
/// per-chain `chain_rateN` (strings, in `rate_unit`), `chain_acnN` (chips found),
/// `chain_acsN` (one character per chip: `o` good, `x` bad), `chain_hwN`, dash-separated
/// `temp_pcbN`/`temp_chipN` sensor strings ("73-45-64-65"), `temp2_N`, `fanN`, `fan_num`,
/// `total_rateideal`.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/api/telemetry.h"

namespace rigkeeper::drivers::asic {

/// Chain numbers above this are ignored (control boards drive at most 16).
inline constexpr int kMaxChains = 16;

/// One chain N as the stats block reports it (N is the firmware's 1-based chain number).
struct ChainReading {
  int chain = 0;
  std::optional<double> rate_ths;
  std::optional<int> chips;
  int bad_chips = 0;  ///< chips marked `x` in chain_acsN
  std::optional<int64_t> hw_errors;
  std::optional<double> temp_board_c;  ///< hottest plausible temp_pcbN sensor (or tempN)
  std::optional<double> temp_chip_c;   ///< hottest plausible temp_chipN sensor (or temp2_N)

  /// True when anything shows a board in this slot: chips, a non-zero rate or a temperature.
  bool populated() const;
};

struct AntminerStats {
  std::optional<std::string> type;  ///< STATS[0].Type, e.g. "Antminer S19 Pro"
  std::optional<int64_t> elapsed_s;
  std::optional<double> rate_ths;        ///< the block's own current rate (GHS 5s, ...)
  std::optional<double> rate_ideal_ths;  ///< total_rateideal in rate_unit
  std::vector<ChainReading> chains;      ///< by chain number, ascending
  std::vector<double> fans_rpm;
};

/// Reads the stats reply. nullopt when it holds no block with chain or fan keys.
std::optional<AntminerStats> read_antminer_stats(const nlohmann::json* stats_reply);

/// Turns chains into hash boards, 0-based. The board window starts at chain 1 (or at the
/// lowest populated chain on firmware that numbers chains from an offset, e.g. 6..8). With
/// `expected_boards` the window has that many slots (an unpopulated one inside becomes a
/// missing board; unpopulated slots beyond it, like the S19's empty chain 4, are dropped);
/// without it the window ends at the last populated chain. Chips marked `x` set status
/// "fault" and add an error; every other status is left for assess_boards().
std::vector<HashBoard> boards_from_chains(const std::vector<ChainReading>& chains,
                                          std::optional<int> expected_boards,
                                          std::optional<int> chips_expected,
                                          std::vector<std::string>& errors);

}  // namespace rigkeeper::drivers::asic
