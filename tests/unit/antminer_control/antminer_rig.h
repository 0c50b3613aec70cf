#pragma once
// The simulator rig for the stock Antminer (asic-001 of a one-device fleet), with a direct line
// to the miner's web CGI for checking what the driver changed.
#include <string>

#include "tests/support/sim_rig.h"

namespace rigkeeper::test {

class AntminerRig : public SimRig {
 public:
  /// `credentials` false: the driver has no web credentials configured.
  explicit AntminerRig(double delay_scale = 0.01, bool credentials = true)
      : SimRig(1, "antminer",
               SimRigOptions{.delay_scale = delay_scale, .seed = 7, .credentials = credentials}) {}

  /// One web CGI request with the emitted credentials; the body or the error.
  Result<std::string> cgi(const std::string& method, const std::string& name,
                          const std::string& body = {});
};

}  // namespace rigkeeper::test
