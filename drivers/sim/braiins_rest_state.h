#pragma once
/// Per-device state of the Braiins REST personality (AsicDevice::extension): the tokens
/// issued since the last boot and the locate LED. Internal to braiins_rest*.cpp.
#include <cstdint>
#include <map>
#include <string>

#include "drivers/sim/asic_device.h"

namespace rigkeeper::drivers::sim {

struct BraiinsRestState {
  int boots = -1;                         ///< AsicDevice::boots() the tokens belong to
  std::map<std::string, int64_t> tokens;  ///< token -> unix expiry
  uint64_t issued = 0;
  bool locate = false;
};

/// The device's state, with what a reboot forgets (sessions, the LED) dropped.
inline BraiinsRestState& braiins_rest_state(AsicDevice& device) {
  auto& st = device.extension<BraiinsRestState>();
  if (st.boots != device.boots()) {
    st.boots = device.boots();
    st.tokens.clear();
    st.locate = false;
  }
  return st;
}

}  // namespace rigkeeper::drivers::sim
