#pragma once
/// VNish autotune presets (GET /api/v1/autotune/presets): `[{name "3000", pretty "3000 watt
/// ~ 96 Th", status "tuned"|"untuned", modded_psu_required}]`. A preset is used for a power
/// target only when the miner has tuned it: applying an untuned one starts an autotune run of
/// hours at unknown power, which is not what a power target promises.
///
/// Thread-safety: pure functions.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/api/result.h"

namespace rigkeeper::drivers::vnish {

struct Preset {
  std::string name;             ///< what settings' miner.overclock.preset takes
  std::string pretty;           ///< "3000 watt ~ 96 Th"
  std::optional<double> watts;  ///< from the name, else the pretty text's leading number
  bool tuned = false;
  bool modded_psu_required = false;
};

/// Every preset of a reply (a list, or {"presets": [...]}); capped at 64 entries.
std::vector<Preset> parse_presets(const nlohmann::json& reply);

/// The highest tuned preset whose watts are not above `target_w` (presets needing a modded
/// PSU are skipped unless `modded_psu`). Errc::kDeviceError naming the tuned choices when
/// there is none.
Result<Preset> choose_for_power(const std::vector<Preset>& presets, double target_w,
                                bool modded_psu = false);

/// The preset called `name` (or whose pretty text is `name`), tuned. Errc::kDeviceError when
/// it is untuned, Errc::kInvalidArgument when there is no such preset.
Result<Preset> choose_by_name(const std::vector<Preset>& presets, std::string_view name);

}  // namespace rigkeeper::drivers::vnish
