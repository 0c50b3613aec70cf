#include "drivers/asic/braiins/parser.h"

#include <algorithm>
#include <cctype>

#include "drivers/asic/common/device_state.h"
#include "drivers/asic/common/hashrate.h"
#include "drivers/asic/common/model_specs.h"
#include "drivers/asic/common/numbers.h"
#include "drivers/asic/common/pools.h"

namespace rigkeeper::drivers::braiins {

namespace {

using asic::json;

constexpr int kMaxBoardIndex = 63;

// BOSminer numbers an S9's chains 6, 7, 8 and newer models' 1, 2, 3 in devs, devdetails and
// temps (pyasic: `offset = 6 if ID in [6, 7, 8] else 1`).
int id_offset(const std::vector<const json*>& section, const char* key) {
  if (section.empty()) return 1;
  auto first = asic::int_at(section.front(), key);
  return (first && *first >= 6 && *first <= 8) ? 6 : 1;
}

// tunerstatus' HashchainIndex: pyasic reads it 0-based (offset 6 on an S9); other sources
// number it like devs. No capture settles it, so: 6..8 -> 6, any 0 -> 0-based, else 1-based.
int chain_index_offset(const std::vector<const json*>& chains) {
  int offset = 1;
  for (const json* c : chains) {
    auto idx = asic::int_at(c, "HashchainIndex");
    if (!idx) continue;
    if (*idx >= 6 && *idx <= 8) return 6;
    if (*idx == 0) offset = 0;
  }
  return offset;
}

HashBoard* board_for(std::vector<HashBoard>& boards, std::optional<int> id, int offset) {
  if (!id || *id - offset < 0 || *id - offset > kMaxBoardIndex) return nullptr;
  const int index = *id - offset;
  auto it =
      std::find_if(boards.begin(), boards.end(), [&](const auto& b) { return b.index == index; });
  if (it != boards.end()) return &*it;
  HashBoard b;
  b.index = index;
  boards.push_back(std::move(b));
  return &boards.back();
}

void apply_devs(const std::vector<const json*>& devs, DeviceSnapshot& s) {
  const int off = id_offset(devs, "ID");
  for (const json* d : devs) {
    HashBoard* b = board_for(s.boards, asic::int_at(d, "ID"), off);
    if (b == nullptr) continue;
    b->hashrate_ths = asic::current_rate(d);
    b->hw_errors = asic::integer_at(d, "Hardware Errors");
    if (!asic::flag_at(d, "Enabled").value_or(true)) b->status = "disabled";
  }
}

void apply_devdetails(const std::vector<const json*>& details, DeviceSnapshot& s) {
  const int off = id_offset(details, "ID");
  for (const json* d : details)
    if (HashBoard* b = board_for(s.boards, asic::int_at(d, "ID"), off))
      b->chips = asic::int_at(d, "Chips");
}

void apply_temps(const std::vector<const json*>& temps, DeviceSnapshot& s) {
  const int off = id_offset(temps, "ID");
  for (const json* t : temps) {
    if (HashBoard* b = board_for(s.boards, asic::int_at(t, "ID"), off)) {
      b->temp_board_c = asic::plausible_temp(asic::number_at(t, "Board"));
      b->temp_chip_c = asic::plausible_temp(asic::number_at(t, "Chip"));
    }
  }
}

// Power, power limit and the tuner's per-chain complaints (pyasic's _get_errors: any status
// but these three is a problem, reported without its " {...}" detail).
void apply_tuner(const json* tuner, DeviceSnapshot& s) {
  if (tuner == nullptr) return;
  if (auto w = asic::number_at(tuner, "ApproximateMinerPowerConsumption"); w && *w >= 0.0)
    s.power_w = w;
  if (auto w = asic::number_at(tuner, "PowerLimit"); w && *w > 0.0) s.power_limit_w = w;
  const auto chains = asic::entries(tuner, "TunerChainStatus");
  const int off = chain_index_offset(chains);
  for (const json* c : chains) {
    auto status = asic::string_at(c, "Status");
    auto idx = asic::int_at(c, "HashchainIndex");
    if (!status || !idx || *status == "Stable" || *status == "Testing performance profile" ||
        *status == "Tuning individual chips")
      continue;
    s.errors.push_back("board " + std::to_string(*idx - off) + ": " +
                       status->substr(0, std::min<size_t>(status->find(" {"), 120)));
  }
}

std::optional<double> nominal_ths(const std::vector<const json*>& devs) {
  std::optional<double> sum;
  for (const json* d : devs)
    if (auto v = asic::number_at(d, "Nominal MHS"); v && *v > 0.0) sum = sum.value_or(0.0) + *v;
  return sum ? std::optional<double>(asic::to_ths(*sum, asic::HashUnit::kMega)) : std::nullopt;
}

void read_identity(const asic::Replies& r, const json* devdetails0, DeviceSnapshot& s) {
  const json* ver = asic::first_entry(asic::reply_of(r, "version"), "VERSION");
  for (auto key : {"BOSer", "BOSminer"}) {
    if (auto v = asic::string_at(ver, key); v && !v->empty()) {
      s.firmware_version = v;
      break;
    }
  }
  auto model = asic::string_at(devdetails0, "Model");
  s.model = model ? asic::clean_model(*model) : "";
  s.make = asic::make_of_model(s.model);
}

}  // namespace

const std::vector<std::string>& poll_commands() {
  static const std::vector<std::string> kCommands = {
      "summary", "devs", "devdetails", "temps", "fans", "tunerstatus", "pools"};
  return kCommands;
}

Result<DeviceSnapshot> parse_replies(const asic::Replies& r) {
  const json* summary = asic::first_entry(asic::reply_of(r, "summary"), "SUMMARY");
  const auto devs = asic::entries(asic::reply_of(r, "devs"), "DEVS");
  if (summary == nullptr && devs.empty())
    return fail(Errc::kProtocol, "braiins: neither summary nor devs could be read");
  const json* details_reply = asic::reply_of(r, "devdetails");
  const auto details = asic::entries(details_reply, "DEVDETAILS");

  DeviceSnapshot s;
  s.kind = DeviceKind::kAsic;
  s.firmware = "braiins";
  read_identity(r, details.empty() ? nullptr : details.front(), s);
  if (summary == nullptr) s.errors.emplace_back("summary missing or unreadable");

  s.hashrate_ths = asic::current_rate(summary);
  s.uptime_s = asic::integer_at(summary, "Elapsed");
  s.hashrate_nominal_ths = nominal_ths(devs);
  apply_devs(devs, s);
  apply_devdetails(details, s);
  apply_temps(asic::entries(asic::reply_of(r, "temps"), "TEMPS"), s);
  apply_tuner(asic::first_entry(asic::reply_of(r, "tunerstatus"), "TUNERSTATUS"), s);
  for (const json* f : asic::entries(asic::reply_of(r, "fans"), "FANS"))
    if (auto rpm = asic::number_at(f, "RPM"); rpm && *rpm >= 0.0) s.fans_rpm.push_back(*rpm);

  const auto* spec = asic::find_model_spec(s.model);
  if (spec)  // a board the firmware no longer lists is a missing board
    for (int i = 0; i < spec->boards; ++i) board_for(s.boards, i, 0);
  std::sort(s.boards.begin(), s.boards.end(),
            [](const auto& a, const auto& b) { return a.index < b.index; });
  for (auto& b : s.boards)
    if (spec) b.chips_expected = spec->chips_per_board;
  asic::assess_boards(s.boards, asic::is_hashing(s.hashrate_ths, s.boards), s.errors);

  asic::apply_pools(asic::reply_of(r, "pools"), s);
  // pyasic's _is_mining: devdetails answering "Unavailable" means bosminer is paused.
  const auto st = asic::status_of(details_reply);
  const bool paused = st && st->msg == "Unavailable";
  s.state = asic::decide_state({s.hashrate_ths, s.uptime_s, paused, &s.boards});
  derive_fields(s);  // efficiency and temp_max_c from what was reported
  return s;
}

}  // namespace rigkeeper::drivers::braiins
