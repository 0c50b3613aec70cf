// An unrecognised cgminer firmware: upstream cgminer 4.11.1 (kanoi/cgminer api.c layout) on
// an S9-class SHA-256 machine. It carries no token any specific driver claims (no BMMiner,
// BOSer, LUXminer or "Antminer"), so detection must fall back to the generic driver. It
// reports no fans (cgminer's API has none) and answers devdetails, config and stats.
#include <string>

#include "drivers/sim/cgminer4_sections.h"
#include "drivers/sim/responder.h"

namespace rigkeeper::drivers::sim {

namespace {

constexpr std::string_view kDescription = "cgminer 4.11.1";
constexpr std::string_view kDriverName = "BTM";

Json ok(const DeviceReading& r, int code, std::string_view msg, std::string_view section,
        Json items) {
  return envelope(status_entry("S", r.when_unix, code, msg, kDescription), section,
                  std::move(items));
}

Json version(const DeviceReading& r) {
  Json v = Json::object();
  v["CGMiner"] = "4.11.1";
  v["API"] = "3.7";
  return ok(r, code::kVersion, "CGMiner versions", "VERSION", Json::array({v}));
}

Json devs(const DeviceReading& r) {
  Json list = Json::array();
  for (const auto& b : r.boards) list.push_back(cgminer4::asc_entry(r, b, kDriverName, 0, false));
  return ok(r, code::kDevs, std::to_string(r.boards.size()) + " ASC(s)", "DEVS", std::move(list));
}

Json devdetails(const DeviceReading& r) {
  Json list = Json::array();
  for (const auto& b : r.boards) {
    Json j = Json::object();
    j["DEVDETAILS"] = b.index;
    j["Name"] = kDriverName;
    j["ID"] = b.index;
    j["Driver"] = "bitmain";
    j["Kernel"] = "";
    j["Model"] = r.model().name;
    j["Device Path"] = "";
    list.push_back(std::move(j));
  }
  return ok(r, code::kDevDetails, "Device Details", "DEVDETAILS", std::move(list));
}

Json stats(const DeviceReading& r) {
  Json list = Json::array();
  for (const auto& b : r.boards) {
    Json j = Json::object();
    j["STATS"] = b.index;
    j["ID"] = std::string(kDriverName) + std::to_string(b.index);
    j["Elapsed"] = r.elapsed_s;
    j["Calls"] = 0;
    j["Wait"] = 0.0;
    j["Max"] = 0.0;
    j["Min"] = 99999999.0;
    list.push_back(std::move(j));
  }
  return ok(r, code::kStats, "CGMiner stats", "STATS", std::move(list));
}

class CgminerResponder final : public FamilyResponder {
 public:
  std::string_view description() const override { return kDescription; }

  std::optional<Json> respond(std::string_view command, std::string_view,
                              const DeviceReading& r) const override {
    if (command == "version") return version(r);
    if (command == "summary") {
      return ok(r, code::kSummary, "Summary", "SUMMARY", Json::array({cgminer4::summary_entry(r)}));
    }
    if (command == "devs") return devs(r);
    if (command == "pools") {
      return ok(r, code::kPools, std::to_string(r.pools.size()) + " Pool(s)", "POOLS",
                cgminer4::pool_list(r));
    }
    if (command == "devdetails") return devdetails(r);
    if (command == "stats") return stats(r);
    if (command == "config") {
      return ok(r, code::kConfig, "CGMiner config", "CONFIG",
                Json::array({cgminer4::config_entry(r)}));
    }
    return std::nullopt;
  }
};

}  // namespace

const FamilyResponder& cgminer_responder() {
  static const CgminerResponder instance;
  return instance;
}

const FamilyResponder& responder_for(Family family) {
  switch (family) {
    case Family::kAntminer:
      return antminer_responder();
    case Family::kLuxos:
      return luxos_responder();
    case Family::kBraiins:
      return braiins_responder();
    case Family::kCgminer:
      return cgminer_responder();
    case Family::kWhatsminer:
      return whatsminer_responder();
    case Family::kVnish:
      return vnish_responder();
    case Family::kAvalon:
      return avalon_responder();
  }
  return cgminer_responder();
}

}  // namespace rigkeeper::drivers::sim
