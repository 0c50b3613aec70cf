#include "drivers/asic/luxos/identify.h"

#include "drivers/asic/common/probe_reading.h"

namespace rigkeeper::drivers::luxos {

int match(const Probe& probe) {
  return asic::probe_is_cgminer(probe) && asic::probe_has_token(probe, "LUXMINER") ? 30 : 0;
}

Identity identify(const Probe& probe) {
  Identity id;
  id.driver = "luxos";
  id.firmware = "luxos";
  asic::identity_model_from_probe(probe, id);
  id.firmware_version = asic::version_string(probe, {"LUXminer", "Miner"});
  return id;
}

}  // namespace rigkeeper::drivers::luxos
