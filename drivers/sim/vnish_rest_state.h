#pragma once
/// Per-device state of the VNish web personality (AsicDevice::extension): unlock tokens of
/// the current boot, the selected preset, the find-miner LED, the saved pools. Internal to
/// vnish_rest*.cpp.
#include <cstdint>
#include <map>
#include <string>

#include "drivers/sim/asic_device.h"

namespace rigkeeper::drivers::sim {

struct VnishRestState {
  int boots = -1;
  std::map<std::string, int64_t> tokens;  ///< token -> unix expiry
  uint64_t issued = 0;
  bool find_miner = false;
  bool stopped = false;  ///< mining/stop (rather than pause) was the last curtailment
  std::string preset;    ///< empty: the model's stock preset
};

/// The device's state, with what a reboot forgets (tokens, find-miner) dropped.
inline VnishRestState& vnish_state(AsicDevice& device) {
  auto& st = device.extension<VnishRestState>();
  if (st.boots != device.boots()) {
    st.boots = device.boots();
    st.tokens.clear();
    st.find_miner = false;
  }
  return st;
}

}  // namespace rigkeeper::drivers::sim
