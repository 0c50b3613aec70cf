// LuxOS (LUXminer 2025.4.8 on S19k Pro / S19 XP) replies. Sections and keys follow the
// captures in shared/fixtures/asic/luxos/, which are stored with sorted keys, so every reply
// is key-sorted too. Quirks kept on purpose: `stats` "total rate" is one board's average and
// "total_acn" a small constant (both disagree with the real totals, as in the capture), devs
// come in an order that is not the board order, pools say "Long Pool".
#include <algorithm>
#include <cmath>
#include <string>

#include "drivers/sim/luxos_control.h"
#include "drivers/sim/luxos_replies.h"
#include "drivers/sim/responder.h"

namespace rigkeeper::drivers::sim {

namespace luxos {

Json reply(const DeviceReading& r, int code, std::string_view msg, std::string_view section,
           Json items) {
  return envelope(status_entry("S", r.when_unix, code, msg, kDescription), section,
                  std::move(items));
}

}  // namespace luxos

namespace {

using luxos::reply;

constexpr std::string_view kCompileTime = "Tue Apr  8 22:05:35 UTC 2025";
constexpr std::string_view kMiner = "2025.4.8.220305";
constexpr std::string_view kConnectors[] = {"J7", "J9", "J8", "J10"};

double pool_rejected_pct(const DeviceReading& r) {
  const auto total = r.accepted + r.rejected;
  return total > 0
             ? std::round(static_cast<double>(r.rejected) * 1e6 / static_cast<double>(total)) / 1e4
             : 0.0;
}

Json version(const DeviceReading& r) {
  Json v = Json::object();
  v["API"] = "3.7";
  v["CompileTime"] = kCompileTime;
  v["LUXminer"] = luxos::kDescription.substr(9);
  v["Miner"] = kMiner;
  v["Type"] = r.model().name;
  return reply(r, code::kVersion, "LUXminer versions", "VERSION", Json::array({v}));
}

Json summary(const DeviceReading& r) {
  const auto diff_acc = static_cast<int64_t>(static_cast<double>(r.accepted) * r.pool_difficulty);
  Json s = Json::object();
  s["Accepted"] = r.accepted;
  s["Best Share"] = static_cast<int64_t>(r.pool_difficulty);
  s["Device Hardware%"] = 0.0;
  s["Device Rejected%"] = 0.0;
  s["Difficulty Accepted"] = diff_acc;
  s["Difficulty Rejected"] =
      static_cast<int64_t>(static_cast<double>(r.rejected) * r.pool_difficulty);
  s["Difficulty Stale"] = 0;
  s["Discarded"] = 0;
  s["Elapsed"] = r.elapsed_s;
  s["Found Blocks"] = 0;
  s["GHS 15m"] = r.ghs_15m;
  s["GHS 1m"] = r.ghs_1m;
  s["GHS 24h"] = r.ghs_24h;
  s["GHS 30m"] = r.ghs_30m;
  s["GHS 5m"] = r.ghs_5m;
  s["GHS 5s"] = r.ghs_5s;
  s["GHS av"] = r.ghs_av;
  s["Get Failures"] = 0;
  s["Getworks"] = r.getworks;
  s["Hardware Errors"] = r.hw_errors;
  s["Last getwork"] = r.last_share_unix;
  s["Local Work"] = 0;
  s["Network Blocks"] = 0;
  s["Pool Rejected%"] = pool_rejected_pct(r);
  s["Pool Stale%"] = 0.0;
  s["Rejected"] = r.rejected;
  s["Remote Failures"] = 0;
  s["Stale"] = 0;
  s["Total MH"] = r.total_mh;
  s["Utility"] =
      r.elapsed_s > 0
          ? round2(static_cast<double>(r.accepted) * 60.0 / static_cast<double>(r.elapsed_s))
          : 0.0;
  s["Work Utility"] =
      r.elapsed_s > 0
          ? round2(static_cast<double>(diff_acc) / 1e6 * 60.0 / static_cast<double>(r.elapsed_s))
          : 0.0;
  return reply(r, code::kSummary, "Summary", "SUMMARY", Json::array({s}));
}

// LuxOS reports the same four sensors as pcb, chip and pic: exhaust/intake at top and bottom.
std::array<double, 4> sensors(const BoardReading& b) {
  return {b.hot(), b.inlet(), b.inlet(), b.hot()};
}

Json stats(const DeviceReading& r) {
  Json head = Json::object();
  head["CompileTime"] = kCompileTime;
  head["Miner"] = kMiner;
  head["Type"] = r.model().name;
  Json s = Json::object();
  s["STATS"] = 0;
  s["ID"] = "BTM_SOC0";
  s["Elapsed"] = r.elapsed_s;
  for (const char* k : {"Calls", "Max", "Wait"}) s[k] = 0;
  s["Min"] = 99999999;
  s["GHS 5s"] = r.ghs_5s;
  s["GHS av"] = r.ghs_av;
  s["Mode"] = 2;
  s["rate_30m"] = r.ghs_30m;
  s["rate_unit"] = "GH";
  s["fan_num"] = r.model().fans;
  for (size_t f = 0; f < r.fans.size(); ++f) s["fan" + std::to_string(f + 1)] = r.fans[f].rpm;
  s["miner_count"] = r.model().boards;
  std::string mac = r.identity->mac;
  std::erase(mac, ':');
  s["miner_id"] = mac;
  s["miner_version"] = kMiner;
  s["no_matching_work"] = r.hw_errors;
  const int freq = r.boards.empty() ? 0 : r.boards.front().freq_mhz;
  s["frequency"] = freq;
  s["total_freqavg"] = static_cast<double>(freq);
  s["total_rateideal"] = r.ghs_ideal;
  s["total rate"] =
      r.boards.empty() ? 0.0 : round2(r.ghs_5s / static_cast<double>(r.boards.size()));
  s["total_acn"] = 4;
  s["temp_num"] = r.model().boards;
  s["temp_max"] = r.temp_max();
  for (size_t b = 0; b < 4; ++b) {
    const auto n = std::to_string(b + 1);
    const bool here = b < r.boards.size();
    const std::string joined = here ? dash_joined(sensors(r.boards[b])) : "0-0-0-0";
    for (const char* k : {"temp_pcb", "temp_chip", "temp_pic"}) s[k + n] = joined;
    s["chain_acn" + n] = here ? r.boards[b].chips_present : 0;
    s["chain_acs" + n] = here ? chain_acs(r.boards[b].chips_present, r.model().chip_group) : "";
    s["chain_hw" + n] = here ? r.boards[b].hw_errors : 0;
    s["chain_rate" + n] = here ? fixed2(r.boards[b].ghs) : "0";
    s["freq" + n] = here ? static_cast<double>(r.boards[b].freq_mhz) : 0.0;
    if (here) {
      s["temp" + n] = r.boards[b].hot();
      s["temp2_" + n] = r.boards[b].hot();
    }
  }
  return reply(r, code::kStats, "LUXminer stats", "STATS", Json::array({head, s}));
}

Json dev_entry(const DeviceReading& r, const BoardReading& b) {
  const double nominal_mhs = b.ghs_ideal * 1000.0;
  const double share = r.ghs_5s > 0 ? b.ghs / r.ghs_5s : 1.0 / static_cast<double>(r.boards.size());
  const auto accepted = static_cast<int64_t>(static_cast<double>(r.accepted) * share);
  const auto rejected = static_cast<int64_t>(static_cast<double>(r.rejected) * share);
  const double mhs_av = r.ghs_av * 1000.0 * share;
  Json d = Json::object();
  d["ASC"] = b.index;
  d["Accepted"] = accepted;
  d["Board"] = r.model().name == std::string_view("Antminer S19 XP") ? "BHB42801" : "BHB56903";
  d["Connector"] = kConnectors[static_cast<size_t>(b.index) % 4];
  d["ControllerIPVersionHex"] = "0x18351835";
  d["ControllerIPVersionStr"] = "N/A";
  d["Device Elapsed"] = r.elapsed_s;
  d["Device Hardware%"] = 0;
  d["Device Rejected%"] = 0;
  d["Diff1 Work"] = static_cast<int64_t>(static_cast<double>(accepted) * r.pool_difficulty);
  d["Difficulty Accepted"] =
      static_cast<int64_t>(static_cast<double>(accepted) * r.pool_difficulty);
  d["Difficulty Rejected"] =
      static_cast<int64_t>(static_cast<double>(rejected) * r.pool_difficulty);
  d["Enabled"] = "Y";
  d["Hardware Error MHS 15m"] = 0;
  d["Hardware Errors"] = b.hw_errors;
  d["ID"] = b.index;
  d["IsRamping"] = r.state == PowerState::kStarting;
  d["IsUserShutdown"] = false;
  d["Last Share Difficulty"] = static_cast<int64_t>(r.pool_difficulty);
  d["Last Share Pool"] = 0;
  d["Last Share Time"] = r.last_share_unix;
  d["Last Valid Work"] = r.last_share_unix;
  const double mhs = b.ghs * 1000.0;
  d["MHS 15m"] = round2(mhs * r.ghs_15m / std::max(r.ghs_5s, 1e-9));
  d["MHS 1m"] = round2(mhs * r.ghs_1m / std::max(r.ghs_5s, 1e-9));
  d["MHS 30m"] = round2(mhs * r.ghs_30m / std::max(r.ghs_5s, 1e-9));
  d["MHS 5m"] = round2(mhs * r.ghs_5m / std::max(r.ghs_5s, 1e-9));
  d["MHS 5s"] = round2(mhs);
  d["MHS 60m"] = round2(mhs * r.ghs_24h / std::max(r.ghs_5s, 1e-9));
  d["MHS av"] = round2(mhs_av);
  d["Name"] = "";
  d["Nominal MHS"] = round2(nominal_mhs);
  d["Profile"] = r.profile.name;
  d["Rejected"] = rejected;
  d["SerialNumber"] = r.identity->board_serials[static_cast<size_t>(b.index)];
  d["Status"] = b.alive ? "Alive" : "Dead";
  d["Temperature"] = b.hot();
  d["Total MH"] = round2(r.total_mh * share);
  d["Utility"] = 0;
  return d;
}

Json devs(const DeviceReading& r) {
  Json list = Json::array();
  const size_t n = r.boards.size();
  // The capture lists ASC 2, 0, 1: LuxOS does not promise board order.
  for (size_t k = 0; k < n; ++k) list.push_back(dev_entry(r, r.boards[(k + n - 1) % n]));
  return reply(r, code::kDevs, std::to_string(n) + " ASC(s)", "DEVS", std::move(list));
}

Json pools(const DeviceReading& r) {
  Json list = Json::array();
  for (size_t i = 0; i < r.pools.size(); ++i) {
    const auto& p = r.pools[i];
    const bool live = p.active && r.hashing();
    const double diff = p.active ? r.pool_difficulty : 0.0;
    const auto diff_i = static_cast<int64_t>(diff);
    Json j = Json::object();
    j["Accepted"] = p.accepted;
    j["AsicBoost"] = true;
    j["Bad Work"] = 0;
    j["Best Share"] = diff_i;
    j["Current Block Height"] = 0;
    j["Current Block Version"] = p.active ? 536870912 : 0;
    j["Diff"] = p.active ? short_difficulty(diff) : "0";
    j["Diff1 Shares"] = static_cast<int64_t>(p.difficulty_accepted + p.difficulty_rejected);
    j["Difficulty Accepted"] = static_cast<int64_t>(p.difficulty_accepted);
    j["Difficulty Rejected"] = static_cast<int64_t>(p.difficulty_rejected);
    j["Difficulty Stale"] = 0;
    j["Discarded"] = 0;
    j["GROUP"] = 0;
    j["Get Failures"] = 0;
    j["Getworks"] = p.getworks;
    j["Has GBT"] = false;
    j["Has Stratum"] = true;
    j["Has Vmask"] = true;
    j["Last Share Difficulty"] = diff_i;
    j["Last Share Time"] =
        share_age(p.active ? r.when_unix - r.last_share_unix : r.elapsed_s, true);
    j["Long Pool"] = "N";
    j["POOL"] = static_cast<int>(i);
    j["Pool Rejected%"] = p.active ? pool_rejected_pct(r) : 0.0;
    j["Pool Stale%"] = 0.0;
    j["Priority"] = p.priority;
    j["Proxy"] = "";
    j["Proxy Type"] = "";
    j["Quota"] = 1.0;
    j["Rejected"] = p.rejected;
    j["Remote Failures"] = 0;
    j["Stale"] = 0;
    j["Status"] = p.status;
    j["Stratum Active"] = live;
    j["Stratum Difficulty"] = diff_i;
    const std::string host = p.url.substr(std::min(p.url.find("://") + 3, p.url.size()));
    j["Stratum URL"] = host;
    j["URL"] = p.url;
    j["User"] = p.user;
    j["Work Difficulty"] = diff_i;
    j["Works"] = 0;
    list.push_back(std::move(j));
  }
  return reply(r, code::kPools, std::to_string(r.pools.size()) + " Pool(s)", "POOLS",
               std::move(list));
}

class LuxosResponder final : public FamilyResponder {
 public:
  std::string_view description() const override { return luxos::kDescription; }
  bool sorted_keys() const override { return true; }

