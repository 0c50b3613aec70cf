// Read bodies of the VNish web personality. summary, settings and autotune/presets follow
// the captures in shared/fixtures/asic/vnish/ key for key (settings' ui block trimmed to its
// keys); info and status carry the fields public clients read (fw_name, fw_version, miner,
// serial, hr_measure; miner_state, find_miner, unlocked).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "drivers/sim/vnish_rest.h"
#include "drivers/sim/vnish_rest_state.h"

namespace rigkeeper::drivers::sim {

namespace {

constexpr std::string_view kVersion = "1.2.6";

std::string uptime_text(int64_t s) {
  char buf[48];
  const int64_t days = s / 86400, h = (s % 86400) / 3600, m = (s % 3600) / 60;
  if (days > 0) {
    std::snprintf(buf, sizeof buf, "%lld days, %2lld:%02lld", static_cast<long long>(days),
                  static_cast<long long>(h), static_cast<long long>(m));
  } else {
    std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(h),
                  static_cast<long long>(m));
  }
  return buf;
}

std::string state_word(const DeviceReading& r, const VnishRestState& st) {
  if (r.curtailed) return st.stopped ? "stopped" : "paused";
  return r.state == PowerState::kStarting ? "starting" : "mining";
}

Json system_block(const DeviceReading& r, const DeviceIdentity& id) {
  return Json{{"os", "GNU/Linux"},
              {"miner_name", "Antminer"},
              {"file_system_version", ""},
              {"mem_total", 233712},
              {"mem_free", 195048},
              {"mem_free_percent", 83},
              {"mem_buf", 19668},
              {"mem_buf_percent", 8},
              {"network_status",
               {{"mac", id.mac},
                {"dhcp", true},
                {"ip", id.ip},
                {"netmask", "255.255.255.0"},
                {"gateway", "192.168.1.1"},
                {"dns", Json::array({"192.168.1.1"})},
                {"hostname", id.hostname}}},
              {"uptime", uptime_text(r.elapsed_s + 35)}};
}

Json chain(const DeviceReading& r, const BoardReading& b) {
  Json pcb = Json::array(), chip = Json::array();
  for (size_t i = 0; i < 4; ++i) {
    pcb.push_back(Json{{"status", "measure"}, {"temp", std::lround(b.temp_pcb[i])}});
    chip.push_back(Json{{"status", "measure"}, {"temp", std::lround(b.temp_chip[i])}});
  }
  const auto [cmin, cmax] = std::minmax_element(b.temp_chip.begin(), b.temp_chip.end());
  const int present = b.alive ? b.chips_present : 0;
  return Json{
      {"id", b.index + 1},
      {"frequency", static_cast<double>(b.freq_mhz)},
      {"voltage", std::lround(b.voltage * 1000)},
      {"power_usage", std::lround(b.power_w)},
      {"hashrate_ideal", b.ghs_ideal},
      {"hashrate_rt", b.ghs},
      {"hashrate_percentage", b.ghs_ideal > 0 ? std::round(b.ghs / b.ghs_ideal * 1e4) / 100 : 0.0},
      {"hw_errors", b.hw_errors},
      {"pcb_temp_sens", std::move(pcb)},
      {"chip_temp_sens", std::move(chip)},
      {"chip_temp", {{"min", std::lround(*cmin)}, {"max", std::lround(*cmax)}}},
      {"chip_statuses", {{"red", 0}, {"orange", 0}, {"grey", present}}},
      {"status", {{"state", r.hashing() && b.alive ? "mining" : "stopped"}, {"description", ""}}}};
}

Json summary(const DeviceReading& r, const DeviceIdentity& id, const VnishRestState& st) {
  Json pools = Json::array();
  int n = 0;
  for (const auto& p : r.pools) {
    pools.push_back(
        Json{{"id", n++},
             {"url", p.url},
             {"pool_type", "UserPool"},
             {"user", p.user},
             {"status", p.active ? "active" : (p.status == "Alive" ? "working" : "offline")},
             {"asic_boost", true},
             {"diff", short_difficulty(r.pool_difficulty)},
             {"accepted", p.accepted},
             {"rejected", p.rejected},
             {"stale", 0},
             {"ls_diff", r.pool_difficulty},
             {"ls_time", "0:00:10"},
             {"diffa", p.difficulty_accepted}});
  }
  Json fans = Json::array();
  int duty = 0;
  for (size_t f = 0; f < r.fans.size(); ++f) {
    fans.push_back(Json{{"id", static_cast<int>(f)}, {"rpm", r.fans[f].rpm}});
    duty = std::max(duty, r.fans[f].duty_pct);
  }
  Json chains = Json::array();
  double pcb_min = 200, pcb_max = 0, chip_min = 200, chip_max = 0;
  for (const auto& b : r.boards) {
    chains.push_back(chain(r, b));
    for (double t : b.temp_pcb) pcb_min = std::min(pcb_min, t), pcb_max = std::max(pcb_max, t);
    for (double t : b.temp_chip) chip_min = std::min(chip_min, t), chip_max = std::max(chip_max, t);
  }
  const double ths = r.ghs_5s / 1000;
  return Json{
      {"system", system_block(r, id)},
      {"miner",
       {{"miner_status", {{"miner_state", state_word(r, st)}, {"miner_state_time", r.elapsed_s}}},
        {"miner_type", vnish_miner_type(r.model())},
        {"hardware_version", "49.0.1.3"},
        {"cgminer_version", "4.11.1"},
        {"compile_time", "Mon Apr 17 08:08:58 UTC 2023"},
        {"average_hashrate", r.ghs_av / 1000},
        {"instant_hashrate", ths},
        {"pcb_temp", {{"min", std::lround(pcb_min)}, {"max", std::lround(pcb_max)}}},
        {"chip_temp", {{"min", std::lround(chip_min)}, {"max", std::lround(chip_max)}}},
        {"power_usage", std::round(r.power_w)},
        {"power_efficiency", ths > 0 ? r.power_w / ths : 0.0},
        {"hw_errors_percent", 0.0},
        {"hw_errors", r.hw_errors},
        {"devfee_percent", 0.0},
        {"devfee", 0.0},
        {"pools", std::move(pools)},
        {"cooling",
         {{"fan_num", static_cast<int>(r.fans.size())},
          {"fans", std::move(fans)},
          {"settings", {{"mode", {{"name", "auto"}, {"param", 60}}}}},
          {"fan_duty", duty}}},
        {"chains", std::move(chains)},
        {"found_blocks", 0},
        {"best_share", static_cast<int64_t>(r.best_share)}}}};
}

std::string selected(const DeviceReading& r, const VnishRestState& st) {
  if (!st.preset.empty()) return st.preset;
  for (const auto& p : vnish_presets(r.model()))
    if (p.tuned && std::abs(p.watts - r.model().nominal_power_w()) < 50) return p.name;
  return "disabled";
}

Json settings(const DeviceReading& r, const AsicDevice& device, const VnishRestState& st) {
  Json chains = Json::array();
  for (const auto& b : r.boards) {
    chains.push_back(Json{{"freq", 0}, {"chips", Json::array()}, {"disabled", false}});
    (void)b;
  }
  Json pools = Json::array();
  for (const auto& p : device.pools())
    pools.push_back(Json{{"url", p.url}, {"user", p.user}, {"pass", ""}});
  return Json{{"miner",
               {{"cooling", {{"mode", {{"name", "auto"}, {"param", 60}}}}},
                {"devfee", {{"region", "auto"}}},
                {"misc", {{"asic_boost", false}, {"restart_temp", 85}, {"quick_start", false}}},
                {"overclock",
                 {{"modded_psu", false},
                  {"preset", selected(r, st)},
                  {"globals",
                   {{"volt", std::lround(r.profile.voltage * 100)}, {"freq", r.profile.freq_mhz}}},
                  {"chains", std::move(chains)}}},
                {"pools", std::move(pools)},
                {"hotel_fee", {{"enable", false}}}}},
              {"ui", {{"theme", "auto"}, {"locale", "en"}, {"timezone", "GMT"}}},
              {"regional", {{"timezone", {{"current", "GMT"}}}}},
              {"network",
               {{"hostname", device.identity().hostname},
                {"dhcp", true},
                {"ipaddress", device.identity().ip},
                {"netmask", "255.255.255.0"},
                {"gateway", "192.168.1.1"},
                {"dnsservers", Json::array({"192.168.1.1"})}}},
              {"ssh", {{"enabled", true}, {"port", 22}}},
              {"password", nullptr},
              {"layout", nullptr},
              {"boot", nullptr}};
}

Json presets(const ModelSpec& m) {
  Json list = Json::array();
  for (const auto& p : vnish_presets(m)) {
    char pretty[64];
    if (p.name == "disabled") {
      std::snprintf(pretty, sizeof pretty, "Disabled");
    } else {
      std::snprintf(pretty, sizeof pretty, "%s watt ~ %.0f Th", p.name.c_str(), p.ths);
    }
    list.push_back(Json{{"name", p.name},
                        {"pretty", pretty},
                        {"status", p.tuned ? "tuned" : "untuned"},
                        {"modded_psu_required", false}});
  }
  return list;
}

}  // namespace

