#include "drivers/asic/braiins/identify.h"

#include "drivers/asic/common/probe_reading.h"

namespace rigkeeper::drivers::braiins {

int match(const Probe& probe) {
  if (!asic::probe_is_cgminer(probe)) return 0;
  return asic::probe_has_token(probe, "BOSMINER") || asic::probe_has_token(probe, "BOSER") ? 30 : 0;
}

Identity identify(const Probe& probe) {
  Identity id;
  id.driver = "braiins";
  id.firmware = "braiins";
  asic::identity_model_from_probe(probe, id);
  id.firmware_version = asic::version_string(probe, {"BOSer", "BOSminer"});
  return id;
}

}  // namespace rigkeeper::drivers::braiins
