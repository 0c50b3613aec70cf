#include "drivers/asic/antminer/identify.h"

#include <cctype>

#include "drivers/asic/common/probe_reading.h"

namespace rigkeeper::drivers::antminer {

namespace {

// Firmware that also reports "Antminer ..." types but is not stock.
constexpr std::string_view kForeignTokens[] = {"BOSMINER", "BOSER",   "BRAIINS", "LUXMINER",
                                               "LUXOS",    "HIVEON",  "VNISH",   "KAONSU",
                                               "BTMINER",  "BITMICRO"};

}  // namespace

int match(const Probe& probe) {
  if (!asic::probe_is_cgminer(probe)) return 0;
  auto type = asic::version_string(probe, {"Type"});
  if (!type || type->size() < 8) return 0;
  std::string head = type->substr(0, 8);
  for (auto& c : head) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (head != "ANTMINER") return 0;
  for (auto token : kForeignTokens)
    if (asic::probe_has_token(probe, token)) return 0;
  const bool bitmain_miner = asic::probe_has_token(probe, "BMMINER", false) ||
                             asic::probe_has_token(probe, "CGMINER", false);
  return bitmain_miner ? 10 : 0;
}

Identity identify(const Probe& probe) {
  Identity id;
  id.driver = "antminer";
  id.firmware = "stock";
  asic::identity_model_from_probe(probe, id);
  if (id.make.empty()) id.make = "Bitmain";
  id.firmware_version = asic::version_string(probe, {"Miner", "BMMiner", "CGMiner"});
  return id;
}

}  // namespace rigkeeper::drivers::antminer
