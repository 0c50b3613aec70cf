// LuxOS's own report commands: fans, temps, power, profiles, config, events, healthchipget,
// voltageget. Sections and keys follow shared/fixtures/asic/luxos/ (codes 202, 201, 311, 323,
// 33, 357, 314, 307). Keys are sorted by the responder afterwards.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "drivers/api/timestamp.h"
#include "drivers/sim/luxos_replies.h"
#include "drivers/sim/noise.h"

namespace rigkeeper::drivers::sim::luxos {

namespace {

// The capture labels fan IDs 0..3 as FAN4, FAN2, FAN1, FAN3 (physical connectors).
constexpr std::string_view kFanLabels[] = {"FAN4", "FAN2", "FAN1", "FAN3",
                                           "FAN5", "FAN6", "FAN7", "FAN8"};
constexpr int kChipColumns = 7;  // healthchipget: chips snake across rows of seven

std::optional<size_t> board_param(const DeviceReading& r, std::string_view parameter) {
  int b = -1;
  const auto [ptr, ec] = std::from_chars(parameter.data(), parameter.data() + parameter.size(), b);
  if (ec != std::errc() || ptr != parameter.data() + parameter.size() || b < 0 ||
      static_cast<size_t>(b) >= r.boards.size()) {
    return std::nullopt;
  }
  return static_cast<size_t>(b);
}

Json bad_board(const DeviceReading& r, std::string_view parameter) {
  // LuxOS answers an out-of-range board with an E STATUS; the code is our choice.
  return error_reply(code::kInvalidCommand,
                     "Invalid board id '" + std::string(parameter.substr(0, 16)) + "'",
                     kDescription, r.when_unix);
}

Json sensor_label(std::string_view label, int row, int col) {
  Json j = Json::object();
  j["Label"] = label;
  j["Position"] = Json::array({row, col});
  return j;
}

}  // namespace

Json fans(const DeviceReading& r) {
  Json ctrl = Json::object();
  ctrl["MinFans"] = std::max(r.model().fans - 1, 1);
  ctrl["PowerOffSpeed"] = 20;
  Json list = Json::array();
  for (size_t f = 0; f < r.fans.size(); ++f) {
    Json j = Json::object();
    j["FAN"] = kFanLabels[f % std::size(kFanLabels)];
    j["ID"] = static_cast<int>(f);
    j["RPM"] = r.fans[f].rpm;
    j["Speed"] = r.fans[f].duty_pct;
    list.push_back(std::move(j));
  }
  Json out = reply(r, 202, std::to_string(r.fans.size()) + " Fan(s)", "FANS", std::move(list));
  out["FANCTRL"] = Json::array({ctrl});
  return out;
}

Json temps(const DeviceReading& r) {
  Json meta = Json::object();
  meta["BottomLeft"] = sensor_label("Board Exhaust (bottom)", 1, 0);
  meta["BottomRight"] = sensor_label("Board Intake (bottom)", 1, 1);
  meta["TopLeft"] = sensor_label("Board Exhaust (top)", 0, 0);
  meta["TopRight"] = sensor_label("Board Intake (top)", 0, 1);
  Json list = Json::array();
  for (const auto& b : r.boards) {
    Json j = Json::object();
    j["BottomLeft"] = b.hot() - 1.0;
    j["BottomRight"] = b.inlet();
    j["ID"] = b.index;
    j["TEMP"] = b.index;
    j["TopLeft"] = b.hot();
    j["TopRight"] = b.inlet();
    list.push_back(std::move(j));
  }
  Json out = reply(r, 201, std::to_string(r.boards.size()) + " Temp(s)", "TEMPS", std::move(list));
  out["METADATA"] = Json::array({meta});
  return out;
}

Json power(const DeviceReading& r) {
  Json p = Json::object();
  p["PSU"] = false;  // no PSU telemetry: the figure is LUXminer's estimate
  p["Watts"] = static_cast<int64_t>(r.power_w);
  return reply(r, 311, "Power usage", "POWER", Json::array({p}));
}

Json profiles(const DeviceReading& r) {
  Json list = Json::array();
  for (const auto& p : profiles_for(r.model())) {
    Json j = Json::object();
    j["CanRestore"] = true;
    j["Frequency"] = p.freq_mhz;
    j["HasOverrides"] = false;
    j["Hashrate"] = p.hashrate_ths;
    j["IsDynamic"] = true;
    j["IsTuned"] = p.step == r.profile.step;
    j["Profile Name"] = p.name;
    j["Step"] = std::to_string(p.step);
    j["Voltage"] = p.voltage;
    j["Watts"] = static_cast<int64_t>(p.watts);
    list.push_back(std::move(j));
  }
  return reply(r, 323, "List profiles", "PROFILES", std::move(list));
}

Json config(const DeviceReading& r) {
  const auto& id = *r.identity;
  Json c = Json::object();
  c["ASC Count"] = static_cast<int>(r.boards.size());
  c["BcastAddr"] = "127.255.255.255";
  c["ControlBoardType"] = "cvitek";
  c["Cooling"] = "Air";
  c["CurtailMode"] = r.curtailed ? "Sleep" : "None";
  c["DHCP"] = true;
  c["DNS Servers"] = "";
  c["Device Code"] = "";
  c["FPGABuildIdHex"] = "0x18351835";
  c["FPGABuildIdStr"] = "2018-35-18 35:00";
  c["FeeStatus"] = "Ok";
  c["Gateway"] = "127.0.0.1";
  c["GreenLed"] = "auto";
  c["Hostname"] = id.hostname;
  c["Hotplug"] = "None";
  c["IPAddr"] = id.ip;
  c["ImmersionMode"] = false;
  c["IsAtmEnabled"] = true;
  c["IsPowerSupplyOn"] = r.state != PowerState::kRebooting;
  c["IsSingleVoltage"] = true;
  c["IsTuning"] = r.state == PowerState::kStarting;
  c["Log Interval"] = 0;
  c["LogFileLevel"] = "info";
  c["MACAddr"] = id.mac;
  c["Model"] = r.model().name;
  c["NameplateTHS"] = r.model().nominal_ths;
  c["Netmask"] = "255.0.0.0";
  c["OS"] = "LuxOS";
  c["PGA Count"] = 0;
  c["PSUHwVersion"] = "75";
  c["PSULabel"] = "APW121215e";
  c["Pool Count"] = static_cast<int>(r.pools.size());
  c["Profile"] = r.profile.name;
  c["ProfileStep"] = std::to_string(r.profile.step);
  c["RedLed"] = "auto";
  c["SerialNumber"] = id.serial;
  c["Strategy"] = "Failover";
  c["SystemStatus"] = r.active_faults.empty() ? "Normal" : "Warning";
  c["UpdateOnStartup"] = "off";
  c["UpdateOnTimeout"] = "off";
  c["UpdateOnUser"] = "full";
  c["UpdateSource"] = "https://storage.googleapis.com/luxor-firmware/stable";
  c["UpdateTimeout"] = 60;
  return reply(r, code::kConfig, "LUXminer config", "CONFIG", Json::array({c}));
}

Json events(const DeviceReading& r) {
  // Health faults surface as LuxOS-style events; the codes besides REBOOT_NOT_HASHING (seen
  // in the capture) are the simulator's own.
  Json list = Json::array();
  const std::string created =
      format_rfc3339(from_unix_ms(r.when_unix * 1000)).substr(0, 19) + "+00:00";
  for (const auto& label : r.active_faults) {
    const auto colon = label.find(':');
    const std::string kind = label.substr(0, colon);
    const int index = colon == std::string::npos ? -1 : std::atoi(label.c_str() + colon + 1);
    Json e = Json::object();
    std::string code = "SIM_" + kind;
    std::string target = "MINER";
    if (kind == "board_dead") code = "REBOOT_NOT_HASHING", target = "BOARD";
    if (kind == "chips_missing") code = "MISSING_CHIPS", target = "BOARD";
    if (kind == "fan_fail") code = "FAN_FAILURE", target = "FAN";
    if (kind == "overheat") code = "OVERHEAT_PROTECTION";
    std::transform(code.begin(), code.end(), code.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    e["Code"] = code;
    e["CreatedAt"] = created;
    e["Description"] = "Simulated " + label;
    e["DocUrl"] = "https://docs.luxor.tech/firmware/kb/eventstroubleshooting";
    if (index >= 0 && target != "MINER") e["ID"] = index;
    e["Target"] = target;
    list.push_back(std::move(e));
  }
  return reply(r, 357, "Miner Events", "EVENTS", std::move(list));
}

Json healthchipget(const DeviceReading& r, std::string_view parameter) {
  const auto b = board_param(r, parameter);
  if (!b) return bad_board(r, parameter);
  const auto& board = r.boards[*b];
  const int expected = static_cast<int>(std::lround(board.freq_mhz * 1.5));
  const double chip_ghs = board.chips_present > 0 ? board.ghs / board.chips_present : 0.0;
  Json list = Json::array();
  for (int c = 0; c < board.chips_present; ++c) {
    const int row = c / kChipColumns;
    const int col = row % 2 == 0 ? c % kChipColumns : kChipColumns - 1 - c % kChipColumns;
    const double n =
        1.0 + 0.04 * gauss(hash_of({r.identity->noise_key, *b, static_cast<uint64_t>(c)}));
    const int count = static_cast<int>(std::lround(expected * n * (r.hashing() ? 1.0 : 0.0)));
    Json j = Json::object();
    j["Board"] = board.index;
    j["Chip"] = c;
    j["Column"] = col;
    j["Domain"] = row;
    j["Frequency"] = board.freq_mhz;
    j["GHS 15m"] = round2(chip_ghs * n);
    j["GHS 1m"] = round2(chip_ghs * n * 0.985);
    j["GHS 5m"] = round2(chip_ghs * n);
    j["HashCount"] = count;
    j["HashExpected"] = expected;
    j["HashMin"] = expected / 5;
    j["Healthy"] = count >= expected / 5 || !r.hashing() ? "Y" : "N";
    j["IsChecking"] = false;
    j["Row"] = row;
    j["Score"] = expected > 0 ? round2(100.0 * count / expected) : 0.0;
    j["When"] = r.when_unix * 1000;
    list.push_back(std::move(j));
  }
  return reply(r, 314, "Health Chip Get", "CHIPS", std::move(list));
}

Json voltageget(const DeviceReading& r, std::string_view parameter) {
  const auto b = board_param(r, parameter);
  if (!b) return bad_board(r, parameter);
  Json v = Json::object();
  v["Board"] = r.boards[*b].index;
  v["Voltage"] = r.boards[*b].voltage;
  return reply(r, 307, "Get Voltage", "VOLTAGE", Json::array({v}));
}

}  // namespace rigkeeper::drivers::sim::luxos
