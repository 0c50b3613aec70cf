#include "drivers/asic/braiins/rest_parser.h"

#include <algorithm>
#include <initializer_list>
#include <string>

#include "drivers/asic/common/device_state.h"
#include "drivers/asic/common/hashrate.h"
#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/model_specs.h"
#include "drivers/asic/common/numbers.h"

namespace rigkeeper::drivers::braiins {

namespace {

using asic::json;

constexpr size_t kMaxBoards = 64;
constexpr size_t kMaxFans = 32;
constexpr size_t kMaxErrorMessages = 8;
constexpr size_t kMaxMessageChars = 200;

const json* path(const json* j, std::initializer_list<std::string_view> keys) {
  for (auto k : keys) j = asic::member(j, k);
  return j;
}

std::optional<double> number(const json* j, std::initializer_list<std::string_view> keys) {
  const json* v = path(j, keys);
  return v ? asic::to_number(*v) : std::nullopt;
}

const json* ptr(const std::optional<json>& j) { return j ? &*j : nullptr; }

// A hashrate object {"gigahash_per_second": x} (or tera/mega), in TH/s.
std::optional<double> rate_ths(const json* rate) {
  if (auto gh = asic::number_at(rate, "gigahash_per_second")) return *gh / 1e3;
  if (auto th = asic::number_at(rate, "terahash_per_second")) return *th;
  if (auto mh = asic::number_at(rate, "megahash_per_second")) return *mh / 1e6;
  return std::nullopt;
}

// The shortest window of a real_hashrate object that is reported.
std::optional<double> current_rate(const json* real_hashrate) {
  for (auto w : {"last_5s", "last_15s", "last_30s", "last_1m", "last_5m", "last_15m"}) {
    if (auto r = rate_ths(asic::member(real_hashrate, w))) return r;
  }
  return std::nullopt;
}

void apply_details(const json* d, DeviceSnapshot& s) {
  const json* identity = asic::member(d, "miner_identity");
  auto model = asic::string_at(identity, "miner_model");
  if (!model) model = asic::string_at(identity, "name");
  if (model) s.model = asic::clean_model(*model);
  s.make = asic::make_of_model(s.model);
  if (auto v = asic::string_at(asic::member(d, "bos_version"), "current"); v && !v->empty()) {
    s.firmware_version = v->substr(0, 80);
  }
  s.uptime_s = asic::integer_at(d, "bosminer_uptime_s");
  if (!s.uptime_s) s.uptime_s = asic::integer_at(d, "system_uptime_s");
  s.hashrate_nominal_ths = rate_ths(asic::member(d, "sticker_hashrate"));
}

void apply_stats(const json* st, DeviceSnapshot& s) {
  const json* miner = asic::member(st, "miner_stats");
  s.hashrate_ths = current_rate(asic::member(miner, "real_hashrate"));
  // The tuned nominal beats the sticker value of miner/details.
  if (auto n = rate_ths(asic::member(miner, "nominal_hashrate"))) s.hashrate_nominal_ths = n;
  s.power_w = number(st, {"power_stats", "approximated_consumption", "watt"});
  s.efficiency_jth = number(st, {"power_stats", "efficiency", "joule_per_terahash"});
}

void apply_hashboards(const json* reply, DeviceSnapshot& s) {
  const json* list = asic::member(reply, "hashboards");
  if (list == nullptr || !list->is_array()) {
    s.errors.push_back("hashboards unreadable");
    return;
  }
  const asic::ModelSpec* spec = asic::find_model_spec(s.model);
  for (const auto& hb : *list) {
    if (s.boards.size() >= kMaxBoards) break;
    if (!hb.is_object()) continue;
    // Braiins numbers boards from 1 as strings ("1"); the snapshot's index is 0-based.
    std::optional<double> id = asic::number_at(&hb, "id");
    HashBoard b;
    b.index = id && *id >= 1 && *id <= kMaxBoards ? static_cast<int>(*id) - 1
                                                  : static_cast<int>(s.boards.size());
    b.hashrate_ths = current_rate(path(&hb, {"stats", "real_hashrate"}));
    b.chips = asic::int_at(&hb, "chips_count");
    if (spec != nullptr) b.chips_expected = spec->chips_per_board;
    b.temp_board_c = asic::plausible_temp(number(&hb, {"board_temp", "degree_c"}));
    b.temp_chip_c =
        asic::plausible_temp(number(&hb, {"highest_chip_temp", "temperature", "degree_c"}));
    if (!asic::flag_at(&hb, "enabled").value_or(true)) b.status = "disabled";
    s.boards.push_back(std::move(b));
  }
  std::sort(s.boards.begin(), s.boards.end(),
            [](const HashBoard& a, const HashBoard& b) { return a.index < b.index; });
}

void apply_cooling(const json* c, DeviceSnapshot& s) {
  const json* fans = asic::member(c, "fans");
  if (fans != nullptr && fans->is_array()) {
    for (const auto& f : *fans) {
      if (s.fans_rpm.size() >= kMaxFans) break;
      if (auto rpm = asic::number_at(&f, "rpm"); rpm && *rpm >= 0) s.fans_rpm.push_back(*rpm);
    }
  }
  s.temp_max_c =
      asic::plausible_temp(number(c, {"highest_temperature", "temperature", "degree_c"}));
}

void apply_pools(const json* groups, DeviceSnapshot& s) {
  if (groups == nullptr || !groups->is_array()) {
    s.errors.push_back("pools unreadable");
    return;
  }
  std::vector<const json*> all;
  for (const auto& g : *groups) {
    const json* pools = asic::member(&g, "pools");
    if (pools == nullptr || !pools->is_array()) continue;
    for (const auto& p : *pools)
      if (asic::string_at(&p, "url")) all.push_back(&p);
  }
  if (all.empty()) {
    s.errors.push_back("no pool configured");
    return;
  }
  auto pick = std::find_if(all.begin(), all.end(), [](const json* p) {
    return asic::flag_at(p, "active").value_or(false);
  });
  if (pick == all.end()) {
    pick = std::find_if(all.begin(), all.end(),
                        [](const json* p) { return asic::flag_at(p, "alive").value_or(false); });
  }
  const json* p = pick == all.end() ? all.front() : *pick;
  PoolInfo info;
  info.url = asic::string_at(p, "url").value_or("").substr(0, 256);
  info.user = asic::string_at(p, "user").value_or("").substr(0, 128);
  if (!asic::flag_at(p, "enabled").value_or(true)) {
    info.status = "disabled";
  } else if (auto alive = asic::flag_at(p, "alive")) {
    info.status = *alive ? "alive" : "dead";
  } else {
    info.status = "unknown";
  }
  if (info.status != "alive") s.errors.push_back("pool " + info.url + " " + info.status);
  s.pool = std::move(info);
}

void apply_errors(const json* reply, DeviceSnapshot& s) {
  const json* list = asic::member(reply, "errors");
  if (list == nullptr || !list->is_array()) return;
  std::vector<std::string> seen;
  for (const auto& e : *list) {
    auto msg = asic::string_at(&e, "message");
    if (!msg || msg->empty()) continue;
    std::string text = msg->substr(0, kMaxMessageChars);
    if (std::find(seen.begin(), seen.end(), text) != seen.end()) continue;
    seen.push_back(text);
    if (seen.size() > kMaxErrorMessages) break;
    s.errors.push_back("firmware: " + text);
  }
}

}  // namespace

std::optional<json>* RestReplies::slot(std::string_view p) {
  if (p == "miner/details") return &details;
  if (p == "miner/stats") return &stats;
  if (p == "miner/hw/hashboards") return &hashboards;
  if (p == "cooling/state") return &cooling;
  if (p == "miner/errors") return &errors;
  if (p == "pools") return &pools;
  if (p == "performance/tuner-state") return &tuner;
  return nullptr;
}

MinerStatus miner_status(const json* details) {
  auto v = asic::int_at(details, "status");
  if (!v || *v < 1 || *v > 4) return MinerStatus::kUnknown;
  return static_cast<MinerStatus>(*v);
}

std::optional<double> power_target_w(const json* tuner) {
  const json* mode = path(tuner, {"mode_state", "powertargetmodestate"});
  if (auto w = number(mode, {"current_target", "watt"})) return w;
  return number(mode, {"profile", "target", "watt"});
}

std::optional<bool> locate_on(const json* reply) {
  if (reply == nullptr || !reply->is_boolean()) return std::nullopt;
  return reply->get<bool>();
}

Result<DeviceSnapshot> parse_rest(const RestReplies& r) {
  const json* details = ptr(r.details);
  const json* stats = ptr(r.stats);
  const bool details_ok = details != nullptr && details->is_object();
  const bool stats_ok = stats != nullptr && asic::member(stats, "miner_stats") != nullptr;
  if (!details_ok && !stats_ok) {
    return fail(Errc::kProtocol, "neither miner/details nor miner/stats is readable");
  }
  DeviceSnapshot s;
  s.kind = DeviceKind::kAsic;
  s.firmware = "braiins";
  if (details_ok)
    apply_details(details, s);
  else
    s.errors.push_back("miner details unreadable");
  if (stats_ok)
    apply_stats(stats, s);
  else
    s.errors.push_back("miner stats unreadable");
  if (r.hashboards) apply_hashboards(ptr(r.hashboards), s);
  if (r.cooling) apply_cooling(ptr(r.cooling), s);
  if (r.pools) apply_pools(ptr(r.pools), s);
  s.power_limit_w = power_target_w(ptr(r.tuner));
  if (r.errors) apply_errors(ptr(r.errors), s);

  const bool hashing = asic::is_hashing(s.hashrate_ths, s.boards);
  const MinerStatus status = miner_status(details);
  const bool paused = status == MinerStatus::kPaused || status == MinerStatus::kSuspended;
  if (!paused) asic::assess_boards(s.boards, hashing, s.errors);
  if (status == MinerStatus::kNotStarted && !hashing) {
    s.state = DeviceState::kStarting;
  } else {
    s.state = asic::decide_state({.hashrate_ths = s.hashrate_ths,
                                  .uptime_s = s.uptime_s,
                                  .sleeping = paused,
                                  .boards = &s.boards});
  }
  derive_fields(s);
  return s;
}

}  // namespace rigkeeper::drivers::braiins
