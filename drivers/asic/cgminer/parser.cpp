#include "drivers/asic/cgminer/parser.h"

#include <cctype>

#include "drivers/asic/common/antminer_stats.h"
#include "drivers/asic/common/device_state.h"
#include "drivers/asic/common/hashrate.h"
#include "drivers/asic/common/model_specs.h"
#include "drivers/asic/common/numbers.h"
#include "drivers/asic/common/pools.h"

namespace rigkeeper::drivers::cgminer {

namespace {

using asic::json;

constexpr size_t kMaxDevices = 64;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void read_identity(const asic::Replies& r, const std::optional<asic::AntminerStats>& stats,
                   DeviceSnapshot& s) {
  const json* reply = asic::reply_of(r, "version");
  const json* ver = asic::first_entry(reply, "VERSION");
  std::optional<std::string> type;
  for (auto key : {"Type", "PROD", "Model"})
    if (!type) type = asic::string_at(ver, key);
  if (!type && stats) type = stats->type;
  s.model = type ? asic::clean_model(*type) : "";
  s.make = asic::make_of_model(s.model);
  for (auto key : {"CGMiner", "BMMiner", "BFGMiner", "Miner"}) {
    if (auto v = asic::string_at(ver, key); v && !v->empty()) {
      s.firmware_version = v;
      return;
    }
  }
  if (auto st = asic::status_of(reply); st && !st->description.empty())
    s.firmware_version = st->description.substr(0, 64);
}

// One board per DEVS entry (ASC/PGA/GPU), in the order sent.
void boards_from_devs(const std::vector<const json*>& devs, DeviceSnapshot& s) {
  for (size_t i = 0; i < devs.size() && i < kMaxDevices; ++i) {
    const json* d = devs[i];
    HashBoard b;
    b.index = static_cast<int>(i);
    b.hashrate_ths = asic::current_rate(d);
    b.temp_board_c = asic::plausible_temp(asic::number_at_any(d, {"Temperature", "Tenperature"}));
    b.hw_errors = asic::integer_at(d, "Hardware Errors");
    const auto status = lower(asic::string_at(d, "Status").value_or("alive"));
    if (!asic::flag_at(d, "Enabled").value_or(true)) {
      b.status = "disabled";
    } else if (status != "alive") {
      b.status = "fault";
      s.errors.push_back("board " + std::to_string(i) + ": firmware reports " + status);
    }
    s.boards.push_back(std::move(b));
  }
}

std::optional<double> sum_rates(const std::vector<HashBoard>& boards) {
  std::optional<double> sum;
  for (const auto& b : boards)
    if (b.hashrate_ths) sum = sum.value_or(0.0) + *b.hashrate_ths;
  return sum;
}

}  // namespace

const std::vector<std::string>& poll_commands() {
  static const std::vector<std::string> kCommands = {"summary", "devs", "pools", "stats"};
  return kCommands;
}

Result<DeviceSnapshot> parse_replies(const asic::Replies& r) {
  const json* summary = asic::first_entry(asic::reply_of(r, "summary"), "SUMMARY");
  const auto devs = asic::entries(asic::reply_of(r, "devs"), "DEVS");
  if (summary == nullptr && devs.empty())
    return fail(Errc::kProtocol, "cgminer: neither summary nor devs could be read");
  const auto stats = asic::read_antminer_stats(asic::reply_of(r, "stats"));

  DeviceSnapshot s;
  s.kind = DeviceKind::kAsic;
  s.firmware = "cgminer";
  s.errors.emplace_back(kUnrecognisedNote);
  read_identity(r, stats, s);
  if (summary == nullptr) s.errors.emplace_back("summary missing or unreadable");

  s.uptime_s = asic::integer_at(summary, "Elapsed");
  // Chain keys, where the firmware has them, describe real boards; DEVS entries may be one
  // pseudo-device for the whole miner (stock S19's BTM_SOC).
  if (stats && !stats->chains.empty()) {
    s.boards = asic::boards_from_chains(stats->chains, std::nullopt, std::nullopt, s.errors);
    if (stats->rate_ideal_ths && *stats->rate_ideal_ths > 0.0)
      s.hashrate_nominal_ths = stats->rate_ideal_ths;
  } else {
    boards_from_devs(devs, s);
  }
  if (stats) s.fans_rpm = stats->fans_rpm;
  s.hashrate_ths = asic::current_rate(summary);
  if (!s.hashrate_ths) s.hashrate_ths = sum_rates(s.boards);
  asic::assess_boards(s.boards, asic::is_hashing(s.hashrate_ths, s.boards), s.errors);

  asic::apply_pools(asic::reply_of(r, "pools"), s);
  s.state = asic::decide_state({s.hashrate_ths, s.uptime_s, false, &s.boards});
  derive_fields(s);  // efficiency and temp_max_c from what was reported
  return s;
}

}  // namespace rigkeeper::drivers::cgminer
