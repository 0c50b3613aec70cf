// Stock Antminer (bmminer) replies. Shape, key order and value types follow the S19 Pro
// captures in shared/fixtures/asic/antminer_stock/ (BMMiner 1.0.0 / Miner 49.0.1.3), typos and
// quirks included: devs "Tenperature", devs reporting zero hashrate, devs "Last Share
// Difficulty" holding a timestamp, pools "Pool Stale%%", stats "temp_max" 0, chain rates as
// strings. `devdetails` is denied (code 45) as on S17/Hiveon (pyasic#44, #243).
#include <algorithm>
#include <cmath>
#include <string>

#include "drivers/sim/responder.h"

namespace rigkeeper::drivers::sim {

namespace {

constexpr std::string_view kDescription = "cgminer 1.0.0";
constexpr std::string_view kBmminer = "1.0.0";
constexpr std::string_view kMiner = "49.0.1.3";
constexpr std::string_view kCompileTime = "Tue Dec  6 16:12:30 CST 2022";
constexpr int kSlots = 4;  // bmminer always reports four chain slots

double percent(int64_t part, int64_t whole) {
  return whole > 0 ? std::round(static_cast<double>(part) * 1e6 / static_cast<double>(whole)) / 1e4
                   : 0.0;
}

double per_minute(int64_t count, int64_t elapsed_s) {
  return elapsed_s > 0 ? round2(static_cast<double>(count) * 60.0 / static_cast<double>(elapsed_s))
                       : 0.0;
}

Json identity_block(const DeviceReading& r) {
  Json j = Json::object();
  j["BMMiner"] = kBmminer;
  j["Miner"] = kMiner;
  j["CompileTime"] = kCompileTime;
  j["Type"] = r.model().name;
  return j;
}

Json version(const DeviceReading& r) {
  Json v = Json::object();
  v["BMMiner"] = kBmminer;
  v["API"] = "3.1";
  v["Miner"] = kMiner;
  v["CompileTime"] = kCompileTime;
  v["Type"] = r.model().name;
  return envelope(status_entry("S", r.when_unix, code::kVersion, "CGMiner versions", kDescription),
                  "VERSION", Json::array({v}));
}

Json summary(const DeviceReading& r) {
  const double diff1 = static_cast<double>(r.accepted) * r.pool_difficulty;
  Json s = Json::object();
  s["Elapsed"] = r.elapsed_s;
  s["GHS 5s"] = r.ghs_5s;
  s["GHS av"] = r.ghs_av;
  s["GHS 30m"] = r.ghs_30m;
  s["Found Blocks"] = 0;
  s["Getwork"] = r.getworks;
  s["Accepted"] = r.accepted;
  s["Rejected"] = r.rejected;
  s["Hardware Errors"] = r.hw_errors;
  s["Utility"] = per_minute(r.accepted, r.elapsed_s);
  s["Discarded"] = r.getworks * 1000;
  s["Stale"] = r.stale;
  s["Get Failures"] = 0;
  s["Local Work"] = r.getworks * 1000 + r.accepted;
  s["Remote Failures"] = 0;
  s["Network Blocks"] = r.elapsed_s / 600;
  s["Total MH"] = r.total_mh;
  s["Work Utility"] =
      r.elapsed_s > 0 ? round2(diff1 * 60.0 / static_cast<double>(r.elapsed_s)) : 0.0;
  s["Difficulty Accepted"] = diff1;
  s["Difficulty Rejected"] = static_cast<double>(r.rejected) * r.pool_difficulty;
  s["Difficulty Stale"] = 0.0;
  s["Best Share"] = static_cast<int64_t>(r.best_share);
  s["Device Hardware%"] = 0.0;
  s["Device Rejected%"] = 0.0;
  s["Pool Rejected%"] = percent(r.rejected, r.accepted + r.rejected);
  s["Pool Stale%"] = 0.0;
  s["Last getwork"] = r.when_unix;
  return envelope(status_entry("S", r.when_unix, code::kSummary, "Summary", kDescription),
                  "SUMMARY", Json::array({s}));
}

void add_temperatures(Json& s, const DeviceReading& r) {
  s["temp_num"] = r.model().boards;
  // bmminer interleaves these exactly so: temp1, temp2_1, temp2, temp2_2, ...
  for (size_t b = 0; b < r.boards.size(); ++b) {
    const auto n = std::to_string(b + 1);
    s["temp" + n] = std::lround(r.boards[b].hot());
    s["temp2_" + n] = std::lround(r.boards[b].chip_hot());
  }
  const auto sensors = [&](size_t b, int kind) -> std::array<double, 4> {
    if (b >= r.boards.size()) return {};  // empty slot: "0-0-0-0"
    auto v = kind == 1 ? r.boards[b].temp_chip : r.boards[b].temp_pcb;
    if (kind == 2) {
      for (auto& t : v) t -= 10.0;  // the PIC sensors read 10 C under the PCB ones
    }
    return v;
  };
  static constexpr std::string_view kKinds[] = {"temp_pcb", "temp_chip", "temp_pic"};
  for (int k = 0; k < 3; ++k) {
    for (int b = 0; b < kSlots; ++b) {
      s[std::string(kKinds[k]) + std::to_string(b + 1)] =
          dash_joined(sensors(static_cast<size_t>(b), k));
    }
  }
}

void add_chains(Json& s, const DeviceReading& r) {
  const auto slot = [&](const char* key, int b) {
    return std::string(key) + std::to_string(b + 1);
  };
  for (int b = 0; b < kSlots; ++b) {
    const bool here = b < static_cast<int>(r.boards.size());
    s[slot("chain_acn", b)] = here ? r.boards[static_cast<size_t>(b)].chips_present : 0;
  }
  for (int b = 0; b < kSlots; ++b) {
    const bool here = b < static_cast<int>(r.boards.size());
    s[slot("chain_acs", b)] =
        here ? chain_acs(r.boards[static_cast<size_t>(b)].chips_present, r.model().chip_group) : "";
  }
  for (int b = 0; b < kSlots; ++b) {
    const bool here = b < static_cast<int>(r.boards.size());
    s[slot("chain_hw", b)] = here ? r.boards[static_cast<size_t>(b)].hw_errors : 0;
  }
  for (int b = 0; b < kSlots; ++b) {
    const bool here = b < static_cast<int>(r.boards.size());
    s[slot("chain_rate", b)] = here ? fixed2(r.boards[static_cast<size_t>(b)].ghs) : "";
  }
  for (int b = 0; b < kSlots; ++b) {
    const bool here = b < static_cast<int>(r.boards.size());
    s[slot("freq", b)] = here ? r.boards[static_cast<size_t>(b)].freq_mhz : 0;
  }
}

Json stats(const DeviceReading& r) {
  int chips = 0;
  for (const auto& b : r.boards) chips += b.chips_present;
  const int freq = r.boards.empty() ? 0 : r.boards.front().freq_mhz;
  Json s = Json::object();
  s["STATS"] = 0;
  s["ID"] = "BTM_SOC0";
  s["Elapsed"] = r.elapsed_s;
  s["Calls"] = 0;
  s["Wait"] = 0;
  s["Max"] = 0;
  s["Min"] = 99999999;
  s["GHS 5s"] = r.ghs_5s;
  s["GHS av"] = r.ghs_av;
  s["rate_30m"] = r.ghs_30m;
  s["Mode"] = 2;
  s["miner_count"] = r.model().boards;
  s["frequency"] = freq;
  s["fan_num"] = r.model().fans;
  for (size_t f = 0; f < r.fans.size(); ++f) s["fan" + std::to_string(f + 1)] = r.fans[f].rpm;
  add_temperatures(s, r);
  s["total_rateideal"] = r.ghs_ideal;
  s["rate_unit"] = "GH";
  s["total_freqavg"] = freq;
  s["total_acn"] = chips;
  s["total rate"] = r.ghs_5s;
  s["temp_max"] = 0;  // the S19 Pro capture says 0 whatever the boards read
  s["no_matching_work"] = r.hw_errors;
  add_chains(s, r);
  s["miner_version"] = kMiner;
  s["miner_id"] = r.identity->miner_id;
  return envelope(status_entry("S", r.when_unix, code::kStats, "CGMiner stats", kDescription),
                  "STATS", Json::array({identity_block(r), s}));
}

Json devs(const DeviceReading& r) {
  const double diff_accepted = static_cast<double>(r.accepted) * r.pool_difficulty;
  Json d = Json::object();
  d["ASC"] = 0;
  d["Name"] = "BTM_SOC";
  d["ID"] = 0;
  d["Enabled"] = "Y";
  d["Status"] = "Alive";
  d["Tenperature"] = 0.0;
  d["MHS av"] = 0.0;
  d["MHS 5s"] = 0.0;
  d["Accepted"] = r.accepted;
  d["Rejected"] = r.rejected;
  d["Hardware Errors"] = 0;
  d["Utility"] = 0.0;
  d["Last Share Pool"] = 0;
  d["Last Share Time"] = r.last_share_unix;
  d["Total MH"] = 0.0;
  d["Diff1 Work"] = 0;
  d["Difficulty Accepted"] = static_cast<int64_t>(diff_accepted);
  d["Difficulty Rejected"] =
      static_cast<int64_t>(static_cast<double>(r.rejected) * r.pool_difficulty);
  d["Last Share Difficulty"] = r.last_share_unix;
  d["Last Valid Work"] = r.last_share_unix;
  d["Device Hardware%"] = 0.0;
  d["Device Rejected%"] = 0.0;
  d["Device Elapsed"] = r.elapsed_s;
  return envelope(status_entry("S", r.when_unix, code::kDevs, "1 ASC(s)", kDescription), "DEVS",
                  Json::array({d}));
}

Json pools(const DeviceReading& r) {
  Json list = Json::array();
  for (size_t i = 0; i < r.pools.size(); ++i) {
    const auto& p = r.pools[i];
    const bool live = p.active && r.hashing();
    const std::string host = p.url.substr(std::min(p.url.find("://") + 3, p.url.size()));
    Json j = Json::object();
    j["POOL"] = static_cast<int>(i);
    j["URL"] = p.url;
    j["Status"] = p.status;
    j["Priority"] = p.priority;
    j["Quota"] = 1;
    j["Long Poll"] = "N";
    j["Getworks"] = p.getworks;
    j["Accepted"] = p.accepted;
    j["Rejected"] = p.rejected;
    j["Discarded"] = p.active ? r.getworks * 1000 : 0;
    j["Stale"] = p.active ? r.stale : 0;
    j["Get Failures"] = 0;
    j["Remote Failures"] = 0;
    j["User"] = p.user;
    j["Last Share Time"] = p.active ? share_age(r.when_unix - r.last_share_unix, false) : "0";
    j["Diff"] = p.active ? short_difficulty(r.pool_difficulty) : "";
    j["Diff1 Shares"] = 0;
    j["Proxy Type"] = "";
    j["Proxy"] = "";
    j["Difficulty Accepted"] = p.difficulty_accepted;
    j["Difficulty Rejected"] = p.difficulty_rejected;
    j["Difficulty Stale"] = 0.0;
    j["Last Share Difficulty"] = p.active ? r.pool_difficulty : 0.0;
    j["Has Stratum"] = true;
    j["Stratum Active"] = live;
    j["Stratum URL"] = live ? host.substr(0, host.rfind(':')) : "";
    j["Has GBT"] = false;
    j["Best Share"] = p.active ? r.best_share : 0.0;
    j["Pool Rejected%"] = percent(p.rejected, p.accepted + p.rejected);
    j["Pool Stale%%"] = 0.0;
    list.push_back(std::move(j));
  }
  const auto msg = std::to_string(r.pools.size()) + " Pool(s)";
  return envelope(status_entry("S", r.when_unix, code::kPools, msg, kDescription), "POOLS",
                  std::move(list));
}

class AntminerResponder final : public FamilyResponder {
 public:
  std::string_view description() const override { return kDescription; }

  std::optional<Json> respond(std::string_view command, std::string_view,
                              const DeviceReading& r) const override {
    if (command == "version") return version(r);
    if (command == "summary") return summary(r);
    if (command == "stats") return stats(r);
    if (command == "devs") return devs(r);
    if (command == "pools") return pools(r);
    if (command == "devdetails") {
      return error_reply(code::kAccessDenied, "Access denied to 'devdetails' command", kDescription,
                         r.when_unix);
    }
    return std::nullopt;
  }
};

}  // namespace

const FamilyResponder& antminer_responder() {
  static const AntminerResponder instance;
  return instance;
}

}  // namespace rigkeeper::drivers::sim
