#include "drivers/sim/web_responder.h"

#include "drivers/sim/antminer_web.h"

#include "drivers/sim/braiins_rest.h"
#include "drivers/sim/vnish_rest.h"

namespace rigkeeper::drivers::sim {

std::vector<const WebResponder*> web_responders_for(Family family) {
  // One line per family with a web personality: `case Family::kX: return {&x_web()};`
  switch (family) {
    case Family::kBraiins:
      return {&braiins_rest()};
    case Family::kVnish:
      return {&vnish_rest()};
    case Family::kAntminer:
      return {&antminer_web()};
    default:
      return {};
  }
}

}  // namespace rigkeeper::drivers::sim
