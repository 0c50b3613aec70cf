#include "drivers/asic/avalon/parser.h"

#include <algorithm>
#include <cctype>

#include "drivers/asic/common/device_state.h"
#include "drivers/asic/common/hashrate.h"
#include "drivers/asic/common/model_specs.h"
#include "drivers/asic/common/numbers.h"
#include "drivers/asic/common/pools.h"

namespace rigkeeper::drivers::avalon {

namespace {

using asic::json;

constexpr int kMaxBoards = 16;
constexpr int kMaxFans = 8;

std::optional<double> ths(std::optional<double> ghs) {
  if (!ghs || *ghs < 0) return std::nullopt;
  return asic::to_ths(*ghs, asic::HashUnit::kGiga);
}

std::optional<double> at(const std::vector<std::optional<double>>& v, size_t i) {
  return i < v.size() ? v[i] : std::nullopt;
}

std::string version_of(const json* ver, const BracketFields* f) {
  for (auto key : {"VERSION", "CGVERSION", "LVERSION"})
    if (auto v = asic::string_at(ver, key); v && !v->empty()) return *v;
  if (f) {
    // Ver[1246-83-21072802_4ec6bb0_211fc46] / Ver[Q-25052801_14a19a2]: after the model part.
    auto v = bracket_text(*f, "Ver").value_or("");
    if (auto dash = v.rfind('-'); dash != std::string::npos) return v.substr(dash + 1, 64);
  }
  return {};
}

// Per-board readings from MGHS / MTmax / MTavg / PVT_T<i> / ECHU.
void read_boards(const BracketFields& f, const asic::ModelSpec* spec, DeviceSnapshot& s) {
  const auto mghs = bracket_numbers(f, "MGHS");
  const auto mtmax = bracket_numbers(f, "MTmax");
  const auto mtavg = bracket_numbers(f, "MTavg");
  const auto echu = bracket_numbers(f, "ECHU");
  int count = static_cast<int>(std::min<size_t>(mghs.size(), kMaxBoards));
  for (int i = count; i < kMaxBoards; ++i)
    if (f.count("PVT_T" + std::to_string(i))) count = i + 1;
  if (spec) count = std::max(count, spec->boards);
  const bool single = count == 1;
  // MGHS is each board's average since boot (the 1246 capture's MGHS add up to GHSavg): a
  // board's current rate is its share of the device's current GHSspd.
  double mghs_sum = 0;
  for (const auto& v : mghs) mghs_sum += v.value_or(0.0);
  const auto spd = bracket_number(f, "GHSspd");
  for (int i = 0; i < count; ++i) {
    const auto u = static_cast<size_t>(i);
    HashBoard b;
    b.index = i;
    b.chips_expected = spec ? std::optional<int>(spec->chips_per_board) : std::nullopt;
    b.hashrate_ths = ths(at(mghs, u));
    if (b.hashrate_ths && spd && *spd >= 0 && mghs_sum > 0)
      b.hashrate_ths = ths(*at(mghs, u) / mghs_sum * *spd);
    const auto chip_temps = bracket_numbers(f, "PVT_T" + std::to_string(i));
    if (!chip_temps.empty()) {
      b.chips = static_cast<int>(std::count_if(chip_temps.begin(), chip_temps.end(),
                                               [](const auto& t) { return t && *t != 0.0; }));
    }
    b.temp_chip_c = asic::plausible_temp(at(mtmax, u));
    if (!b.temp_chip_c) b.temp_chip_c = asic::hottest(chip_temps);
    // No PCB sensor per board: the Q's outlet sensor, else the boards' average chip temperature.
    b.temp_board_c = single ? asic::plausible_temp(bracket_number(f, "HBOTemp")) : std::nullopt;
    if (!b.temp_board_c) b.temp_board_c = asic::plausible_temp(at(mtavg, u));
    if (auto code = at(echu, u); code && *code != 0) {
      b.status = "fault";
      s.errors.push_back("board " + std::to_string(i) + ": error code " +
                         std::to_string(static_cast<long long>(*code)));
    }
    s.boards.push_back(std::move(b));
  }
}

void read_module(const BracketFields& f, DeviceSnapshot& s) {
  if (auto spd = ths(bracket_number(f, "GHSspd"))) s.hashrate_ths = spd;
  if (auto mm = ths(bracket_number(f, "GHSmm")); mm && *mm > 0) s.hashrate_nominal_ths = mm;
  const auto ps = bracket_numbers(f, "PS");
  if (auto w = at(ps, 4); w && *w >= 0) {
    s.power_w = w;
  } else if (auto wall = bracket_number(f, "WALLPOWER"); wall && *wall >= 0) {
    s.power_w = wall;
  }
  if (auto err = at(ps, 0); err && *err != 0)
    s.errors.push_back("power supply error " + std::to_string(static_cast<long long>(*err)));
  if (auto mpo = bracket_number(f, "MPO"); mpo && *mpo > 0) s.power_limit_w = mpo;
  for (int i = 1; i <= kMaxFans; ++i) {
    auto key = "Fan" + std::to_string(i);
    if (!f.count(key)) break;
    if (auto rpm = bracket_number(f, key); rpm && *rpm >= 0) s.fans_rpm.push_back(*rpm);
  }
  if (auto t = asic::plausible_temp(bracket_number(f, "TMax"))) s.temp_max_c = t;
  if (auto e = bracket_number(f, "Elapsed"); e && *e >= 0 && !s.uptime_s)
    s.uptime_s = static_cast<int64_t>(*e);
}

}  // namespace

const std::vector<std::string>& poll_commands() {
  static const std::vector<std::string> kCommands = {"summary", "stats", "pools"};
  return kCommands;
}

std::optional<BracketFields> module_fields(const json* stats_reply) {
  std::optional<BracketFields> out;
  for (const json* e : asic::entries(stats_reply, "STATS")) {
    if (!e->is_object()) continue;
    for (auto it = e->begin(); it != e->end(); ++it) {
      if (it.key().rfind("MM ID0", 0) != 0 || !it->is_string()) continue;
      out = parse_brackets(it->get_ref<const std::string&>());
      if (auto hb = e->find("HBinfo"); hb != e->end() && hb->is_string())
        out->merge(parse_brackets(hb->get_ref<const std::string&>()));
      return out;
    }
  }
  return out;
}

std::string model_name(const json* ver, const BracketFields* f) {
  std::string prod = asic::string_at(ver, "PROD").value_or("");
  if (!prod.empty()) {
    // "AvalonMiner 1246-81": the suffix after the last '-' of the last word is a bin/variant.
    const auto space = prod.rfind(' ');
    const auto dash = prod.rfind('-');
    if (dash != std::string::npos && (space == std::string::npos || dash > space))
      prod.resize(dash);
    return asic::clean_model(prod);
  }
  const std::string v = f ? bracket_text(*f, "Ver").value_or("") : "";
  const std::string head = v.substr(0, std::min(v.find('-'), size_t{16}));
  if (head.empty()) return {};
  if (std::all_of(head.begin(), head.end(), ::isdigit)) return "AvalonMiner " + head;
  return "Avalon " + head;
}

bool soft_off(const BracketFields& f) {
  if (auto off = bracket_number(f, "SoftOFF"); off && *off != 0) return true;
  const auto status = bracket_text(f, "SYSTEMSTATU").value_or("");
  const auto power = at(bracket_numbers(f, "PS"), 4);
  return status.find("In Idle") != std::string::npos && power && *power == 0;
}

Result<DeviceSnapshot> parse_replies(const asic::Replies& r) {
  const json* summary = asic::first_entry(asic::reply_of(r, "summary"), "SUMMARY");
  const json* stats = asic::reply_of(r, "stats");
  if (stats == nullptr) stats = asic::reply_of(r, "estats");
  const auto fields = module_fields(stats);
  const json* dev = asic::first_entry(asic::reply_of(r, "devs"), "DEVS");
  if (summary == nullptr && !fields && dev == nullptr)
    return fail(Errc::kProtocol, "avalon: none of summary, stats and devs could be read");
  const json* ver = asic::first_entry(asic::reply_of(r, "version"), "VERSION");

  DeviceSnapshot s;
  s.kind = DeviceKind::kAsic;
  s.firmware = "avalon";
  s.model = model_name(ver, fields ? &*fields : nullptr);
  s.make = s.model.empty() ? "Canaan" : asic::make_of_model(s.model);
  if (auto v = version_of(ver, fields ? &*fields : nullptr); !v.empty()) s.firmware_version = v;
  if (summary == nullptr) s.errors.emplace_back("summary missing or unreadable");
  if (!fields) s.errors.emplace_back("stats module string missing or unreadable");

  s.uptime_s = asic::integer_at(summary, "Elapsed");
  const auto* spec = asic::find_model_spec(s.model);
  if (fields) {
    read_module(*fields, s);
    read_boards(*fields, spec, s);
  }
  if (!s.hashrate_ths) s.hashrate_ths = asic::current_rate(summary);
  if (!s.hashrate_ths) s.hashrate_ths = asic::current_rate(dev);
  asic::assess_boards(s.boards, asic::is_hashing(s.hashrate_ths, s.boards), s.errors);
  asic::apply_pools(asic::reply_of(r, "pools"), s);
  const bool sleeping = fields && soft_off(*fields);
  s.state = asic::decide_state({s.hashrate_ths, s.uptime_s, sleeping, &s.boards});
  derive_fields(s);
  return s;
}

}  // namespace rigkeeper::drivers::avalon
