// Braiins OS+ (BOSer) cgminer-compatible API on 4028.
//
// Captured shapes: `fans` and `version` (shared/fixtures/asic/braiins/cgminer_api_*_boser.json).
// Not captured, shaped from public sources (documented in docs/SIMULATOR.md):
//  - summary, devs, pools: field order of BOSminer's own serializer (Braiins' open-source
//    bosminer `api/cgminer/response.rs`), which copies cgminer 4.x; devs also carries
//    "Nominal MHS" because pyasic `backends/braiins_os.py` reads it;
//  - temps, tunerstatus, devdetails, tempctrl: the example outputs of the BOSminer API docs,
//    with the field names pyasic reads (TEMPS[].Board/Chip/ID, TUNERSTATUS[0].PowerLimit /
//    ApproximateMinerPowerConsumption / TunerChainStatus[].HashchainIndex/Status,
//    DEVDETAILS[].Chips/Model); chains are numbered from 1 (pyasic's offset for non-S9).
//  - devdetails while the miner is paused answers Msg "Unavailable" (pyasic is_mining()).
#include <cmath>
#include <string>

#include "drivers/sim/cgminer4_sections.h"
#include "drivers/sim/responder.h"

namespace rigkeeper::drivers::sim {

namespace {

constexpr std::string_view kDescription = "BOSer boser-buildroot 0.1.0-0ce150e9";
constexpr int kChainIdOffset = 1;

Json ok(const DeviceReading& r, int code, std::string_view msg, std::string_view section,
        Json items) {
  return envelope(status_entry("S", r.when_unix, code, msg, kDescription), section,
                  std::move(items));
}

std::string chain_name(int id) { return "Hash Chain " + std::to_string(id); }

Json version(const DeviceReading& r) {
  Json v = Json::object();
  v["API"] = "3.7";
  v["BOSer"] = kDescription.substr(6);
  return ok(r, code::kVersion, "BOSer versions", "VERSION", Json::array({v}));
}

Json devs(const DeviceReading& r) {
  Json list = Json::array();
  for (const auto& b : r.boards) {
    list.push_back(
        cgminer4::asc_entry(r, b, chain_name(b.index + kChainIdOffset), kChainIdOffset, true));
  }
  return ok(r, code::kDevs, std::to_string(r.boards.size()) + " ASC(s)", "DEVS", std::move(list));
}

Json fans(const DeviceReading& r) {
  Json list = Json::array();
  for (size_t f = 0; f < r.fans.size(); ++f) {
    Json j = Json::object();
    j["FAN"] = static_cast<int>(f);
    j["ID"] = static_cast<int>(f);
    j["RPM"] = r.fans[f].rpm;
    j["Speed"] = r.fans[f].duty_pct;
    list.push_back(std::move(j));
  }
  return ok(r, 202, std::to_string(r.fans.size()) + " Fan(s)", "FANS", std::move(list));
}

Json temps(const DeviceReading& r) {
  Json list = Json::array();
  for (const auto& b : r.boards) {
    Json j = Json::object();
    j["Board"] = b.hot();
    j["Chip"] = b.chip_hot();
    j["ID"] = b.index + kChainIdOffset;
    j["TEMP"] = b.index;
    list.push_back(std::move(j));
  }
  return ok(r, 201, std::to_string(r.boards.size()) + " Temp(s)", "TEMPS", std::move(list));
}

std::string chain_status(const DeviceReading& r, const BoardReading& b) {
  if (!b.alive) return "Error: Hashchain not hashing {no chips respond}";
  if (b.chips_present < b.chips_expected)
    return "Error: Missing chips {chips found: " + std::to_string(b.chips_present) + "}";
  if (r.state == PowerState::kStarting) return "Testing performance profile";
  return "Stable";
}

Json tunerstatus(const DeviceReading& r) {
  const double per_chain_limit =
      r.power_limit_w / static_cast<double>(std::max<size_t>(r.boards.size(), 1));
  Json chains = Json::array();
  double chain_power = 0;
  for (const auto& b : r.boards) {
    Json c = Json::object();
    c["ApproximatePowerConsumptionWatt"] = std::lround(b.power_w);
    c["HashchainIndex"] = b.index + kChainIdOffset;
    c["Iteration"] = 0;
    c["LoadedProfileCreatedOn"] = r.when_unix - r.elapsed_s;
    c["PowerLimitWatt"] = std::lround(per_chain_limit);
    c["StageElapsed"] = r.elapsed_s;
    c["Status"] = chain_status(r, b);
    c["TunerRunning"] = r.state == PowerState::kStarting;
    c["TuningElapsed"] = r.elapsed_s;
    chain_power += b.power_w;
    chains.push_back(std::move(c));
  }
  Json t = Json::object();
  t["ApproximateChainPowerConsumption"] = std::lround(r.hashing() ? chain_power : 0.0);
  t["ApproximateMinerPowerConsumption"] = std::lround(r.power_w);
  t["DynamicPowerScaling"] = "Disabled";
  t["PowerLimit"] = std::lround(r.power_limit_w);
  t["TunerChainStatus"] = std::move(chains);
  return ok(r, 203, "Tuner Status", "TUNERSTATUS", Json::array({t}));
}

Json devdetails(const DeviceReading& r) {
  if (!r.hashing()) {
    return error_reply(code::kDevDetails, "Unavailable", kDescription, r.when_unix);
  }
  Json list = Json::array();
  for (const auto& b : r.boards) {
    Json j = Json::object();
    j["Chips"] = b.chips_present;
    j["Cores"] = b.chips_present * 894;
    j["DEVDETAILS"] = b.index;
    j["Device Path"] = "";
    j["Driver"] = "";
    j["Frequency"] = static_cast<int64_t>(b.freq_mhz) * 1'000'000;
    j["ID"] = b.index + kChainIdOffset;
    j["Kernel"] = "";
    j["Model"] = "Bitmain " + std::string(r.model().name);
    j["Name"] = chain_name(b.index + kChainIdOffset);
    j["Voltage"] = b.voltage;
    list.push_back(std::move(j));
  }
  return ok(r, code::kDevDetails, "Device Details", "DEVDETAILS", std::move(list));
}

Json tempctrl(const DeviceReading& r) {
  Json t = Json::object();
  t["Dangerous"] = 100;
  t["Hot"] = 90;
  t["Mode"] = "Automatic";
  t["Target"] = 75;
  return ok(r, 200, "Temperature control", "TEMPCTRL", Json::array({t}));
}

class BraiinsResponder final : public FamilyResponder {
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
    if (command == "fans") return fans(r);
    if (command == "temps") return temps(r);
    if (command == "tunerstatus") return tunerstatus(r);
    if (command == "devdetails") return devdetails(r);
    if (command == "tempctrl") return tempctrl(r);
    if (command == "config") {
      return ok(r, code::kConfig, "BOSer config", "CONFIG",
                Json::array({cgminer4::config_entry(r)}));
    }
    return std::nullopt;
  }
};

}  // namespace

const FamilyResponder& braiins_responder() {
  static const BraiinsResponder instance;
  return instance;
}

}  // namespace rigkeeper::drivers::sim
