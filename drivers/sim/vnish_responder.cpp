// VNish cgminer-compatible API on 4028. VNish runs Bitmain's bmminer (cgminer 4.11.1) under
// its own web front end, so its replies are the stock ones; its `Type` carries the firmware,
// as the summary capture's miner_type does ("Antminer S19 (Vnish 1.2.0-beta10)"), which is
// the VNISH token pyasic's socket probe looks for.
#include "drivers/sim/responder.h"
#include "drivers/sim/vnish_rest.h"

namespace rigkeeper::drivers::sim {

namespace {

void mark_type(Json& reply, std::string_view section, const DeviceReading& r) {
  if (!reply.is_object() || !reply.contains(section) || !reply[section].is_array()) return;
  for (auto& e : reply[section]) {
    if (e.is_object() && e.contains("Type")) e["Type"] = vnish_miner_type(r.model());
  }
}

class VnishResponder final : public FamilyResponder {
 public:
  std::string_view description() const override { return antminer_responder().description(); }

  std::optional<Json> respond(std::string_view command, std::string_view parameter,
                              const DeviceReading& reading) const override {
    auto reply = antminer_responder().respond(command, parameter, reading);
    if (reply) {
      mark_type(*reply, "VERSION", reading);
      mark_type(*reply, "STATS", reading);
    }
    return reply;
  }

  bool accepts_multi_command(const DeviceReading& /*reading*/) const override { return true; }
};

}  // namespace

const FamilyResponder& vnish_responder() {
  static const VnishResponder instance;
  return instance;
}

}  // namespace rigkeeper::drivers::sim
