#include "drivers/sim/cgminer4_sections.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace rigkeeper::drivers::sim::cgminer4 {

namespace {

double ratio_pct(double part, double whole) {
  return whole > 0 ? std::round(part * 1e6 / whole) / 1e4 : 0.0;
}

double per_minute(double value, int64_t elapsed_s) {
  return elapsed_s > 0 ? round2(value * 60.0 / static_cast<double>(elapsed_s)) : 0.0;
}

}  // namespace

Json summary_entry(const DeviceReading& r) {
  const double mhs = 1000.0;
  const double diff_acc = static_cast<double>(r.accepted) * r.pool_difficulty;
  const double diff_rej = static_cast<double>(r.rejected) * r.pool_difficulty;
  Json s = Json::object();
  s["Elapsed"] = r.elapsed_s;
  s["MHS av"] = round2(r.ghs_av * mhs);
  s["MHS 5s"] = round2(r.ghs_5s * mhs);
  s["MHS 1m"] = round2(r.ghs_1m * mhs);
  s["MHS 5m"] = round2(r.ghs_5m * mhs);
  s["MHS 15m"] = round2(r.ghs_15m * mhs);
  s["Found Blocks"] = 0;
  s["Getworks"] = r.getworks;
  s["Accepted"] = r.accepted;
  s["Rejected"] = r.rejected;
  s["Hardware Errors"] = r.hw_errors;
  s["Utility"] = per_minute(static_cast<double>(r.accepted), r.elapsed_s);
  s["Discarded"] = r.getworks * 4;
  s["Stale"] = r.stale;
  s["Get Failures"] = 0;
  s["Local Work"] = r.getworks * 8;
  s["Remote Failures"] = 0;
  s["Network Blocks"] = r.elapsed_s / 600;
  s["Total MH"] = r.total_mh;
  s["Work Utility"] = per_minute(diff_acc, r.elapsed_s);
  s["Difficulty Accepted"] = diff_acc;
  s["Difficulty Rejected"] = diff_rej;
  s["Difficulty Stale"] = 0.0;
  s["Best Share"] = static_cast<int64_t>(r.best_share);
  s["Device Hardware%"] =
      ratio_pct(static_cast<double>(r.hw_errors), diff_acc + static_cast<double>(r.hw_errors));
  s["Device Rejected%"] = ratio_pct(diff_rej, diff_acc);
  s["Pool Rejected%"] = ratio_pct(diff_rej, diff_acc + diff_rej);
  s["Pool Stale%"] = 0.0;
  s["Last getwork"] = r.last_share_unix;
  return s;
}

Json asc_entry(const DeviceReading& r, const BoardReading& b, std::string_view name, int id_offset,
               bool with_nominal) {
  const double share = r.ghs_5s > 0 ? b.ghs / r.ghs_5s : 1.0 / static_cast<double>(r.boards.size());
  const auto accepted = static_cast<int64_t>(static_cast<double>(r.accepted) * share);
  const auto rejected = static_cast<int64_t>(static_cast<double>(r.rejected) * share);
  const double scale = r.ghs_5s > 0 ? b.ghs / r.ghs_5s * 1000.0 : 0.0;
  Json d = Json::object();
  d["ASC"] = b.index;
  d["Name"] = name;
  d["ID"] = b.index + id_offset;
  d["Enabled"] = "Y";
  d["Status"] = b.alive ? "Alive" : "Dead";
  d["Temperature"] = b.hot();
  d["MHS av"] = round2(r.ghs_av * 1000.0 * share);
  d["MHS 5s"] = round2(b.ghs * 1000.0);
  d["MHS 1m"] = round2(r.ghs_1m * scale);
  d["MHS 5m"] = round2(r.ghs_5m * scale);
  d["MHS 15m"] = round2(r.ghs_15m * scale);
  if (with_nominal) d["Nominal MHS"] = round2(b.ghs_ideal * 1000.0);
  d["Accepted"] = accepted;
  d["Rejected"] = rejected;
  d["Hardware Errors"] = b.hw_errors;
  d["Utility"] = per_minute(static_cast<double>(accepted), r.elapsed_s);
  d["Last Share Pool"] = 0;
  d["Last Share Time"] = r.last_share_unix;
  d["Total MH"] = round2(r.total_mh * share);
  d["Diff1 Work"] = static_cast<int64_t>(static_cast<double>(accepted) * r.pool_difficulty);
  d["Difficulty Accepted"] = static_cast<double>(accepted) * r.pool_difficulty;
  d["Difficulty Rejected"] = static_cast<double>(rejected) * r.pool_difficulty;
  d["Last Share Difficulty"] = r.pool_difficulty;
  d["Last Valid Work"] = r.last_share_unix;
  d["Device Hardware%"] = 0.0;
  d["Device Rejected%"] = ratio_pct(static_cast<double>(rejected), static_cast<double>(accepted));
  d["Device Elapsed"] = r.elapsed_s;
  return d;
}

Json pool_list(const DeviceReading& r) {
  Json list = Json::array();
  for (size_t i = 0; i < r.pools.size(); ++i) {
    const auto& p = r.pools[i];
    const bool live = p.active && r.hashing();
    const double diff = p.active ? r.pool_difficulty : 0.0;
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
    j["Works"] = p.getworks * 4;
    j["Discarded"] = p.active ? r.getworks * 4 : 0;
    j["Stale"] = p.active ? r.stale : 0;
    j["Get Failures"] = 0;
    j["Remote Failures"] = 0;
    j["User"] = p.user;
    j["Last Share Time"] = p.active ? r.last_share_unix : 0;
    j["Diff1 Shares"] = static_cast<int64_t>(p.difficulty_accepted + p.difficulty_rejected);
    j["Proxy Type"] = "";
    j["Proxy"] = "";
    j["Difficulty Accepted"] = p.difficulty_accepted;
    j["Difficulty Rejected"] = p.difficulty_rejected;
    j["Difficulty Stale"] = 0.0;
    j["Last Share Difficulty"] = diff;
    j["Work Difficulty"] = diff;
    j["Has Stratum"] = true;
    j["Stratum Active"] = live;
    j["Stratum URL"] = live ? host : "";
    j["Stratum Difficulty"] = diff;
    j["Has Vmask"] = true;
    j["Has GBT"] = false;
    j["Best Share"] = p.active ? static_cast<int64_t>(r.best_share) : 0;
    j["Pool Rejected%"] =
        ratio_pct(p.difficulty_rejected, p.difficulty_accepted + p.difficulty_rejected);
    j["Pool Stale%"] = 0.0;
    j["Bad Work"] = 0;
    j["Current Block Height"] = p.active ? 880000 + r.elapsed_s / 600 : 0;
    j["Current Block Version"] = p.active ? 536870912 : 0;
    list.push_back(std::move(j));
  }
  return list;
}

Json config_entry(const DeviceReading& r) {
  Json c = Json::object();
  c["ASC Count"] = static_cast<int>(r.boards.size());
  c["PGA Count"] = 0;
  c["Pool Count"] = static_cast<int>(r.pools.size());
  c["Strategy"] = "Failover";
  c["Log Interval"] = 5;
  c["Device Code"] = "";
  c["OS"] = "Linux";
  c["Hotplug"] = "None";
  return c;
}

}  // namespace rigkeeper::drivers::sim::cgminer4
