#include "drivers/asic/whatsminer/identify.h"

#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/numbers.h"
#include "drivers/asic/common/probe_reading.h"
#include "drivers/asic/whatsminer/parser.h"

namespace rigkeeper::drivers::whatsminer {

namespace {

const nlohmann::json* v3_msg(const Probe& probe) {
  if (!probe.whatsminer_v3 || !probe.whatsminer_v3->is_object()) return nullptr;
  const auto& j = *probe.whatsminer_v3;
  auto code = j.find("code");
  if (code == j.end() || !code->is_number_integer() || code->get<int>() != 0) return nullptr;
  const auto* msg = asic::member(j, "msg");
  return msg != nullptr && msg->is_object() && asic::member(msg, "miner") != nullptr ? msg
                                                                                     : nullptr;
}

}  // namespace

int match(const Probe& probe) {
  if (v3_msg(probe) != nullptr) return 30;
  if (!asic::probe_is_cgminer(probe)) return 0;
  for (auto token : {"BTMINER", "BITMICRO", "WHATSMINER"})
    if (asic::probe_has_token(probe, token)) return 30;
  return 0;
}

Identity identify(const Probe& probe) {
  Identity id;
  id.driver = "whatsminer";
  id.firmware = "btminer";
  id.make = "MicroBT";
  const auto* dd = asic::probe_devdetails_entry(probe);
  if (auto m = asic::string_at(dd, "Model")) id.model = display_model(*m);
  if (const auto* msg = v3_msg(probe)) {
    if (id.model.empty())
      if (auto t = asic::string_at(asic::member(msg, "miner"), "type"))
        id.model = display_model(*t);
    id.firmware_version = asic::string_at(asic::member(msg, "system"), "fwversion");
  }
  if (!id.firmware_version)
    id.firmware_version = asic::version_string(probe, {"Firmware", "Miner"});
  return id;
}

}  // namespace rigkeeper::drivers::whatsminer
