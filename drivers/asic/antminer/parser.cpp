#include "drivers/asic/antminer/parser.h"

#include "drivers/asic/common/antminer_stats.h"
#include "drivers/asic/common/device_state.h"
#include "drivers/asic/common/hashrate.h"
#include "drivers/asic/common/model_specs.h"
#include "drivers/asic/common/numbers.h"
#include "drivers/asic/common/pools.h"

namespace rigkeeper::drivers::antminer {

namespace {

using asic::json;

/// Antminers carry three hash boards unless the model table says otherwise.
constexpr int kDefaultBoards = 3;

void read_identity(const asic::Replies& r, const std::optional<asic::AntminerStats>& stats,
                   DeviceSnapshot& s) {
  const json* ver = asic::first_entry(asic::reply_of(r, "version"), "VERSION");
  auto type = asic::string_at(ver, "Type");
  if (!type && stats) type = stats->type;
  s.model = type ? asic::clean_model(*type) : "";
  s.make = asic::make_of_model(s.model);
  if (s.make.empty()) s.make = "Bitmain";
  for (auto key : {"Miner", "BMMiner", "CGMiner"}) {
    if (auto v = asic::string_at(ver, key); v && !v->empty()) {
      s.firmware_version = v;
      break;
    }
  }
}

}  // namespace

const std::vector<std::string>& poll_commands() {
  static const std::vector<std::string> kCommands = {"summary", "stats", "pools"};
  return kCommands;
}

Result<DeviceSnapshot> parse_replies(const asic::Replies& r) {
  const json* summary = asic::first_entry(asic::reply_of(r, "summary"), "SUMMARY");
  const auto stats = asic::read_antminer_stats(asic::reply_of(r, "stats"));
  if (summary == nullptr && !stats)
    return fail(Errc::kProtocol, "antminer: neither summary nor stats could be read");

  DeviceSnapshot s;
  s.kind = DeviceKind::kAsic;
  s.firmware = "stock";
  read_identity(r, stats, s);
  if (summary == nullptr) s.errors.emplace_back("summary missing or unreadable");
  if (!stats) s.errors.emplace_back("stats missing or unreadable: no per-board data");

  s.hashrate_ths = asic::current_rate(summary);
  if (!s.hashrate_ths && stats) s.hashrate_ths = stats->rate_ths;
  s.uptime_s = asic::integer_at(summary, "Elapsed");
  if (!s.uptime_s && stats) s.uptime_s = stats->elapsed_s;

  if (stats) {
    if (stats->rate_ideal_ths && *stats->rate_ideal_ths > 0.0)
      s.hashrate_nominal_ths = stats->rate_ideal_ths;
    const auto* spec = asic::find_model_spec(s.model);
    s.boards = asic::boards_from_chains(
        stats->chains, spec ? spec->boards : kDefaultBoards,
        spec ? std::optional<int>(spec->chips_per_board) : std::nullopt, s.errors);
    s.fans_rpm = stats->fans_rpm;
  }
  asic::assess_boards(s.boards, asic::is_hashing(s.hashrate_ths, s.boards), s.errors);

  asic::apply_pools(asic::reply_of(r, "pools"), s);
  // Stock firmware's sleep mode is set and read over the web API (miner-mode), which this
  // driver does not use yet; a sleeping stock miner therefore reads as idle.
  s.state = asic::decide_state({s.hashrate_ths, s.uptime_s, false, &s.boards});
  derive_fields(s);  // efficiency and temp_max_c from what was reported
  return s;
}

}  // namespace rigkeeper::drivers::antminer
