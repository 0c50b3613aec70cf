#pragma once
/// Board health and device state rules shared by the cgminer-API families (docs/drivers/*.md
/// state each family's inputs to them).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "drivers/api/telemetry.h"

namespace rigkeeper::drivers::asic {

/// A miner whose cgminer process has run for less than this and does not hash yet is
/// "starting": stock S19 firmware takes several minutes to find chips and tune after boot.
inline constexpr int64_t kStartingWindowS = 900;

/// Sets the status of each board that has none ("disabled" and "fault" set by the parser are
/// kept) and appends what is wrong to `errors`, naming the board by its 0-based index:
///  - "missing": nothing reported, or 0 chips and no hashrate ("board 2: 0 of 114 chips",
///    or "board 2: not detected" when the model's chip count is unknown);
///  - "fault": fewer chips than the model has ("board 1: 110 of 114 chips"), or no hashrate
///    while the device hashes on other boards ("board 1: not hashing");
///  - "ok" otherwise.
void assess_boards(std::vector<HashBoard>& boards, bool device_hashing,
                   std::vector<std::string>& errors);

/// What the state decision looks at.
struct StateInputs {
  std::optional<double> hashrate_ths;  ///< device total; boards' sum used when null
  std::optional<int64_t> uptime_s;
  bool sleeping = false;  ///< the firmware says it is curtailed or asleep
  const std::vector<HashBoard>* boards = nullptr;
};

/// True when the device's hashrate (or, if unreported, its boards' sum) is above zero.
bool is_hashing(std::optional<double> hashrate_ths, const std::vector<HashBoard>& boards);

/// The device state, by the first rule that holds:
///  1. sleeping flag -> kSleeping;  2. hashing -> kMining;
///  3. uptime under kStartingWindowS -> kStarting;
///  4. boards reported and every board missing or fault -> kFault;  5. otherwise kIdle.
DeviceState decide_state(const StateInputs& in);

}  // namespace rigkeeper::drivers::asic
