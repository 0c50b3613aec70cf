// Read bodies of the Braiins OS+ 25.07 REST personality, key-for-key as the captures in
// shared/fixtures/asic/braiins/rest_v25_07_*.json (keys sorted, as that API's serializer
// writes them); values come from the device's reading.
#include <algorithm>
#include <cmath>
#include <string>

#include "drivers/sim/braiins_rest.h"
#include "drivers/sim/braiins_rest_state.h"

namespace rigkeeper::drivers::sim {

namespace {

Json gh(double v) { return Json{{"gigahash_per_second", v}}; }
Json deg(double v) { return Json{{"degree_c", std::round(v * 2) / 2}}; }
Json watt(double v) { return Json{{"watt", static_cast<int64_t>(std::llround(v))}}; }

Json real_hashrate(double g5s, double g1m, double g5m, double g15m, double g30m, double g24h,
                   double gav) {
  return Json{{"last_15m", gh(g15m)}, {"last_15s", gh((g5s + g1m) / 2)},
              {"last_1h", gh(g30m)},  {"last_1m", gh(g1m)},
              {"last_24h", gh(g24h)}, {"last_30m", gh(g30m)},
              {"last_30s", gh(g5s)},  {"last_5m", gh(g5m)},
              {"last_5s", gh(g5s)},   {"since_restart", gh(gav)}};
}

int miner_status_of(const DeviceReading& r) {
  // Paused is acknowledged at once (hashing winds down behind it); bosminer reports "normal"
  // while it starts and tunes.
  return r.curtailed ? 3 : 2;
}

Json details(const DeviceReading& r, const DeviceIdentity& id) {
  const auto& m = r.model();
  return Json{
      {"bos_mode", 4},
      {"bos_version",
       {{"bos_plus", true},
        {"current", "2025-08-06-0-3881c51d-25.07-plus"},
        {"major", "2022-09-13-0-11012d53-22.08-plus"}}},
      {"bosminer_uptime_s", r.elapsed_s},
      {"control_board_soc_family", 3},
      {"hostname", id.hostname},
      {"kernel_version", "4.9.113"},
      {"mac_address", id.mac},
      {"miner_identity", {{"brand", 1}, {"miner_model", m.name}, {"model", 18}, {"name", m.name}}},
      {"platform", 4},
      {"psu_info",
       {{"fw_version", nullptr},
        {"max_voltage", {{"volt", 15.2}}},
        {"min_voltage", {{"volt", 11.96}}},
        {"model_name", "APW121215d/e"},
        {"serial_number", nullptr},
        {"version", 117}}},
      {"serial_number", nullptr},
      {"status", miner_status_of(r)},
      {"sticker_hashrate", gh(m.nominal_ths * 1000)},
      {"system_uptime", r.elapsed_s + 40},
      {"system_uptime_s", r.elapsed_s + 40},
      {"uid", id.miner_id.substr(0, 16)}};
}

Json share_time(int64_t unix_s) { return Json{{"nanos", 0}, {"seconds", unix_s}}; }

Json stats(const DeviceReading& r) {
  const double eff = r.ghs_5s > 0 ? r.power_w / (r.ghs_5s / 1000) : 0.0;
  return Json{{"miner_stats",
               {{"best_share", static_cast<int64_t>(r.best_share)},
                {"error_hashrate", {{"megahash_per_second", 0.0}}},
                {"found_blocks", 0},
                {"nominal_hashrate", gh(r.ghs_ideal)},
                {"real_hashrate", real_hashrate(r.ghs_5s, r.ghs_1m, r.ghs_5m, r.ghs_15m, r.ghs_30m,
                                                r.ghs_24h, r.ghs_av)}}},
              {"pool_stats",
               {{"accepted_shares", r.accepted},
                {"best_share", static_cast<int64_t>(r.best_share)},
                {"generated_work", static_cast<int64_t>(r.total_mh)},
                {"last_difficulty", static_cast<int64_t>(r.pool_difficulty)},
                {"last_share_time", share_time(r.last_share_unix)},
                {"rejected_shares", r.rejected},
                {"stale_shares", r.stale}}},
              {"power_stats",
               {{"approximated_consumption", watt(r.power_w)},
                {"efficiency", {{"joule_per_terahash", eff}}}}}};
}

Json hashboards(const DeviceReading& r, const DeviceIdentity& id) {
  Json list = Json::array();
  for (const auto& b : r.boards) {
    const double share = r.ghs_5s > 0 ? b.ghs / r.ghs_5s : 0.0;
    const std::string serial =
        static_cast<size_t>(b.index) < id.board_serials.size() ? id.board_serials[b.index] : "";
    list.push_back(
        Json{{"board_name", "BHB56801"},
             {"board_temp", deg(b.hot())},
             {"chip_type", "BM1366"},
             {"chips_count", b.alive ? b.chips_present : 0},
             {"current_frequency", {{"hertz", b.freq_mhz * 1e6}}},
             {"current_voltage", {{"volt", b.voltage}}},
             {"enabled", true},
             {"highest_chip_temp",
              {{"id", b.index + 1}, {"location", 1}, {"temperature", deg(b.chip_hot())}}},
             {"highest_outlet_temp", deg(b.hot())},
             {"id", std::to_string(b.index + 1)},
             {"lowest_inlet_temp", deg(b.inlet())},
             {"model", "BHB56801"},
             {"serial_number", serial},
             {"stats",
              {{"best_share", static_cast<int64_t>(r.best_share)},
               {"error_hashrate", {{"megahash_per_second", 0.0}}},
               {"found_blocks", 0},
               {"nominal_hashrate", gh(b.ghs_ideal)},
               {"real_hashrate",
                real_hashrate(b.ghs, r.ghs_1m * share, r.ghs_5m * share, r.ghs_15m * share,
                              r.ghs_30m * share, r.ghs_24h * share, r.ghs_av * share)}}}});
  }
  return Json{{"hashboards", std::move(list)}};
}

Json cooling(const DeviceReading& r) {
  Json fans = Json::array();
  for (size_t f = 0; f < r.fans.size(); ++f) {
    fans.push_back(Json{{"position", static_cast<int>(f)},
                        {"rpm", r.fans[f].rpm},
                        {"target_speed_ratio", r.fans[f].duty_pct / 100.0}});
  }
  return Json{{"fans", std::move(fans)},
              {"highest_temperature",
               {{"id", nullptr}, {"location", 1}, {"temperature", deg(r.chip_temp_max())}}}};
}

Json errors(const DeviceReading& r) {
  Json list = Json::array();
  for (const auto& f : r.active_faults) {
    list.push_back(Json{{"components", Json::array()},
                        {"error_codes", Json::array()},
                        {"message", f},
                        {"timestamp", "2026-01-01T00:00:00.000000Z"}});
  }
  return Json{{"errors", std::move(list)}};
}

Json pools(const DeviceReading& r) {
  Json list = Json::array();
  int n = 0;
  for (const auto& p : r.pools) {
    list.push_back(Json{{"active", p.active},
                        {"alive", p.status == "Alive"},
                        {"enabled", true},
                        {"stats",
                         {{"accepted_shares", p.accepted},
                          {"best_share", static_cast<int64_t>(r.best_share)},
                          {"generated_work", p.getworks},
                          {"last_difficulty", static_cast<int64_t>(r.pool_difficulty)},
                          {"last_share_time", share_time(r.last_share_unix)},
                          {"rejected_shares", p.rejected},
                          {"stale_shares", 0}}},
                        {"uid", "pool" + std::to_string(n++)},
                        {"url", p.url},
                        {"user", p.user}});
  }
  return Json::array({Json{
      {"name", "Default"}, {"pools", std::move(list)}, {"strategy", {{"quota", {{"value", 1}}}}}}});
}

Json tuner(const DeviceReading& r, int64_t now_unix) {
  const double target = r.power_limit_w > 0 ? r.power_limit_w : r.model().nominal_power_w();
  return Json{{"mode_state",
               {{"powertargetmodestate",
                 {{"current_target", watt(target)},
                  {"profile",
                   {{"created", share_time(now_unix - r.elapsed_s)},
                    {"estimated_power_consumption", watt(r.power_w)},
                    {"measured_hashrate", gh(r.ghs_ideal)},
                    {"target", watt(target)}}}}}}},
              {"overall_tuner_state", 2}};
}

}  // namespace

Json braiins_rest_read(std::string_view path, AsicDevice& device, SimTime now, int64_t now_unix) {
  if (path == "actions/locate") return Json(braiins_rest_state(device).locate);
  const DeviceReading r = device.read(now, now_unix, HealthEffects{});
  const auto& id = device.identity();
  if (path == "miner/details") return details(r, id);
  if (path == "miner/stats") return stats(r);
  if (path == "miner/hw/hashboards") return hashboards(r, id);
  if (path == "cooling/state") return cooling(r);
  if (path == "miner/errors") return errors(r);
  if (path == "pools") return pools(r);
  if (path == "performance/tuner-state") return tuner(r, now_unix);
  return Json();
}

}  // namespace rigkeeper::drivers::sim
