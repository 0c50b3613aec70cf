#include "drivers/asic/common/device_state.h"

#include <algorithm>

namespace rigkeeper::drivers::asic {

namespace {

std::string chip_count_text(const HashBoard& b) {
  const int found = b.chips.value_or(0);
  return std::to_string(found) + " of " + std::to_string(*b.chips_expected) + " chips";
}

}  // namespace

void assess_boards(std::vector<HashBoard>& boards, bool device_hashing,
                   std::vector<std::string>& errors) {
  for (auto& b : boards) {
    if (b.status == "disabled") continue;
    const std::string label = "board " + std::to_string(b.index) + ": ";
    const bool has_rate = b.hashrate_ths && *b.hashrate_ths > 0.0;
    const bool empty = !b.chips && !b.hashrate_ths && !b.temp_board_c && !b.temp_chip_c;
    const bool no_chips = b.chips && *b.chips == 0 && !has_rate;
    const bool expected_known = b.chips_expected && *b.chips_expected > 0;
    if (empty || no_chips) {
      b.status = "missing";
      errors.push_back(label + (expected_known ? chip_count_text(b) : "not detected"));
    } else if (expected_known && b.chips && *b.chips < *b.chips_expected) {
      b.status = "fault";
      errors.push_back(label + chip_count_text(b));
    } else if (device_hashing && b.hashrate_ths && !has_rate) {
      b.status = "fault";
      errors.push_back(label + "not hashing");
    } else if (b.status.empty()) {
      b.status = "ok";
    }
  }
}

bool is_hashing(std::optional<double> hashrate_ths, const std::vector<HashBoard>& boards) {
  if (hashrate_ths) return *hashrate_ths > 0.0;
  double sum = 0.0;
  for (const auto& b : boards) sum += b.hashrate_ths.value_or(0.0);
  return sum > 0.0;
}

DeviceState decide_state(const StateInputs& in) {
  static const std::vector<HashBoard> kNone;
  const auto& boards = in.boards ? *in.boards : kNone;
  if (in.sleeping) return DeviceState::kSleeping;
  if (is_hashing(in.hashrate_ths, boards)) return DeviceState::kMining;
  if (in.uptime_s && *in.uptime_s < kStartingWindowS) return DeviceState::kStarting;
  const bool all_failed =
      !boards.empty() && std::all_of(boards.begin(), boards.end(), [](const HashBoard& b) {
        return b.status == "missing" || b.status == "fault";
      });
  if (all_failed) return DeviceState::kFault;
  return DeviceState::kIdle;
}

}  // namespace rigkeeper::drivers::asic