std::string vnish_miner_type(const ModelSpec& model) {
  return std::string(model.name) + " (Vnish " + std::string(kVersion) + ")";
}

std::vector<VnishPreset> vnish_presets(const ModelSpec& m) {
  std::vector<VnishPreset> out{{"disabled", 0, 0, false}};
  const double steps[] = {0.8, 0.85, 0.9, 0.95, 1.0, 1.05};
  for (double f : steps) {
    const double w = std::round(m.nominal_power_w() * f / 10) * 10;
    const bool tuned = f == 0.85 || f == 0.9 || f == 1.0;
    out.push_back(
        {std::to_string(static_cast<int64_t>(w)), w, m.nominal_ths * std::sqrt(f), tuned});
  }
  return out;
}

Json vnish_rest_read(std::string_view path, AsicDevice& device, SimTime now, int64_t now_unix) {
  const auto& st = vnish_state(device);
  const auto& id = device.identity();
  if (path == "autotune/presets") return presets(*id.model);
  const DeviceReading r = device.read(now, now_unix, HealthEffects{});
  if (path == "summary") return summary(r, id, st);
  if (path == "settings") return settings(r, device, st);
  if (path == "info") {
    return Json{{"miner", id.model->name}, {"model", id.model->name},       {"fw_name", "Vnish"},
                {"fw_version", kVersion},  {"build_time", "2024-05-01"},    {"platform", "xil"},
                {"hr_measure", "GH/s"},    {"system", system_block(r, id)}, {"serial", id.serial}};
  }
  if (path == "status") {
    return Json{{"miner_state", state_word(r, st)}, {"miner_state_time", r.elapsed_s},
                {"find_miner", st.find_miner},      {"unlocked", false},
                {"restart_required", false},        {"reboot_required", false}};
  }
  return Json();
}

}  // namespace rigkeeper::drivers::sim
