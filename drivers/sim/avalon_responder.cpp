// Avalon (Canaan's cgminer 4.11.1 fork) replies, key for key like shared/fixtures/asic/avalon:
// version as the 1246 (libminer) or Avalon Q capture, cgminer-4 summary, one whole-device
// ASC in devs (Name "AVALON", Temperature 0 as captured), pools with "Password", and stats /
// estats carrying the module's bracket string (avalon_module.cpp) followed by POOL entries.
// `ascset` settings go to avalon_ascset.cpp.
#include <string>

#include "drivers/sim/avalon_state.h"
#include "drivers/sim/cgminer4_sections.h"
#include "drivers/sim/responder.h"

namespace rigkeeper::drivers::sim {

namespace {

using avalon::FirmwareState;
using avalon::reply;

std::string mac_plain(const std::string& mac) {
  std::string out;
  for (char c : mac)
    if (c != ':') out.push_back(c);
  return out;
}

Json version(const DeviceReading& r) {
  Json v = Json::object();
  v["CGMiner"] = "4.11.1";
  v["API"] = "3.7";
  if (avalon::is_q(r)) {
    v["PROD"] = "Avalon Q";
    v["MODEL"] = "Q";
    v["HWTYPE"] = "Q_MM1v1_X1";
    v["SWTYPE"] = "MM319";
    v["LVERSION"] = "25052801_14a19a2";
    v["BVERSION"] = "25052801_14a19a2";
    v["CGVERSION"] = "25052801_14a19a2";
    v["HBMCUVERSION"] = "Q_hb_v1.1";
    v["FANMCUVERSION"] = "Q_fb_v1.2";
    v["DNA"] = r.identity->miner_id + r.identity->miner_id;
    v["MAC"] = r.identity->mac;
  } else {
    v["STM8"] = "20.08.01";
    v["PROD"] = std::string(r.model().name) + "-83";
    v["MODEL"] = "1246-83";
    v["HWTYPE"] = "MM3v2_X3";
    v["SWTYPE"] = "MM314";
    v["VERSION"] = "21072802_4ec6bb0_211fc46";
    v["LOADER"] = "d0d779de.00";
    v["DNA"] = r.identity->miner_id;
    v["MAC"] = mac_plain(r.identity->mac);
    v["UPAPI"] = "2";
  }
  return reply(r, code::kVersion, "CGMiner versions", "VERSION", Json::array({v}));
}

Json devs(const DeviceReading& r) {
  Json d = Json::object();
  const double mhs = 1000.0;
  d["ASC"] = 0;
  d["Name"] = "AVALON";
  d["ID"] = 0;
  d["Enabled"] = "Y";
  d["Status"] = "Alive";
  d["Temperature"] = 0.0;
  d["MHS av"] = round2(r.ghs_av * mhs);
  d["MHS 5s"] = round2(r.ghs_5s * mhs);
  d["MHS 1m"] = round2(r.ghs_1m * mhs);
  d["MHS 5m"] = round2(r.ghs_5m * mhs);
  d["MHS 15m"] = round2(r.ghs_15m * mhs);
  d["Accepted"] = r.accepted;
  d["Rejected"] = r.rejected;
  d["Hardware Errors"] = r.hw_errors;
  d["Utility"] = r.elapsed_s > 0 ? round2(r.accepted * 60.0 / static_cast<double>(r.elapsed_s)) : 0;
  d["Last Share Pool"] = 0;
  d["Last Share Time"] = r.last_share_unix;
  d["Total MH"] = r.total_mh;
  d["Diff1 Work"] = static_cast<int64_t>(r.accepted * r.pool_difficulty);
  d["Difficulty Accepted"] = r.accepted * r.pool_difficulty;
  d["Difficulty Rejected"] = r.rejected * r.pool_difficulty;
  d["Last Share Difficulty"] = r.pool_difficulty;
  d["Last Valid Work"] = r.last_share_unix;
  d["Device Hardware%"] = 0.0;
  d["Device Rejected%"] = 0.0;
  d["Device Elapsed"] = r.elapsed_s;
  return reply(r, code::kDevs, "1 ASC(s)", "DEVS", Json::array({d}));
}

Json pools(const DeviceReading& r) {
  Json list = cgminer4::pool_list(r);
  for (auto& p : list) {
    Json out = Json::object();
    for (auto it = p.begin(); it != p.end(); ++it) {
      out[it.key()] = *it;
      if (it.key() == "User") out["Password"] = "x";
    }
    p = std::move(out);
  }
  return reply(r, code::kPools, std::to_string(list.size()) + " Pool(s)", "POOLS", std::move(list));
}

Json devdetails(const DeviceReading& r) {
  Json d = Json::object();
  d["DEVDETAILS"] = 0;
  d["Name"] = "AVALON";
  d["ID"] = 0;
  d["Driver"] = "avalon";
  d["Kernel"] = "";
  d["Model"] = "";
  d["Device Path"] = "";
  return reply(r, code::kDevDetails, "Device Details", "DEVDETAILS", Json::array({d}));
}

Json config(const DeviceReading& r) {
  Json c = cgminer4::config_entry(r);
  c["Device Code"] = "AVALON";
  return reply(r, code::kConfig, "CGMiner config", "CONFIG", Json::array({c}));
}

Json pool_stats(const DeviceReading& r, size_t i) {
  Json p = Json::object();
  p["STATS"] = static_cast<int>(i + 1);
  p["ID"] = "POOL" + std::to_string(i);
  p["Elapsed"] = r.elapsed_s;
  p["Calls"] = 0;
  p["Wait"] = 0.0;
  p["Max"] = 0.0;
  p["Min"] = 99999999.0;
  p["Pool Calls"] = 0;
  p["Pool Attempts"] = 0;
  p["Pool Wait"] = 0.0;
  p["Pool Max"] = 0.0;
  p["Pool Min"] = 99999999.0;
  p["Pool Av"] = 0.0;
  p["Work Had Roll Time"] = false;
  p["Work Can Roll"] = false;
  p["Work Had Expire"] = false;
  p["Work Roll Time"] = 0;
  p["Work Diff"] = r.pool_difficulty;
  p["Min Diff"] = r.pool_difficulty;
  p["Max Diff"] = r.pool_difficulty;
  p["Min Diff Count"] = 1;
  p["Max Diff Count"] = r.accepted;
  p["Times Sent"] = r.getworks;
  p["Bytes Sent"] = r.getworks * 164;
  p["Times Recv"] = r.getworks * 2;
  p["Bytes Recv"] = r.getworks * 980;
  p["Net Bytes Sent"] = r.getworks * 164;
  p["Net Bytes Recv"] = r.getworks * 980;
  return p;
}

// `lite`: litestats, the module summary only.
Json stats(const DeviceReading& r, const FirmwareState& st, bool lite) {
  Json m = Json::object();
  const bool q = avalon::is_q(r);
  if (lite) {
    m["MM ID0:Summary"] = avalon::module_string(r, st);
    return reply(r, code::kStats, "CGMiner stats", "STATS", Json::array({m}));
  }
  m["STATS"] = 0;
  m["ID"] = q ? "AVALON0" : "AVA100";
  m["Elapsed"] = r.elapsed_s;
  m["Calls"] = 0;
  m["Wait"] = 0.0;
  m["Max"] = 0.0;
  m["Min"] = 99999999.0;
  if (q) {
    m["MM ID0:Summary"] = avalon::module_string(r, st);
    m["HBinfo"] = avalon::hbinfo_string(r);
  } else {
    m["MM ID0"] = avalon::module_string(r, st);
    m["MM Count"] = 1;
    m["Smart Speed"] = 1;
    m["Voltage Level Offset"] = 0;
    m["Nonce Mask"] = 25;
  }
  Json list = Json::array({m});
  for (size_t i = 0; i < r.pools.size(); ++i) list.push_back(pool_stats(r, i));
  return reply(r, code::kStats, "CGMiner stats", "STATS", std::move(list));
}

std::optional<Json> build(std::string_view command, const DeviceReading& r,
                          const FirmwareState& st) {
  if (command == "version") return version(r);
  if (command == "summary")
    return reply(r, code::kSummary, "Summary", "SUMMARY",
                 Json::array({cgminer4::summary_entry(r)}));
  if (command == "devs") return devs(r);
  if (command == "pools") return pools(r);
  if (command == "devdetails") return devdetails(r);
  if (command == "config") return config(r);
  if (command == "stats" || command == "estats") return stats(r, st, false);
  if (command == "litestats") return stats(r, st, true);
  return std::nullopt;
}

class AvalonResponder final : public FamilyResponder {
 public:
  std::string_view description() const override { return avalon::kDescription; }

  std::optional<Json> respond(std::string_view command, std::string_view /*parameter*/,
                              const DeviceReading& r) const override {
    return build(command, r, FirmwareState{});
  }

  std::optional<Json> respond_on(std::string_view command, std::string_view parameter,
                                 const DeviceReading& r,
                                 const DeviceAccess& access) const override {
    auto& device = *access.device;
    avalon::settle_pending_pool(device, access.now);
    if (command == "ascset") return avalon::ascset(parameter, r, device, access.now);
    return build(command, r, device.extension<FirmwareState>());
  }
};

}  // namespace

const FamilyResponder& avalon_responder() {
  static const AvalonResponder instance;
  return instance;
}

}  // namespace rigkeeper::drivers::sim