  std::optional<Json> respond(std::string_view command, std::string_view parameter,
                              const DeviceReading& r) const override {
    auto j = build(command, parameter, r);
    if (!j) return std::nullopt;
    return sim::sorted_keys(*j);
  }

  // Sessions and control verbs, and the state they leave in `config`/`pools`.
  std::optional<Json> respond_on(std::string_view command, std::string_view parameter,
                                 const DeviceReading& r,
                                 const DeviceAccess& access) const override {
    std::optional<Json> report;
    if (command == "config" || command == "pools") report = build(command, parameter, r);
    auto j = luxos::control(command, parameter, r, *access.device, access.now, report);
    if (!j) return respond(command, parameter, r);
    return sim::sorted_keys(*j);
  }

 private:
  static std::optional<Json> build(std::string_view command, std::string_view parameter,
                                   const DeviceReading& r) {
    if (command == "version") return version(r);
    if (command == "summary") return summary(r);
    if (command == "stats") return stats(r);
    if (command == "devs") return devs(r);
    if (command == "pools") return pools(r);
    if (command == "fans") return luxos::fans(r);
    if (command == "temps") return luxos::temps(r);
    if (command == "power") return luxos::power(r);
    if (command == "profiles") return luxos::profiles(r);
    if (command == "config") return luxos::config(r);
    if (command == "events") return luxos::events(r);
    if (command == "healthchipget") return luxos::healthchipget(r, parameter);
    if (command == "voltageget") return luxos::voltageget(r, parameter);
    return std::nullopt;
  }
};

}  // namespace

const FamilyResponder& luxos_responder() {
  static const LuxosResponder instance;
  return instance;
}

}  // namespace rigkeeper::drivers::sim
