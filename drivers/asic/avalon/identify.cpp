#include "drivers/asic/avalon/identify.h"

#include "drivers/asic/avalon/parser.h"
#include "drivers/asic/common/numbers.h"
#include "drivers/asic/common/probe_reading.h"

namespace rigkeeper::drivers::avalon {

int match(const Probe& probe) {
  return asic::probe_is_cgminer(probe) && asic::probe_has_token(probe, "AVALON") ? 20 : 0;
}

Identity identify(const Probe& probe) {
  Identity id;
  id.driver = "avalon";
  id.firmware = "avalon";
  const auto* ver = asic::probe_version_entry(probe);
  id.model = model_name(ver, nullptr);
  id.make = "Canaan";
  id.firmware_version = asic::version_string(probe, {"VERSION", "CGVERSION", "LVERSION"});
  return id;
}

}  // namespace rigkeeper::drivers::avalon
