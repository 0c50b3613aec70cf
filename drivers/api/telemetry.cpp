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

namespace {

/// Writes the snapshot's JSON straight into a string, the same bytes as
/// `to_json(s).dump(-1, ' ', false, replace)` (keys in the DOM's sorted order; nlohmann's own
/// serializer for numbers and string escaping), without building the tree: this runs once per
/// poll of every device, and the tree was a quarter of the daemon's allocations. The equality
/// with the DOM form is tested on every snapshot the drivers make from the fixtures.
class SnapshotWriter {
 public:
  explicit SnapshotWriter(std::string& out)
      : out_(out),
        serializer_(nlohmann::detail::output_adapter<char>(out), ' ',
                    json::error_handler_t::replace) {}

  void open() {
    out_ += '{';
    first_ = true;
  }
  void close() {
    out_ += '}';
    first_ = false;
  }
  void open_array() {
    out_ += '[';
    first_ = true;
  }
  void close_array() {
    out_ += ']';
    first_ = false;
  }
  /// `"key":` after a comma when needed; keys are plain ASCII literals.
  void key(std::string_view k) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += k;
    out_ += "\":";
  }
  /// An element of an array: the comma when needed.
  void element() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  /// A scalar through nlohmann's serializer: its number format, escaping and UTF-8
  /// replacement (a string costs one copy; numbers none).
  template <class T>
  void value(const T& v) {
    serializer_.dump(json(v), false, false, 0);
    first_ = false;
  }
  /// Text goes through one reused string value: no allocation per field once it has grown.
  void value(std::string_view v) {
    text_.get_ref<std::string&>().assign(v);
    serializer_.dump(text_, false, false, 0);
    first_ = false;
  }
  void value(const std::string& v) { value(std::string_view(v)); }
  template <class T>
  void value(const std::optional<T>& v) {
    if (v)
      value(*v);
    else
      out_ += "null";
    first_ = false;
  }
  template <class T>
  void field(std::string_view k, const T& v) {
    key(k);
    value(v);
  }
  template <class T>
  void array(std::string_view k, const std::vector<T>& items) {
    key(k);
    open_array();
    for (const auto& item : items) {
      element();
      value(item);
    }
    close_array();
  }

 private:
  std::string& out_;
  nlohmann::detail::serializer<json> serializer_;
  json text_ = json::value_t::string;
  bool first_ = true;
};

}  // namespace

std::string to_json_string(const DeviceSnapshot& s) {
  // Device text (models, pool users, error strings) is not guaranteed UTF-8: replace, never throw.
  std::string out;
  out.reserve(1024 + 256 * s.boards.size() + 384 * s.gpus.size());
  SnapshotWriter w(out);
  w.open();
  w.key("boards");
  w.open_array();
  for (const auto& b : s.boards) {
    w.element();
    w.open();
    w.field("chips", b.chips);
    w.field("chips_expected", b.chips_expected);
    w.field("hashrate_ths", b.hashrate_ths);
    w.field("hw_errors", b.hw_errors);
    w.field("index", b.index);
    w.field("status", b.status);
    w.field("temp_board_c", b.temp_board_c);
    w.field("temp_chip_c", b.temp_chip_c);
    w.close();
  }
  w.close_array();
  w.field("device_id", s.device_id);
  w.field("efficiency_jth", s.efficiency_jth);
  w.array("errors", s.errors);
  w.array("fans_rpm", s.fans_rpm);
  w.field("firmware", s.firmware);
  w.field("firmware_version", s.firmware_version);
  w.key("gpus");
  w.open_array();
  for (const auto& g : s.gpus) {
    w.element();
    w.open();
    w.field("ecc_corrected", g.ecc_corrected);
    w.field("ecc_uncorrected", g.ecc_uncorrected);
    w.field("index", g.index);
    w.field("mem_total_mib", g.mem_total_mib);
    w.field("mem_used_mib", g.mem_used_mib);
    w.field("model", g.model);
    w.field("power_limit_w", g.power_limit_w);
    w.field("power_w", g.power_w);
    w.field("temp_c", g.temp_c);
    w.array("throttle_reasons", g.throttle_reasons);
    w.field("util_pct", g.util_pct);
    w.field("uuid", g.uuid);
    w.field("xid_last", g.xid_last);
    w.close();
  }
  w.close_array();
  w.field("hashrate_nominal_ths", s.hashrate_nominal_ths);
  w.field("hashrate_ths", s.hashrate_ths);
  w.field("host", s.host);
  w.field("kind", to_string(s.kind));
  w.field("make", s.make);
  w.field("model", s.model);
  w.key("pool");
  if (s.pool) {
    w.open();
    w.field("status", s.pool->status);
    w.field("url", s.pool->url);
    w.field("user", s.pool->user);
    w.close();
  } else {
    w.value(std::optional<int>{});
  }
  w.field("power_limit_w", s.power_limit_w);
  w.field("power_w", s.power_w);
  w.field("schema", s.schema);
  w.field("state", to_string(s.state));
  w.field("temp_max_c", s.temp_max_c);
  w.field("ts", format_rfc3339(s.ts));
  w.field("uptime_s", s.uptime_s);
  w.close();
  return out;
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
