// Avalon's bracket strings (the 1246's "MM ID0", the Q's "'STATS':{...}" and "HBinfo") and
// its STATUS helpers, built key for key like shared/fixtures/asic/avalon/stats_*.json.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "drivers/sim/avalon_state.h"
#include "drivers/sim/noise.h"

namespace rigkeeper::drivers::sim::avalon {

namespace {

std::string num(double v) { return std::to_string(static_cast<long long>(std::lround(v))); }

std::string fixed(double v, int decimals) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string field(std::string_view key, const std::string& value) {
  return std::string(key) + "[" + value + "] ";
}

std::string repeat(std::string_view value, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? " " : "") + std::string(value);
  return out;
}

bool sleeping(const DeviceReading& r) { return r.state == PowerState::kSleeping; }

// Per-chip temperatures of a board: chips that do not answer read 0 (pyasic counts the rest).
std::string chip_temps(const DeviceReading& r, const BoardReading& b, int width) {
  std::string out;
  for (int c = 0; c < b.chips_expected; ++c) {
    const double n = gauss(hash_of(
        {r.identity->noise_key, static_cast<uint64_t>(b.index), static_cast<uint64_t>(c), 77}));
    const double t = c < b.chips_present ? b.chip_hot() - 6.0 + 2.5 * n : 0.0;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%*ld", width, std::lround(std::min(t, b.chip_hot())));
    out += (c ? " " : "") + std::string(buf);
  }
  return out;
}

std::string per_board(const DeviceReading& r, double (*value)(const BoardReading&), int dec) {
  std::string out;
  for (const auto& b : r.boards) out += (out.empty() ? "" : " ") + fixed(value(b), dec);
  return out;
}

double fan_duty(const DeviceReading& r) { return r.fans.empty() ? 0 : r.fans[0].duty_pct; }

double max_power(const DeviceReading& r, const FirmwareState& st) {
  const double w =
      r.model().nominal_power_w() * std::pow(workmode_fraction(r, workmode_of(r, st)), 1.1);
  return std::ceil(w / 100.0) * 100.0;
}

std::string mm_1246(const DeviceReading& r, const FirmwareState& st) {
  const int boards = static_cast<int>(r.boards.size());
  std::string s;
  s += field("Ver", "1246-83-21072802_4ec6bb0_211fc46");
  s += field("DNA", r.identity->miner_id);
  s += field("MEMFREE", "1201472.0") + field("NETFAIL", repeat("0", 8));
  s += field("SYSTEMSTATU", std::string("Work: ") + (sleeping(r) ? "In Idle" : "In Work") +
                                ", Hash Board: " + std::to_string(boards) + " ");
  s += field("Elapsed", std::to_string(r.elapsed_s)) + field("BOOTBY", "0x08.00000000");
  s += field("LW", num(r.total_mh / 4295.0)) + field("MH", repeat("0", boards));
  s += field("HW", std::to_string(r.hw_errors)) + field("DH", "2.732%");
  s += field("Temp", num(r.identity->ambient_c)) + field("TMax", num(r.chip_temp_max()));
  s += field("TAvg", num(r.chip_temp_max() - 10));
  for (size_t f = 0; f < 4; ++f)
    s += field("Fan" + std::to_string(f + 1), num(f < r.fans.size() ? r.fans[f].rpm : 0));
  s += field("FanR", num(fan_duty(r)) + "%") + field("Vo", "329") + field("PS", ps_vector(r));
  for (int b = 0; b < boards; ++b) s += field("PLL" + std::to_string(b), "1796 4524 5435 2165");
  s += field("GHSspd", fixed(r.ghs_5s, 2)) + field("DHspd", "2.732%");
  s += field("GHSmm", fixed(r.ghs_ideal, 2)) + field("GHSavg", fixed(r.ghs_av, 2));
  s += field("WU", fixed(r.ghs_av * 13.97, 2));
  s += field("Freq", fixed(r.boards.empty() ? 0 : r.boards[0].freq_mhz, 2));
  s += field("Led", st.led ? "1" : "0");
  s += field("MGHS", per_board(
                         r, [](const BoardReading& b) { return b.ghs; }, 2));
  s += field("MTmax", per_board(
                          r, [](const BoardReading& b) { return b.chip_hot(); }, 0));
  s += field("MTavg", per_board(
                          r, [](const BoardReading& b) { return b.chip_hot() - 10; }, 0));
  s += field("TA", "360") + field("Core", "A3201") + field("PING", "443") + field("POWS", "0");
  s += field("HASHS", repeat("0", boards)) + field("POOLS", "0");
  s += field("SoftOFF", r.curtailed ? "4" : "0");
  s += field("ECHU", repeat("0", boards)) + field("ECMM", "0");
  for (int b = 0; b < boards; ++b) s += field("SF" + std::to_string(b), "472 492 512 532");
  for (const auto& b : r.boards) s += field("PVT_T" + std::to_string(b.index), chip_temps(r, b, 3));
  for (const auto& b : r.boards)
    s += field("PVT_V" + std::to_string(b.index), repeat("305", b.chips_expected));
  s += field("MW", repeat("8192727", boards));
  for (const auto& b : r.boards)
    s += field("MW" + std::to_string(b.index), repeat("620", b.chips_expected));
  for (const auto& b : r.boards)
    s += field("ASICCRC" + std::to_string(b.index), repeat("0", b.chips_expected));
  s += field("CRC", repeat("0", boards)) + field("POW_I2C", "OK");
  s += field("FACOPTS0", "") + field("FACOPTS1", "");
  s += field("ATAOPTS0", "--avalon10-freq 376:396:416:436 --avalon10-voltage-level 46 ");
  s += field("ATAOPTS1", "--avalon10-freq 472:492:512:532 --avalon10-voltage-level 55 ");
  s += field("ADJ", "1") + field("COP", repeat("0", boards));
  s += field("MPO", num(max_power(r, st))) + field("MVL", "87");
  for (int b = 0; b < boards; ++b) s += field("ATABD" + std::to_string(b), "472 492 512 532");
  s += "WORKMODE[" + std::to_string(workmode_of(r, st)) + "]";
  return s;
}

std::string stats_q(const DeviceReading& r, const FirmwareState& st) {
  const bool off = sleeping(r);
  const BoardReading* b = r.boards.empty() ? nullptr : &r.boards[0];
  std::string s = "'STATS':{";
  s += field("Ver", "Q-25052801_14a19a2") + field("LVer", "25052801_14a19a2");
  s += field("BVer", "25052801_14a19a2") + field("HashMcu0Ver", "Q_hb_v1.1");
  s += field("FanMcuVer", "Q_fb_v1.2") + field("CPU", "K230") + field("FW", "Release");
  s += field("DNA", r.identity->miner_id) + field("STATE", "2") + field("MEMFREE", "67892");
  s += field("NETFAIL", repeat("0", 8)) + field("SSID", "") + field("RSSI", "0");
  s += field("NetDevType", "0");
  s += field("SYSTEMSTATU",
             std::string("Work: ") + (off ? "In Idle" : "In Work") + ", Hash Board: 1");
  s += field("Elapsed", std::to_string(r.elapsed_s)) + field("BOOTBY", "0x01.00000000");
  s += field("LW", num(r.total_mh / 4295.0)) + field("MH", "0") + field("DHW", "0");
  s += field("HW", std::to_string(r.hw_errors)) + field("DH", "2.449%");
  s += field("ITemp", num(r.identity->ambient_c + 1));
  s += field("HBITemp", num(b ? b->inlet() : 0)) + field("HBOTemp", num(b ? b->hot() : 0));
  s += field("TMax", num(off ? 0 : r.chip_temp_max()));
  s += field("TAvg", num(off ? 0 : r.chip_temp_max() - 8)) + field("TarT", "65");
  for (size_t f = 0; f < 4; ++f)
    s += field("Fan" + std::to_string(f + 1), num(f < r.fans.size() && !off ? r.fans[f].rpm : 0));
  s += field("FanR", num(off ? 0 : fan_duty(r)) + "%");
  s += field("SoftOffTime", std::to_string(st.soft_off_time));
  s += field("SoftOnTime", std::to_string(st.soft_on_time));
  s += field("Filter", "19143") + field("FanErr", "0") + field("SoloAllowed", "1");
  s += field("PS", ps_vector(r)) + field("PCOMM_E", "0");
  s += field("GHSspd", fixed(r.ghs_5s, 2)) + field("DHspd", "0.000%");
  s += field("GHSmm", fixed(r.ghs_ideal, 2)) + field("GHSavg", fixed(r.ghs_av, 2));
  s += field("WU", fixed(r.ghs_av * 13.97, 2));
  s += field("Freq", fixed(b ? b->freq_mhz : 0, 2)) + field("MGHS", fixed(b ? b->ghs : 0, 2));
  s += field("TA", "160") + field("Core", "A3197S") + field("BIN", "36") + field("PING", "17");
  s += field("SoftOFF", r.curtailed ? "4" : "0") + field("ECHU", "0") + field("ECMM", "0");
  s += field("PLL0", "8843 5769 5098 4610") + field("SF0", "258 276 297 318");
  s += field("CRC", "0") + field("COMCRC", "0") + field("ATA0", "800-65-2264-258-20");
  s += field("LcdOnoff", "1") + field("Activation", "0");
  s += field("WORKMODE", std::to_string(workmode_of(r, st))) + field("WORKLEVEL", "0");
  s += field("MPO", num(max_power(r, st))) + field("CALIALL", "7") + field("ADJ", "1");
  s += "Nonce Mask[25]}";
  return s;
}

}  // namespace

