// Whatsminer btminer (API v1.4 / v2.0.5 on 4028) report replies. Keys, key order (sorted, as
// the asic-rs captures in shared/fixtures/asic/whatsminer/ are stored) and value types follow
// the captures: MH/s hashrates, integer watts and rpm, `Firmware Version` in literal single
// quotes, the flat STATUS of get_* and `status`, and the inverted `btmineroff` ("true" while
// hashing) of pre-2024 firmware; newer firmware sends `mineroff` with its literal meaning.
#include <cmath>
#include <string>

#include "drivers/sim/responder.h"
#include "drivers/sim/whatsminer_firmware.h"

namespace rigkeeper::drivers::sim {

namespace {

using whatsminer::firmware_of;
using whatsminer::flat_reply;

constexpr std::string_view kDescription = "cgminer 4.9.2";

int64_t whole(double v) { return static_cast<int64_t>(std::llround(v)); }

Json reply(const DeviceReading& r, int code, const std::string& msg, std::string_view section,
           Json items) {
  return envelope(status_entry("S", r.when_unix, code, msg, kDescription), section,
                  std::move(items));
}

double chip_avg(const BoardReading& b) { return round2((b.temp_chip[0] + b.temp_chip[2]) / 2.0); }
double chip_min(const BoardReading& b) { return std::round(b.temp_chip[1]); }

Json summary(const DeviceReading& r) {
  const auto fw = firmware_of(r);
  double tmin = 200, tmax = 0, tavg = 0;
  for (const auto& b : r.boards) {
    tmin = std::min(tmin, chip_min(b));
    tmax = std::max(tmax, round2(b.chip_hot()));
    tavg += chip_avg(b) / static_cast<double>(r.boards.size());
  }
  const double diff_acc = static_cast<double>(r.accepted) * r.pool_difficulty;
  const int fan_in = r.fans.empty() ? 0 : r.fans[0].rpm;
  const int fan_out = r.fans.size() > 1 ? r.fans[1].rpm : fan_in;
  Json s = Json::object();
  s["Accepted"] = r.accepted;
  s["Best Share"] = whole(r.best_share);
  s["CB Platform"] = fw.v3 ? "H616" : "ALLWINNER_H3";
  s["CB Version"] = "V8";
  s["Chip Data"] = "HP5A01-19101436   BINV04-192101D";
  s["Chip Temp Avg"] = round2(tavg);
  s["Chip Temp Max"] = tmax;
  s["Chip Temp Min"] = r.boards.empty() ? 0.0 : tmin;
  s["Device Hardware%"] = 0.011;
  s["Device Rejected%"] = 0.0;
  s["Difficulty Accepted"] = diff_acc;
  s["Difficulty Rejected"] = static_cast<double>(r.rejected) * r.pool_difficulty;
  s["Difficulty Stale"] = 0.0;
  s["Discarded"] = r.getworks * 645;
  s["Elapsed"] = r.elapsed_s;
  s["Error Code Count"] = 0;
  s["Factory Error Code Count"] = 0;
  s["Factory GHS"] = whole(r.model().nominal_ths * 1000.0);
  s["Fan Speed In"] = fan_in;
  s["Fan Speed Out"] = fan_out;
  s["Firmware Version"] = "'" + std::string(fw.fw_ver) + "'";
  s["Found Blocks"] = 0;
  s["Get Failures"] = 0;
  s["Getworks"] = r.getworks;
  s["HS RT"] = round2(r.ghs_5m * 1000.0);
  s["Hardware Errors"] = r.hw_errors;
  s["Hash Deviation%"] = 0.1061;
  s["Hash Stable"] = r.state == PowerState::kMining;
  s["Hash Stable Cost Seconds"] = std::min<int64_t>(r.elapsed_s, 1538);
  s["Last getwork"] = 0;
  s["Liquid Cooling"] = false;
  s["Local Work"] = r.getworks * 83843;
  s["MAC"] = r.identity->mac;
  s["MHS 15m"] = round2(r.ghs_15m * 1000.0);
  s["MHS 1m"] = round2(r.ghs_1m * 1000.0);
  s["MHS 5m"] = round2(r.ghs_5m * 1000.0);
  s["MHS 5s"] = round2(r.ghs_5s * 1000.0);
  s["MHS av"] = round2(r.ghs_av * 1000.0);
  s["Network Blocks"] = 20;
  s["Pool Rejected%"] = 0.0;
  s["Pool Stale%"] = 0.0;
  s["Power"] = whole(r.power_w);
  s["Power Current"] = whole(r.power_w / 13.1);
  s["Power Fanspeed"] = r.hashing() ? 9060 : 0;
  s["Power Limit"] = whole(r.power_limit_w);
  s["Power Mode"] = "Normal";
  s["Power_RT"] = whole(r.power_w * 1.003);
  s["Rejected"] = r.rejected;
  s["Remote Failures"] = 0;
  s["Security Mode"] = 0;
  s["Stale"] = r.stale;
  s["Target Freq"] = r.model().freq_mhz;
  s["Target MHS"] = whole(r.ghs_ideal * 950.0);
  s["Temperature"] = round2(r.temp_max());
  s["Total MH"] = std::round(r.total_mh);
  s["Uptime"] = r.elapsed_s + 638;
  s["Utility"] =
      r.elapsed_s > 0
          ? round2(static_cast<double>(r.accepted) * 60.0 / static_cast<double>(r.elapsed_s))
          : 0.0;
  s["Voltage"] = whole(r.model().board_voltage * 100.0);
  s["Work Utility"] =
      r.elapsed_s > 0 ? round2(diff_acc / 65536.0 * 60.0 / static_cast<double>(r.elapsed_s)) : 0.0;
  s["freq_avg"] = r.boards.empty() ? 0 : r.boards[0].freq_mhz;
  return reply(r, code::kSummary, "Summary", "SUMMARY", Json::array({s}));
}

Json dev_entry(const DeviceReading& r, const BoardReading& b) {
  const double share = r.boards.empty() ? 0 : 1.0 / static_cast<double>(r.boards.size());
  const auto accepted = static_cast<int64_t>(static_cast<double>(r.accepted) * share);
  const int fan_in = r.fans.empty() ? 0 : r.fans[0].rpm;
  Json d = Json::object();
  d["ASC"] = b.index;
  d["Accepted"] = accepted;
  d["Chip Frequency"] = b.freq_mhz;
  d["Chip Temp Avg"] = chip_avg(b);
  d["Chip Temp Max"] = round2(b.chip_hot());
  d["Chip Temp Min"] = chip_min(b);
  d["Device Elapsed"] = r.elapsed_s;
  d["Device Hardware%"] = 0.0072;
  d["Device Rejected%"] = 0.0;
  d["Diff1 Work"] = whole(static_cast<double>(accepted) * 263.0);
  d["Difficulty Accepted"] = static_cast<double>(accepted) * r.pool_difficulty;
  d["Difficulty Rejected"] = 0.0;
  d["Effective Chips"] = b.alive ? b.chips_present : 0;
  d["Enabled"] = "Y";
  d["Fan Speed In"] = fan_in;
  d["Fan Speed Out"] = r.fans.size() > 1 ? r.fans[1].rpm : fan_in;
  d["Hardware Errors"] = b.hw_errors;
  d["ID"] = b.index;
  d["Last Share Difficulty"] = r.pool_difficulty;
  d["Last Share Pool"] = 0;
  d["Last Share Time"] = r.last_share_unix;
  d["Last Valid Work"] = r.when_unix;
  d["MHS 15m"] = round2(b.ghs * 1000.0);
  d["MHS 1m"] = round2(b.ghs * 1000.0);
  d["MHS 5m"] = round2(b.ghs * 1000.0);
  d["MHS 5s"] = round2(b.ghs * 1000.0);
  d["MHS av"] = round2(b.ghs * 1000.0);
  d["Name"] = "SM";
  d["PCB SN"] = static_cast<size_t>(b.index) < r.identity->board_serials.size()
                    ? r.identity->board_serials[static_cast<size_t>(b.index)]
                    : std::string();
  d["Rejected"] = 0;
  d["Slot"] = b.index;
  d["Status"] = b.alive ? "Alive" : "Dead";
  d["Temperature"] = round2(b.hot());
  d["Total MH"] = std::round(r.total_mh * share);
  d["Upfreq Complete"] = r.state == PowerState::kMining ? 1 : 0;
  d["Utility"] = 4.7;
  return d;
}

Json devs(const DeviceReading& r) {
  Json list = Json::array();
  for (const auto& b : r.boards) list.push_back(dev_entry(r, b));
  return reply(r, code::kDevs, std::to_string(r.boards.size()) + " ASC(s)", "DEVS",
               std::move(list));
}

Json pool_entry(const DeviceReading& r, const PoolReading& p, int index) {
  const bool first = index == 0;
  Json j = Json::object();
  j["Accepted"] = p.accepted;
  j["Bad Work"] = first ? r.getworks / 50 : 0;
  j["Best Share"] = first ? whole(r.best_share) : 0;
  j["Current Block Height"] = first ? 920127 : 0;
  j["Current Block Version"] = first ? 536870912 : 0;
  j["Diff1 Shares"] = whole(static_cast<double>(p.accepted) * 267.6);
  j["Difficulty Accepted"] = p.difficulty_accepted;
  j["Difficulty Rejected"] = p.difficulty_rejected;
  j["Difficulty Stale"] = 0.0;
  j["Discarded"] = first ? r.getworks * 645 : 0;
  j["Get Failures"] = 0;
  j["Getworks"] = p.getworks;
  j["Has GBT"] = false;
  j["Has Stratum"] = true;
  j["Last Share Difficulty"] = first ? r.pool_difficulty : 0.0;
  j["Last Share Time"] = first ? r.last_share_unix : 0;
  j["Long Poll"] = "N";
  j["POOL"] = index + 1;
  j["Pool Rejected%"] = 0.0;
  j["Pool Stale%"] = 0.0;
  j["Priority"] = p.priority;
  j["Proxy"] = "";
  j["Proxy Type"] = "";
  j["Quota"] = 1;
  j["Rejected"] = p.rejected;
  j["Remote Failures"] = 0;
  j["Stale"] = 0;
  j["Status"] = p.status;
  j["Stratum Active"] = p.active;
  j["Stratum Difficulty"] = p.active ? r.pool_difficulty : 0.0;
  std::string host = p.url;
  if (auto s = host.find("://"); s != std::string::npos) host = host.substr(s + 3);
  if (auto c = host.rfind(':'); c != std::string::npos) host = host.substr(0, c);
  j["Stratum URL"] = host;
  j["URL"] = p.url;
  j["User"] = p.user;
  j["Work Difficulty"] = 0.0;
  j["Works"] = first ? r.getworks * 85216 : 0;
  return j;
}

Json pools(const DeviceReading& r) {
  Json list = Json::array();
  for (size_t i = 0; i < r.pools.size(); ++i)
    list.push_back(pool_entry(r, r.pools[i], static_cast<int>(i)));
  return reply(r, code::kPools, std::to_string(r.pools.size()) + " Pool(s)", "POOLS",
               std::move(list));
}

Json devdetails(const DeviceReading& r) {
  Json list = Json::array();
  for (const auto& b : r.boards) {
    Json j = Json::object();
    j["DEVDETAILS"] = b.index;
    j["Device Path"] = "";
    j["Driver"] = "bitmicro";
    j["ID"] = b.index;
    j["Kernel"] = "";
    j["Model"] = r.model().name;
    j["Name"] = "SM";
    list.push_back(std::move(j));
  }
  return reply(r, code::kDevDetails, "Device Details", "DEVDETAILS", std::move(list));
}

Json version(const DeviceReading& r) {
  Json v = Json::object();
  v["API"] = "3.7";
  v["CGMiner"] = "4.9.2";
  return reply(r, code::kVersion, "CGMiner versions", "VERSION", Json::array({v}));
}

// btmineroff is inverted on pre-2024 firmware ("true" while btminer runs); 2024+ firmware
// sends mineroff with its plain meaning.
Json status(const DeviceReading& r) {
  const auto fw = firmware_of(r);
  const bool stopped = r.curtailed || r.state == PowerState::kSleeping;
  Json m = Json::object();
  m["Firmware Version"] = "'" + std::string(fw.fw_ver) + "'";
  if (fw.v3) {
    m["mineroff"] = stopped ? "true" : "false";
    if (stopped) m["mineroff_reason"] = "by whatsminer api";
  } else {
    m["btmineroff"] = stopped ? "false" : "true";
  }
  return flat_reply(r, std::move(m));
}

class WhatsminerResponder final : public FamilyResponder {
 public:
  std::string_view description() const override { return kDescription; }
  bool sorted_keys() const override { return true; }

