#include "drivers/asic/whatsminer/parser.h"

#include <algorithm>
#include <cctype>

#include "drivers/asic/common/device_state.h"
#include "drivers/asic/common/hashrate.h"
#include "drivers/asic/common/model_specs.h"
#include "drivers/asic/common/numbers.h"
#include "drivers/asic/common/pools.h"

namespace rigkeeper::drivers::whatsminer {

namespace {

using asic::json;

constexpr int kMaxBoardIndex = 16;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The flat `Msg` object of a Whatsminer get_* / status reply.
const json* msg_of(const json* reply) {
  const json* m = asic::member(reply, "Msg");
  return m != nullptr && m->is_object() ? m : nullptr;
}

std::optional<std::string> clean_version(std::optional<std::string> v) {
  if (!v) return v;
  std::string s;
  for (char c : *v)
    if (c != '\'' && c != '"' && c != ' ') s.push_back(c);
  constexpr size_t kMaxVersion = 48;
  if (s.empty()) return std::nullopt;
  return s.substr(0, kMaxVersion);
}

void set_chips_expected(DeviceSnapshot& s) {
  const auto* spec = asic::find_model_spec(s.model);
  if (spec == nullptr) return;
  for (auto& b : s.boards) b.chips_expected = spec->chips_per_board;
}

// Hashing always wins over the firmware's flags, which are unreliable (see sleeping_v2).
DeviceState finish_state(DeviceSnapshot& s, bool flag_says_off) {
  const bool hashing = asic::is_hashing(s.hashrate_ths, s.boards);
  asic::assess_boards(s.boards, hashing, s.errors);
  return asic::decide_state({s.hashrate_ths, s.uptime_s, flag_says_off && !hashing, &s.boards});
}

// `status`: newer firmware sends `mineroff` ("true" = stopped, literal). Older firmware sends
// `btmineroff`, which is inverted in practice: the captured M-series on 20210322 firmware says
// "true" while hashing 67 TH/s (asic-rs fixed the same inversion, PR #187). So "false" is read
// as "btminer not running"; the caller never lets either flag override a measured hashrate.
bool sleeping_v2(const json* status_msg) {
  if (auto off = asic::flag_at(status_msg, "mineroff")) return *off;
  if (auto bt = asic::flag_at(status_msg, "btmineroff")) return !*bt;
  return false;
}

void read_board_v2(const json* d, DeviceSnapshot& s) {
  auto idx = asic::int_at(d, "ASC");
  if (!idx) idx = asic::int_at(d, "Slot");
  if (!idx || *idx < 0 || *idx > kMaxBoardIndex) return;
  HashBoard b;
  b.index = *idx;
  b.hashrate_ths = asic::rate_for_window(d, "1m");
  if (!b.hashrate_ths) b.hashrate_ths = asic::current_rate(d);
  b.chips = asic::int_at(d, "Effective Chips");
  b.temp_board_c = asic::plausible_temp(asic::number_at(d, "Temperature"));
  b.temp_chip_c = asic::plausible_temp(asic::number_at(d, "Chip Temp Max"));
  b.hw_errors = asic::integer_at(d, "Hardware Errors");
  const auto status = lower(asic::string_at(d, "Status").value_or("alive"));
  if (asic::flag_at(d, "Enabled") == false) {
    b.status = "disabled";
  } else if (status != "alive") {
    b.status = "fault";
    s.errors.push_back("board " + std::to_string(*idx) + ": firmware reports " + status);
  }
  s.boards.push_back(std::move(b));
}

void read_identity_v2(const asic::Replies& r, const json* summary, DeviceSnapshot& s) {
  const json* dd = asic::first_entry(asic::reply_of(r, "devdetails"), "DEVDETAILS");
  if (auto m = asic::string_at(dd, "Model")) s.model = display_model(*m);
  s.make = "MicroBT";
  s.firmware_version =
      clean_version(asic::string_at(msg_of(asic::reply_of(r, "get_version")), "fw_ver"));
  if (!s.firmware_version)
    s.firmware_version = clean_version(asic::string_at(summary, "Firmware Version"));
  if (!s.firmware_version)
    s.firmware_version =
        clean_version(asic::string_at(msg_of(asic::reply_of(r, "status")), "Firmware Version"));
}

std::optional<double> positive(std::optional<double> v) { return v && *v > 0.0 ? v : std::nullopt; }

void push_fans(DeviceSnapshot& s, const json* obj, std::string_view in, std::string_view out) {
  for (auto key : {in, out})
    if (auto rpm = asic::number_at(obj, key); rpm && *rpm >= 0.0 && *rpm < 100000.0)
      s.fans_rpm.push_back(*rpm);
}

}  // namespace

const std::vector<std::string>& v2_poll_commands() {
  static const std::vector<std::string> kCommands = {"summary", "devs", "pools", "status"};
  return kCommands;
}

Result<DeviceSnapshot> parse_v2(const asic::Replies& r) {
  const json* summary = asic::first_entry(asic::reply_of(r, "summary"), "SUMMARY");
  const auto devs = asic::entries(asic::reply_of(r, "devs"), "DEVS");
  if (summary == nullptr && devs.empty())
    return fail(Errc::kProtocol, "whatsminer: neither summary nor devs could be read");

  DeviceSnapshot s;
  s.kind = DeviceKind::kAsic;
  s.firmware = "btminer";
  read_identity_v2(r, summary, s);
  if (summary == nullptr) s.errors.emplace_back("summary missing or unreadable");
  if (devs.empty()) s.errors.emplace_back("devs missing or unreadable: no per-board data");

  s.hashrate_ths = asic::rate_for_window(summary, "1m");
  if (!s.hashrate_ths) s.hashrate_ths = asic::current_rate(summary);
  if (auto f = positive(asic::number_at(summary, "Factory GHS")))
    s.hashrate_nominal_ths = asic::to_ths(*f, asic::HashUnit::kGiga);
  s.power_w = positive(asic::number_at(summary, "Power"));
  if (!s.power_w) s.power_w = positive(asic::number_at(summary, "Power_RT"));
  s.power_limit_w = positive(asic::number_at(summary, "Power Limit"));
  s.uptime_s = asic::integer_at(summary, "Elapsed");
  push_fans(s, summary, "Fan Speed In", "Fan Speed Out");

  for (const json* d : devs) read_board_v2(d, s);
  std::sort(s.boards.begin(), s.boards.end(),
            [](const auto& a, const auto& b) { return a.index < b.index; });
  if (s.fans_rpm.empty() && !devs.empty())
    push_fans(s, devs.front(), "Fan Speed In", "Fan Speed Out");
  if (!s.hashrate_ths && !s.boards.empty()) {
    std::optional<double> sum;
    for (const auto& b : s.boards)
      if (b.hashrate_ths) sum = sum.value_or(0.0) + *b.hashrate_ths;
    s.hashrate_ths = sum;
  }
  if (auto errs = asic::integer_at(summary, "Error Code Count"); errs && *errs > 0)
    s.errors.push_back("firmware reports " + std::to_string(*errs) + " error code(s)");
  set_chips_expected(s);
  asic::apply_pools(asic::reply_of(r, "pools"), s);
  s.state = finish_state(s, sleeping_v2(msg_of(asic::reply_of(r, "status"))));
  derive_fields(s);
  return s;
}

Result<DeviceSnapshot> parse_v3(const V3Replies& r) {
  const json* info = r.device_info.is_object() ? &r.device_info : nullptr;
  const json* sum = r.summary.is_object() ? &r.summary : nullptr;
  if (info == nullptr && sum == nullptr)
    return fail(Errc::kProtocol, "whatsminer v3: neither get.device.info nor summary readable");
  DeviceSnapshot s;
  s.kind = DeviceKind::kAsic;
  s.firmware = "btminer";
  s.make = "MicroBT";
  const json* miner = asic::member(info, "miner");
  const json* system = asic::member(info, "system");
  if (auto t = asic::string_at(miner, "type")) s.model = display_model(*t);
  s.firmware_version = clean_version(asic::string_at(system, "fwversion"));
  if (sum == nullptr) s.errors.emplace_back("summary missing or unreadable");

  // v3 reports TH/s already (hash-realtime, factory-hash, per-board hash-average).
  s.hashrate_ths = asic::number_at(sum, "hash-realtime");
  if (s.hashrate_ths && *s.hashrate_ths < 0.0) s.hashrate_ths.reset();
  s.hashrate_nominal_ths = positive(asic::number_at(sum, "factory-hash"));
  s.power_w = positive(asic::number_at(sum, "power-realtime"));
  s.power_limit_w = positive(asic::number_at(sum, "power-limit"));
  s.uptime_s = asic::integer_at(sum, "elapsed");
  push_fans(s, sum, "fan-speed-in", "fan-speed-out");

  const json* temps = asic::member(sum, "board-temperature");
  if (r.edevs.is_array()) {
    for (const auto& d : r.edevs) {
      auto idx = asic::int_at(&d, "id");
      if (!idx) idx = asic::int_at(&d, "slot");
      if (!idx || *idx < 0 || *idx > kMaxBoardIndex) continue;
      HashBoard b;
      b.index = *idx;
      b.hashrate_ths = asic::number_at(&d, "hash-average");
      b.chips = asic::int_at(&d, "effective-chips");
      b.temp_chip_c = asic::plausible_temp(asic::number_at(&d, "chip-temp-max"));
      if (temps != nullptr && temps->is_array() && static_cast<size_t>(*idx) < temps->size())
        b.temp_board_c = asic::plausible_temp(asic::to_number((*temps)[static_cast<size_t>(*idx)]));
      s.boards.push_back(std::move(b));
    }
  } else {
    s.errors.emplace_back("edevs missing or unreadable: no per-board data");
  }
  std::sort(s.boards.begin(), s.boards.end(),
            [](const auto& a, const auto& b) { return a.index < b.index; });
  set_chips_expected(s);

  if (r.pools.is_array()) {
    std::vector<asic::PoolReading> pools;
    for (const auto& p : r.pools) {
      asic::PoolReading pr;
      pr.index = asic::int_at(&p, "id").value_or(static_cast<int>(pools.size()));
      pr.url = asic::string_at(&p, "url").value_or("");
      if (pr.url.empty()) continue;
      pr.user = asic::string_at(&p, "account").value_or("");
      pr.status = lower(asic::string_at(&p, "status").value_or(""));
      pr.priority = pr.index;
      pr.stratum_active = asic::flag_at(&p, "stratum-active").value_or(false);
      pools.push_back(std::move(pr));
    }
    s.pool = asic::active_pool(pools);
    asic::pool_errors(pools, s.errors);
  }
  const bool off = asic::flag_at(miner, "working") == false;
  s.state = finish_state(s, off);
  derive_fields(s);
  return s;
}

std::string display_model(std::string_view raw) {
  std::string base(raw.substr(0, std::min<size_t>(raw.size(), 40)));
  std::string variant;
  if (auto us = base.find('_'); us != std::string::npos) {
    variant = base.substr(us + 1);
    base.resize(us);
  }
  auto plausible = [](const std::string& t) {
    return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '+';
    });
  };
  if (!plausible(base)) return "";
  if (!variant.empty() && std::isdigit(static_cast<unsigned char>(variant.back())))
    variant.back() = '0';
  std::string out = "Whatsminer " + base;
  if (plausible(variant)) out += " " + variant;
  return out;
}

std::optional<int> firmware_date(std::string_view fw) {
  while (!fw.empty() && (fw.front() == '\'' || fw.front() == '"' || fw.front() == ' '))
    fw.remove_prefix(1);
  if (fw.size() < 8) return std::nullopt;
  int date = 0;
  for (size_t i = 0; i < 8; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(fw[i]))) return std::nullopt;
    date = date * 10 + (fw[i] - '0');
  }
  const int year = date / 10000;
  const int month = date / 100 % 100;
  const int day = date % 100;
  if (year < 2015 || year > 2099 || month < 1 || month > 12 || day < 1 || day > 31)
    return std::nullopt;
  return date;
}

bool firmware_speaks_v3(std::optional<int> date) { return date && *date >= kV3FirstDate; }

bool says_api_disabled(std::string_view msg) {
  const auto m = lower(std::string(msg.substr(0, 200)));
  return m.find("can't access write cmd") != std::string::npos ||
         m.find("not enabled") != std::string::npos ||
         m.find("api is disabled") != std::string::npos;
}

}  // namespace rigkeeper::drivers::whatsminer
