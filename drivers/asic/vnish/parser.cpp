#include "drivers/asic/vnish/parser.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>

#include "drivers/asic/common/device_state.h"
#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/model_specs.h"
#include "drivers/asic/common/numbers.h"

namespace rigkeeper::drivers::vnish {

namespace {

using asic::json;

constexpr size_t kMaxBoards = 16;
constexpr size_t kMaxFans = 16;
constexpr size_t kMaxSensors = 16;

const json* path(const json* j, std::initializer_list<std::string_view> keys) {
  for (auto k : keys) j = asic::member(j, k);
  return j;
}

const json* ptr(const std::optional<json>& j) { return j ? &*j : nullptr; }

// The hottest sensor whose status says it measured; other statuses ("error") are dead sensors.
std::optional<double> hottest_measured(const json* sensors, int board, std::string_view kind,
                                       std::vector<std::string>& errors) {
  if (sensors == nullptr || !sensors->is_array()) return std::nullopt;
  std::optional<double> hot;
  size_t i = 0;
  for (const auto& s : *sensors) {
    if (i >= kMaxSensors) break;
    const auto status = asic::string_at(&s, "status").value_or("measure");
    if (status == "measure") {
      auto t = asic::plausible_temp(asic::number_at(&s, "temp"));
      if (t && (!hot || *t > *hot)) hot = t;
    } else {
      errors.push_back("board " + std::to_string(board) + ": " + std::string(kind) + " sensor " +
                       std::to_string(i) + " " + status.substr(0, 32));
    }
    ++i;
  }
  return hot;
}

void apply_chains(const json* chains, const std::string& model, DeviceSnapshot& s) {
  if (chains == nullptr || !chains->is_array()) {
    s.errors.push_back("chains unreadable");
    return;
  }
  const asic::ModelSpec* spec = asic::find_model_spec(model);
  for (const auto& c : *chains) {
    if (s.boards.size() >= kMaxBoards) break;
    if (!c.is_object()) continue;
    HashBoard b;
    auto id = asic::int_at(&c, "id");  // VNish numbers chains from 1
    b.index = id && *id >= 1 && *id <= static_cast<int>(kMaxBoards)
                  ? *id - 1
                  : static_cast<int>(s.boards.size());
    if (auto gh = asic::number_at(&c, "hashrate_rt")) b.hashrate_ths = *gh / 1e3;
    const json* st = asic::member(&c, "chip_statuses");
    auto red = asic::int_at(st, "red"), orange = asic::int_at(st, "orange"),
         grey = asic::int_at(st, "grey");
    if (red && orange && grey) b.chips = *red + *orange + *grey;
    if (spec != nullptr) b.chips_expected = spec->chips_per_board;
    b.temp_board_c = hottest_measured(asic::member(&c, "pcb_temp_sens"), b.index, "pcb", s.errors);
    std::vector<std::string> chip_sensor_errors;  // the same sensors, seen from the chip side
    b.temp_chip_c =
        hottest_measured(asic::member(&c, "chip_temp_sens"), b.index, "chip", chip_sensor_errors);
    if (!b.temp_chip_c)
      b.temp_chip_c = asic::plausible_temp(asic::number_at(asic::member(&c, "chip_temp"), "max"));
    if (!b.temp_board_c)
      b.temp_board_c = asic::plausible_temp(asic::number_at(asic::member(&c, "pcb_temp"), "max"));
    b.hw_errors = asic::integer_at(&c, "hw_errors");
    const json* status = asic::member(&c, "status");
    const auto state = asic::string_at(status, "state").value_or("");
    if (state == "disabled") b.status = "disabled";
    if (auto d = asic::string_at(status, "description"); d && !d->empty()) {
      s.errors.push_back("board " + std::to_string(b.index) + ": " + d->substr(0, 120));
    }
    s.boards.push_back(std::move(b));
  }
  std::sort(s.boards.begin(), s.boards.end(),
            [](const HashBoard& a, const HashBoard& b) { return a.index < b.index; });
}

void apply_pools(const json* pools, DeviceSnapshot& s) {
  if (pools == nullptr || !pools->is_array()) return;
  const json* pick = nullptr;
  const json* first_user = nullptr;
  for (const auto& p : *pools) {
    if (asic::string_at(&p, "pool_type").value_or("UserPool") == "DevFee") continue;
    if (!asic::string_at(&p, "url")) continue;
    if (first_user == nullptr) first_user = &p;
    if (pick == nullptr && asic::string_at(&p, "status").value_or("") == "active") pick = &p;
  }
  if (pick == nullptr) pick = first_user;
  if (pick == nullptr) {
    s.errors.push_back("no pool configured");
    return;
  }
  PoolInfo info;
  info.url = asic::string_at(pick, "url").value_or("").substr(0, 256);
  info.user = asic::string_at(pick, "user").value_or("").substr(0, 128);
  std::string st = asic::string_at(pick, "status").value_or("unknown").substr(0, 32);
  std::transform(st.begin(), st.end(), st.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (st == "active" || st == "working") st = "alive";
  if (st == "offline") st = "dead";
  info.status = st;
  if (st != "alive") s.errors.push_back("pool " + info.url + " " + st);
  s.pool = std::move(info);
}

// power_usage was watts in 1.2.x (the capture's chains add up to it) but an efficiency in some
// later releases; below 200 it cannot be a miner's wall power, so it is not taken as one.
std::optional<double> wall_power(const json* miner) {
  if (auto w = asic::number_at(miner, "power_consumption"); w && *w > 0) return w;
  if (auto w = asic::number_at(miner, "power_usage"); w && *w >= 200) return w;
  return std::nullopt;
}

}  // namespace

std::string miner_state(const json* summary) {
  return asic::string_at(path(summary, {"miner", "miner_status"}), "miner_state")
      .value_or("")
      .substr(0, 32);
}

DeviceState state_of(std::string_view st, bool hashing) {
  if (st == "paused" || st == "stopped" || st == "shutting-down" || st == "stopping") {
    return DeviceState::kSleeping;
  }
  if (st == "failure" || st == "failed" || st == "broken") return DeviceState::kFault;
  if (st == "mining" || st == "auto-tuning" || st == "tuning") {
    return hashing ? DeviceState::kMining : DeviceState::kStarting;
  }
  if (st == "starting" || st == "initializing" || st == "restarting") {
    return hashing ? DeviceState::kMining : DeviceState::kStarting;
  }
  return hashing ? DeviceState::kMining : DeviceState::kIdle;
}

std::optional<int64_t> parse_uptime(std::string_view text) {
  if (text.size() > 64) return std::nullopt;
  int64_t days = 0;
  if (auto d = text.find("day"); d != std::string_view::npos) {
    auto n = asic::parse_number(text.substr(0, d));
    if (!n || *n < 0) return std::nullopt;
    days = static_cast<int64_t>(*n);
    auto comma = text.find(',', d);
    if (comma == std::string_view::npos) return days * 86400;
    text = text.substr(comma + 1);
  }
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto h = asic::parse_number(text.substr(0, colon));
  auto m = asic::parse_number(text.substr(colon + 1));
  if (!h || !m || *h < 0 || *m < 0 || *m >= 60) return std::nullopt;
  return days * 86400 + static_cast<int64_t>(*h) * 3600 + static_cast<int64_t>(*m) * 60;
}

std::optional<std::string> version_in_type(std::string_view type) {
  auto open = type.find("(Vnish ");
  if (open == std::string_view::npos) open = type.find("(VNish ");
  if (open == std::string_view::npos) return std::nullopt;
  auto close = type.find(')', open);
  if (close == std::string_view::npos) return std::nullopt;
  auto v = type.substr(open + 7, close - open - 7);
  if (v.empty() || v.size() > 40) return std::nullopt;
  return std::string(v);
}

std::optional<std::string> selected_preset(const json* settings) {
  const json* p = path(settings, {"miner", "overclock", "preset"});
  if (p == nullptr) return std::nullopt;
  if (p->is_string()) return p->get<std::string>().substr(0, 64);
  if (p->is_number_integer()) return std::to_string(p->get<int64_t>());
  return std::nullopt;
}

std::optional<std::string> first_pool_url(const json* settings) {
  const json* pools = path(settings, {"miner", "pools"});
  if (pools == nullptr || !pools->is_array() || pools->empty()) return std::nullopt;
  return asic::string_at(&(*pools)[0], "url");
}

Result<DeviceSnapshot> parse_web(const WebReplies& r) {
  const json* summary = ptr(r.summary);
  const json* miner = asic::member(summary, "miner");
  if (miner == nullptr || !miner->is_object()) {
    return fail(Errc::kProtocol, "summary unreadable (no miner object)");
  }
  const json* info = ptr(r.info);
  DeviceSnapshot s;
  s.kind = DeviceKind::kAsic;
  s.firmware = "vnish";
  const auto type = asic::string_at(miner, "miner_type").value_or("");
  auto model = asic::string_at(info, "miner");
  s.model = asic::clean_model(model ? *model : type);
  s.make = asic::make_of_model(s.model);
  if (auto v = asic::string_at(info, "fw_version"); v && !v->empty()) {
    s.firmware_version = v->substr(0, 40);
  } else {
    s.firmware_version = version_in_type(type);
  }
  s.hashrate_ths = asic::number_at(miner, "instant_hashrate");
  if (!s.hashrate_ths) {
    if (auto gh = asic::number_at(miner, "hr_realtime")) s.hashrate_ths = *gh / 1e3;
  }
  if (!s.hashrate_ths) s.hashrate_ths = asic::number_at(miner, "average_hashrate");
  if (auto gh = asic::number_at(miner, "hr_nominal")) s.hashrate_nominal_ths = *gh / 1e3;
  s.power_w = wall_power(miner);
  s.efficiency_jth = asic::number_at(miner, "power_efficiency");
  if (s.efficiency_jth && *s.efficiency_jth <= 0) s.efficiency_jth.reset();
  if (auto uptime = asic::string_at(asic::member(summary, "system"), "uptime")) {
    s.uptime_s = parse_uptime(*uptime);
  }
  const json* fans = path(miner, {"cooling", "fans"});
  if (fans != nullptr && fans->is_array()) {
    for (const auto& f : *fans) {
      if (s.fans_rpm.size() >= kMaxFans) break;
      if (auto rpm = asic::number_at(&f, "rpm"); rpm && *rpm >= 0) s.fans_rpm.push_back(*rpm);
    }
  }
  apply_chains(asic::member(miner, "chains"), s.model, s);
  if (!s.hashrate_nominal_ths) {  // the boards' ideal rates add up to the nominal
    const json* chains = asic::member(miner, "chains");
    double sum = 0;
    bool all = chains != nullptr && chains->is_array() && !chains->empty();
    if (all) {
      for (const auto& c : *chains) {
        auto ideal = asic::number_at(&c, "hashrate_ideal");
        if (!ideal)
          all = false;
        else
          sum += *ideal;
      }
    }
    if (all) s.hashrate_nominal_ths = sum / 1e3;
  }
  s.temp_max_c = asic::plausible_temp(asic::number_at(asic::member(miner, "chip_temp"), "max"));
  apply_pools(asic::member(miner, "pools"), s);
  if (auto preset = selected_preset(ptr(r.settings))) {
    if (auto w = asic::parse_number(*preset); w && *w > 0) s.power_limit_w = w;
  }
  const bool hashing = asic::is_hashing(s.hashrate_ths, s.boards);
  const std::string st = miner_state(summary);
  s.state = st.empty()
                ? asic::decide_state(
                      {.hashrate_ths = s.hashrate_ths, .uptime_s = s.uptime_s, .boards = &s.boards})
                : state_of(st, hashing);
  if (s.state != DeviceState::kSleeping) asic::assess_boards(s.boards, hashing, s.errors);
  if (s.state == DeviceState::kFault) s.errors.push_back("miner state: " + st);
  derive_fields(s);
  return s;
}

}  // namespace rigkeeper::drivers::vnish
