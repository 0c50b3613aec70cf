#include "drivers/asic/luxos/parser.h"

#include <algorithm>
#include <cctype>

#include "drivers/asic/common/antminer_stats.h"
#include "drivers/asic/common/device_state.h"
#include "drivers/asic/common/hashrate.h"
#include "drivers/asic/common/model_specs.h"
#include "drivers/asic/common/numbers.h"
#include "drivers/asic/common/pools.h"

namespace rigkeeper::drivers::luxos {

namespace {

using asic::json;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void read_identity(const asic::Replies& r, const json* config,
                   const std::optional<asic::AntminerStats>& stats, DeviceSnapshot& s) {
  const json* ver = asic::first_entry(asic::reply_of(r, "version"), "VERSION");
  auto type = asic::string_at(ver, "Type");
  if (!type) type = asic::string_at(config, "Model");
  if (!type && stats) type = stats->type;
  s.model = type ? asic::clean_model(*type) : "";
  s.make = asic::make_of_model(s.model);
  for (auto key : {"LUXminer", "Miner"}) {
    if (auto v = asic::string_at(ver, key); v && !v->empty()) {
      s.firmware_version = v;
      break;
    }
  }
}

HashBoard& board_at(std::vector<HashBoard>& boards, int index, std::optional<int> chips_expected) {
  auto it =
      std::find_if(boards.begin(), boards.end(), [&](const auto& b) { return b.index == index; });
  if (it != boards.end()) return *it;
  HashBoard b;
  b.index = index;
  b.chips_expected = chips_expected;
  boards.push_back(std::move(b));
  return boards.back();
}

// Overlays devs (one entry per board, ID = 0-based board) on the boards from stats.
// Returns true when any board is ramping up.
bool apply_devs(const std::vector<const json*>& devs, std::optional<int> chips_expected,
                DeviceSnapshot& s) {
  bool ramping = false;
  constexpr int kMaxBoardIndex = 64;
  for (const json* d : devs) {
    auto id = asic::int_at(d, "ID");
    if (!id) id = asic::int_at(d, "ASC");
    if (!id || *id < 0 || *id > kMaxBoardIndex) continue;
    HashBoard& b = board_at(s.boards, *id, chips_expected);
    if (auto rate = asic::rate_for_window(d, "5s"))
      b.hashrate_ths = rate;
    else if (!b.hashrate_ths)
      b.hashrate_ths = asic::current_rate(d);
    if (auto t = asic::plausible_temp(asic::number_at(d, "Temperature"))) b.temp_board_c = t;
    if (!b.hw_errors) b.hw_errors = asic::integer_at(d, "Hardware Errors");
    ramping = ramping || asic::flag_at(d, "IsRamping").value_or(false);
    const bool user_off = asic::flag_at(d, "IsUserShutdown").value_or(false) ||
                          !asic::flag_at(d, "Enabled").value_or(true);
    const auto status = lower(asic::string_at(d, "Status").value_or("alive"));
    if (user_off) {
      b.status = "disabled";
    } else if (status != "alive") {
      b.status = "fault";
      s.errors.push_back("board " + std::to_string(*id) + ": firmware reports " + status);
    }
  }
  std::sort(s.boards.begin(), s.boards.end(),
            [](const auto& a, const auto& b) { return a.index < b.index; });
  return ramping;
}

std::optional<double> nominal_ths(const std::vector<const json*>& devs,
                                  const std::optional<asic::AntminerStats>& stats,
                                  const json* config) {
  // The hashrate expected at the active profile: what a healthy miner should reach now.
  double sum = 0.0;
  for (const json* d : devs) sum += asic::number_at(d, "Nominal MHS").value_or(0.0);
  if (sum > 0.0) return asic::to_ths(sum, asic::HashUnit::kMega);
  if (stats && stats->rate_ideal_ths && *stats->rate_ideal_ths > 0.0) return stats->rate_ideal_ths;
  auto plate = asic::number_at(config, "NameplateTHS");
  return plate && *plate > 0.0 ? plate : std::nullopt;
}

// CurtailMode is "None" on a working miner; anything else (the sleep mode set by `curtail`)
// means asleep.
bool read_config(const json* config, DeviceSnapshot& s) {
  if (config == nullptr) return false;
  const auto mode = lower(asic::string_at(config, "CurtailMode").value_or("none"));
  const bool sleeping = !mode.empty() && mode != "none";
  if (!sleeping && asic::flag_at(config, "IsPowerSupplyOn") == false)
    s.errors.emplace_back("power supply reported off");
  if (auto st = asic::string_at(config, "SystemStatus");
      st && !st->empty() && lower(*st) != "normal")
    s.errors.push_back("system status: " + *st);
  return sleeping;
}

}  // namespace

const std::vector<std::string>& poll_commands() {
  static const std::vector<std::string> kCommands = {"summary", "devs",  "stats",
                                                     "pools",   "power", "config"};
  return kCommands;
}

Result<DeviceSnapshot> parse_replies(const asic::Replies& r) {
  const json* summary = asic::first_entry(asic::reply_of(r, "summary"), "SUMMARY");
  const auto devs = asic::entries(asic::reply_of(r, "devs"), "DEVS");
  const auto stats = asic::read_antminer_stats(asic::reply_of(r, "stats"));
  if (summary == nullptr && devs.empty() && !stats)
    return fail(Errc::kProtocol, "luxos: none of summary, devs and stats could be read");
  const json* config = asic::first_entry(asic::reply_of(r, "config"), "CONFIG");

  DeviceSnapshot s;
  s.kind = DeviceKind::kAsic;
  s.firmware = "luxos";
  read_identity(r, config, stats, s);
  if (summary == nullptr) s.errors.emplace_back("summary missing or unreadable");
  if (devs.empty()) s.errors.emplace_back("devs missing or unreadable: no per-board hashrate");

  s.hashrate_ths = asic::current_rate(summary);
  s.uptime_s = asic::integer_at(summary, "Elapsed");
  if (!s.uptime_s && stats) s.uptime_s = stats->elapsed_s;
  s.hashrate_nominal_ths = nominal_ths(devs, stats, config);
  if (auto w = asic::number_at(asic::first_entry(asic::reply_of(r, "power"), "POWER"), "Watts");
      w && *w >= 0.0)
    s.power_w = w;

  const auto* spec = asic::find_model_spec(s.model);
  const auto chips_expected = spec ? std::optional<int>(spec->chips_per_board) : std::nullopt;
  if (stats) {
    const auto expected_boards =
        spec ? std::optional<int>(spec->boards)
             : (devs.empty() ? std::nullopt : std::optional<int>(devs.size()));
    s.boards = asic::boards_from_chains(stats->chains, expected_boards, chips_expected, s.errors);
    s.fans_rpm = stats->fans_rpm;
  }
  const bool ramping = apply_devs(devs, chips_expected, s);
  if (!s.hashrate_ths && !devs.empty()) {  // summary lost: the boards' reported rates add up
    std::optional<double> sum;
    for (const auto& b : s.boards)
      if (b.hashrate_ths) sum = sum.value_or(0.0) + *b.hashrate_ths;
    s.hashrate_ths = sum;
  }
  asic::assess_boards(s.boards, asic::is_hashing(s.hashrate_ths, s.boards), s.errors);

  asic::apply_pools(asic::reply_of(r, "pools"), s);
  const bool sleeping = read_config(config, s);
  s.state = asic::decide_state({s.hashrate_ths, s.uptime_s, sleeping, &s.boards});
  // Boards ramp after a wakeup or a profile change long after boot: that is starting too.
  if (ramping && (s.state == DeviceState::kIdle || s.state == DeviceState::kFault))
    s.state = DeviceState::kStarting;
  derive_fields(s);  // efficiency and temp_max_c from what was reported
  return s;
}

}  // namespace rigkeeper::drivers::luxos
