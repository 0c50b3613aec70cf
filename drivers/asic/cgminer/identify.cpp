#include "drivers/asic/cgminer/identify.h"

#include "drivers/asic/common/probe_reading.h"

namespace rigkeeper::drivers::cgminer {

int match(const Probe& probe) { return asic::probe_is_cgminer(probe) ? 1 : 0; }

Identity identify(const Probe& probe) {
  Identity id;
  id.driver = "cgminer";
  id.firmware = "cgminer";
  asic::identity_model_from_probe(probe, id);
  id.firmware_version = asic::version_string(probe, {"CGMiner", "BMMiner", "BFGMiner", "Miner"});
  if (!id.firmware_version) id.firmware_version = asic::version_description(probe);
  return id;
}

}  // namespace rigkeeper::drivers::cgminer