bool is_q(const DeviceReading& r) { return r.model().name == std::string_view("Avalon Q"); }

int work_modes(const DeviceReading& r) { return is_q(r) ? 3 : 2; }

int workmode_of(const DeviceReading& /*r*/, const FirmwareState& st) {
  return st.workmode.value_or(1);  // Standard (Q) / performance (1246) out of the box
}

double workmode_fraction(const DeviceReading& r, int mode) {
  if (is_q(r)) return mode == 0 ? 0.62 : mode == 2 ? 1.08 : 1.0;
  return mode == 0 ? 0.84 : 1.0;  // 1246: 31 TH/s normal vs 37 TH/s performance (Canaan doc)
}

Json reply(const DeviceReading& r, int code, std::string_view msg, std::string_view section,
           Json items) {
  return envelope(status_entry("S", r.when_unix, code, msg, kDescription), section,
                  std::move(items));
}

Json ascset_reply(const DeviceReading& r, std::string_view status, int code, std::string_view msg) {
  Json out = Json::object();
  out["STATUS"] = Json::array({status_entry(status, r.when_unix, code, msg, kDescription)});
  out["id"] = 1;
  return out;
}

std::string ps_vector(const DeviceReading& r) {
  const bool off = r.state == PowerState::kSleeping || r.state == PowerState::kRebooting;
  const double watts = off ? 0.0 : r.power_w;
  const std::string hash_v = off ? "4" : "1316";
  const std::string current = num(watts * 100.0 / 1316.0);
  return "0 1214 " + hash_v + " " + current + " " + num(watts) + " 1320 " +
         (is_q(r) ? "146" : "3504");
}

std::string module_string(const DeviceReading& r, const FirmwareState& st) {
  return is_q(r) ? stats_q(r, st) : mm_1246(r, st);
}

std::string hbinfo_string(const DeviceReading& r) {
  if (r.boards.empty()) return "'HB0':{}";
  const auto& b = r.boards[0];
  return "'HB0':{PVT_T0[" + chip_temps(r, b, 3) + "] PVT_V0[" + repeat("276", b.chips_expected) +
         "] MW0[" + repeat("600", b.chips_expected) + "]}";
}

}  // namespace rigkeeper::drivers::sim::avalon
