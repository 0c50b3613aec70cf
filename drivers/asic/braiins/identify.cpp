#include "drivers/asic/braiins/identify.h"

#include "drivers/asic/common/probe_reading.h"

namespace rigkeeper::drivers::braiins {

namespace {

bool web_says_braiins(const Probe& probe) {
  const WebProbe* root = probe.web_at("/");
  return root != nullptr && root->body.find("Braiins OS") != std::string::npos;
}

}  // namespace

int match(const Probe& probe) {
  if (asic::probe_is_cgminer(probe) &&
      (asic::probe_has_token(probe, "BOSMINER") || asic::probe_has_token(probe, "BOSER"))) {
    return 30;
  }
  return web_says_braiins(probe) ? 25 : 0;
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