  std::optional<Json> respond(std::string_view command, std::string_view /*parameter*/,
                              const DeviceReading& r) const override {
    std::optional<Json> j;
    if (command == "summary") j = summary(r);
    if (command == "devs" || command == "edevs") j = devs(r);
    if (command == "pools") j = pools(r);
    if (command == "devdetails") j = devdetails(r);
    if (command == "version") j = version(r);
    if (command == "status") j = status(r);
    if (command == "get_version") {
      const auto fw = firmware_of(r);
      Json m = Json::object();
      m["api_ver"] = fw.api_ver;
      m["fw_ver"] = fw.fw_ver;
      j = flat_reply(r, std::move(m));
    }
    if (command == "get_psu") {
      Json m = Json::object();
      m["hw_version"] = "";
      m["model"] = "P21-12-3600-E";
      m["name"] = "P21";
      m["sw_version"] = "102220.009";
      j = flat_reply(r, std::move(m));
    }
    if (!j) return std::nullopt;
    return sim::sorted_keys(*j);
  }

  std::optional<Json> respond_on(std::string_view command, std::string_view parameter,
                                 const DeviceReading& r,
                                 const DeviceAccess& access) const override {
    if (command == "get_token") return sim::sorted_keys(whatsminer::get_token(r, access));
    return respond(command, parameter, r);
  }
};

}  // namespace

const FamilyResponder& whatsminer_responder() {
  static const WhatsminerResponder instance;
  return instance;
}

}  // namespace rigkeeper::drivers::sim
