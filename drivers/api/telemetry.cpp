#include "drivers/api/telemetry.h"

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

namespace rigkeeper::drivers {

using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 2> kKindNames = {"asic", "gpu_node"};
constexpr std::array<std::string_view, 7> kStateNames = {
    "mining", "sleeping", "idle", "serving", "starting", "fault", "offline"};

template <class T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

template <class T>
Result<std::optional<T>> read_opt(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::optional<T>{};
  try {
    return std::optional<T>(it->get<T>());
  } catch (const json::exception&) {
    return fail(Errc::kInvalidArgument, std::string("field '") + key + "' has the wrong type");
  }
}

// Reads optional fields into a struct member, returning the first error from the enclosing
// function.
#define RK_READ_OPT(obj, j, field, type)        \
  do {                                          \
    auto r_ = read_opt<type>(j, #field);        \
    if (!r_) return tl::unexpected(r_.error()); \
    (obj).field = *r_;                          \
  } while (0)

}  // namespace

std::string_view to_string(DeviceKind kind) { return kKindNames[static_cast<size_t>(kind)]; }
std::string_view to_string(DeviceState state) { return kStateNames[static_cast<size_t>(state)]; }

std::optional<DeviceKind> parse_device_kind(std::string_view text) {
  for (size_t i = 0; i < kKindNames.size(); ++i)
    if (kKindNames[i] == text) return static_cast<DeviceKind>(i);
  return std::nullopt;
}

std::optional<DeviceState> parse_device_state(std::string_view text) {
  for (size_t i = 0; i < kStateNames.size(); ++i)
    if (kStateNames[i] == text) return static_cast<DeviceState>(i);
  return std::nullopt;
}

void derive_fields(DeviceSnapshot& s) {
  if (!s.efficiency_jth && s.power_w && s.hashrate_ths && *s.hashrate_ths > 0.0)
    s.efficiency_jth = *s.power_w / *s.hashrate_ths;
  if (!s.temp_max_c) {
    std::optional<double> hottest;
    auto consider = [&](const std::optional<double>& t) {
      if (t && (!hottest || *t > *hottest)) hottest = t;
    };
    for (const auto& b : s.boards) {
      consider(b.temp_chip_c);
      consider(b.temp_board_c);
    }
    for (const auto& g : s.gpus) consider(g.temp_c);
    s.temp_max_c = hottest;
  }
}

json to_json(const DeviceSnapshot& s) {
  json boards = json::array();
  for (const auto& b : s.boards) {
    boards.push_back({{"index", b.index},
                      {"hashrate_ths", opt(b.hashrate_ths)},
                      {"chips", opt(b.chips)},
                      {"chips_expected", opt(b.chips_expected)},
                      {"temp_board_c", opt(b.temp_board_c)},
                      {"temp_chip_c", opt(b.temp_chip_c)},
                      {"hw_errors", opt(b.hw_errors)},
                      {"status", b.status}});
  }
  json gpus = json::array();
  for (const auto& g : s.gpus) {
    gpus.push_back({{"index", g.index},
                    {"uuid", opt(g.uuid)},
                    {"model", opt(g.model)},
                    {"temp_c", opt(g.temp_c)},
                    {"power_w", opt(g.power_w)},
                    {"power_limit_w", opt(g.power_limit_w)},
                    {"util_pct", opt(g.util_pct)},
                    {"mem_used_mib", opt(g.mem_used_mib)},
                    {"mem_total_mib", opt(g.mem_total_mib)},
                    {"ecc_corrected", opt(g.ecc_corrected)},
                    {"ecc_uncorrected", opt(g.ecc_uncorrected)},
                    {"xid_last", opt(g.xid_last)},
                    {"throttle_reasons", g.throttle_reasons}});
  }
  json pool = nullptr;
  if (s.pool) pool = {{"url", s.pool->url}, {"user", s.pool->user}, {"status", s.pool->status}};
  return json{{"schema", s.schema},
              {"ts", format_rfc3339(s.ts)},
              {"device_id", s.device_id},
              {"host", s.host},
              {"kind", to_string(s.kind)},
              {"make", s.make},
              {"model", s.model},
              {"firmware", s.firmware},
              {"firmware_version", opt(s.firmware_version)},
              {"state", to_string(s.state)},
              {"hashrate_ths", opt(s.hashrate_ths)},
              {"hashrate_nominal_ths", opt(s.hashrate_nominal_ths)},
              {"power_w", opt(s.power_w)},
              {"power_limit_w", opt(s.power_limit_w)},
              {"efficiency_jth", opt(s.efficiency_jth)},
              {"temp_max_c", opt(s.temp_max_c)},
              {"fans_rpm", s.fans_rpm},
              {"boards", std::move(boards)},
              {"gpus", std::move(gpus)},
              {"pool", std::move(pool)},
              {"uptime_s", opt(s.uptime_s)},
              {"errors", s.errors}};
}

std::string to_json_string(const DeviceSnapshot& snap) {
  // Device text (models, pool users, error strings) is not guaranteed UTF-8: replace, never throw.
  return to_json(snap).dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<DeviceSnapshot> snapshot_from_json(const json& j) {
  if (!j.is_object()) return fail(Errc::kInvalidArgument, "snapshot is not a JSON object");
  DeviceSnapshot s;
  try {
    s.schema = j.value("schema", 1);
    if (s.schema != 1)
      return fail(Errc::kInvalidArgument,
                  "unsupported snapshot schema " + std::to_string(s.schema));
    auto ts = parse_rfc3339(j.at("ts").get<std::string>());
    if (!ts) return tl::unexpected(ts.error());
    s.ts = *ts;
    s.device_id = j.at("device_id").get<std::string>();
    s.host = j.value("host", "");
    auto kind = parse_device_kind(j.value("kind", "asic"));
    if (!kind) return fail(Errc::kInvalidArgument, "unknown kind in snapshot of " + s.device_id);
    s.kind = *kind;
    s.make = j.value("make", "");
    s.model = j.value("model", "");
    s.firmware = j.value("firmware", "");
    auto state = parse_device_state(j.value("state", "offline"));
    if (!state) return fail(Errc::kInvalidArgument, "unknown state in snapshot of " + s.device_id);
    s.state = *state;
    RK_READ_OPT(s, j, firmware_version, std::string);
    RK_READ_OPT(s, j, hashrate_ths, double);
    RK_READ_OPT(s, j, hashrate_nominal_ths, double);
    RK_READ_OPT(s, j, power_w, double);
    RK_READ_OPT(s, j, power_limit_w, double);
    RK_READ_OPT(s, j, efficiency_jth, double);
    RK_READ_OPT(s, j, temp_max_c, double);
    RK_READ_OPT(s, j, uptime_s, int64_t);
    if (j.contains("fans_rpm")) s.fans_rpm = j.at("fans_rpm").get<std::vector<double>>();
    if (j.contains("errors")) s.errors = j.at("errors").get<std::vector<std::string>>();
    for (const auto& jb : j.value("boards", json::array())) {
      HashBoard b;
      b.index = jb.at("index").get<int>();
      RK_READ_OPT(b, jb, hashrate_ths, double);
      RK_READ_OPT(b, jb, chips, int);
      RK_READ_OPT(b, jb, chips_expected, int);
      RK_READ_OPT(b, jb, temp_board_c, double);
      RK_READ_OPT(b, jb, temp_chip_c, double);
      RK_READ_OPT(b, jb, hw_errors, int64_t);
      b.status = jb.value("status", "");
      s.boards.push_back(std::move(b));
    }
    for (const auto& jg : j.value("gpus", json::array())) {
      GpuInfo g;
      g.index = jg.at("index").get<int>();
      RK_READ_OPT(g, jg, uuid, std::string);
      RK_READ_OPT(g, jg, model, std::string);
      RK_READ_OPT(g, jg, temp_c, double);
      RK_READ_OPT(g, jg, power_w, double);
      RK_READ_OPT(g, jg, power_limit_w, double);
      RK_READ_OPT(g, jg, util_pct, double);
      RK_READ_OPT(g, jg, mem_used_mib, double);
      RK_READ_OPT(g, jg, mem_total_mib, double);
      RK_READ_OPT(g, jg, ecc_corrected, int64_t);
      RK_READ_OPT(g, jg, ecc_uncorrected, int64_t);
      RK_READ_OPT(g, jg, xid_last, int);
      if (jg.contains("throttle_reasons"))
        g.throttle_reasons = jg.at("throttle_reasons").get<std::vector<std::string>>();
      s.gpus.push_back(std::move(g));
    }
    if (auto it = j.find("pool"); it != j.end() && it->is_object())
      s.pool = PoolInfo{it->value("url", ""), it->value("user", ""), it->value("status", "")};
  } catch (const json::exception& e) {
    return fail(Errc::kInvalidArgument, std::string("malformed snapshot: ") + e.what());
  }
  return s;
}

}  // namespace rigkeeper::drivers
