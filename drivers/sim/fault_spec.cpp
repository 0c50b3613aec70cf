#include "drivers/sim/fault_spec.h"

#include <array>
#include <charconv>
#include <cmath>
#include <utility>

namespace rigkeeper::drivers::sim {

namespace {

struct KindInfo {
  FaultKind kind;
  std::string_view name;
  int required_args;
  int max_args;
};

constexpr std::array kKinds{
    KindInfo{FaultKind::kHang, "hang", 0, 0},
    KindInfo{FaultKind::kReset, "reset", 0, 0},
    KindInfo{FaultKind::kGarbage, "garbage", 0, 1},
    KindInfo{FaultKind::kTruncate, "truncate", 0, 1},
    KindInfo{FaultKind::kSlow, "slow", 0, 1},
    KindInfo{FaultKind::kRefuse, "refuse", 0, 0},
    KindInfo{FaultKind::kMalformed, "malformed", 0, 0},
    KindInfo{FaultKind::kFanFail, "fan_fail", 1, 1},
    KindInfo{FaultKind::kChipsMissing, "chips_missing", 1, 2},
    KindInfo{FaultKind::kBoardDead, "board_dead", 1, 1},
    KindInfo{FaultKind::kOverheat, "overheat", 0, 1},
    KindInfo{FaultKind::kHashrateDrop, "hashrate_drop", 0, 1},
};

const KindInfo& info(FaultKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k;
  }
  return kKinds[0];
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<double> parse_number(std::string_view s) {
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v) || v < 0) {
    return std::nullopt;
  }
  return v;
}

std::optional<std::chrono::milliseconds> parse_time(std::string_view s) {
  double scale = 1000.0;
  if (s.ends_with("ms")) {
    scale = 1.0;
    s.remove_suffix(2);
  } else if (s.ends_with('s')) {
    s.remove_suffix(1);
  } else if (s.ends_with('m')) {
    scale = 60'000.0;
    s.remove_suffix(1);
  } else if (s.ends_with('h')) {
    scale = 3'600'000.0;
    s.remove_suffix(1);
  }
  const auto v = parse_number(s);
  if (!v || *v * scale > 1e12) return std::nullopt;
  return std::chrono::milliseconds(static_cast<int64_t>(std::llround(*v * scale)));
}

std::string format_time(std::chrono::milliseconds t) {
  const auto ms = t.count();
  if (ms % 1000 != 0) return std::to_string(ms) + "ms";
  return std::to_string(ms / 1000) + "s";
}

std::string format_number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  std::string s = std::to_string(v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return s;
}

tl::unexpected<Error> bad(std::string_view item, std::string_view why) {
  return fail(Errc::kInvalidArgument, "fault '" + std::string(item) + "': " + std::string(why));
}

bool valid_target(std::string_view t) {
  if (t == "*") return true;
  if (t.empty() || t.size() > 64) return false;
  for (char c : t) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(FaultKind kind) { return info(kind).name; }

std::optional<FaultKind> parse_fault_kind(std::string_view name) {
  for (const auto& k : kKinds) {
    if (k.name == name) return k.kind;
  }
  return std::nullopt;
}

bool is_transport(FaultKind kind) {
  switch (kind) {
    case FaultKind::kHang:
    case FaultKind::kReset:
    case FaultKind::kGarbage:
    case FaultKind::kTruncate:
    case FaultKind::kSlow:
    case FaultKind::kRefuse:
    case FaultKind::kMalformed:
      return true;
    default:
      return false;
  }
}

std::string FaultSpec::text() const {
  std::string out = target + ":" + std::string(to_string(kind));
  for (double a : args) out += ":" + format_number(a);
  if (delay.count() > 0) out += "@" + format_time(delay);
  if (duration) out += "/" + format_time(*duration);
  return out;
}

Result<FaultSpec> parse_fault(std::string_view item) {
  item = trim(item);
  if (item.size() > 200) return bad(item.substr(0, 40), "too long");
  FaultSpec spec;
  std::string_view body = item;
  // Timing suffixes first: '/' (duration) then '@' (delay).
  if (const auto slash = body.find('/'); slash != std::string_view::npos) {
    const auto d = parse_time(body.substr(slash + 1));
    if (!d || d->count() == 0) return bad(item, "duration after '/' must be a time like 60s");
    spec.duration = *d;
    body = body.substr(0, slash);
  }
  if (const auto at = body.find('@'); at != std::string_view::npos) {
    const auto d = parse_time(body.substr(at + 1));
    if (!d) return bad(item, "delay after '@' must be a time like 30s");
    spec.delay = *d;
    body = body.substr(0, at);
  }
  const auto colon = body.find(':');
  if (colon == std::string_view::npos) return bad(item, "expected DEVICE:FAULT");
  spec.target = std::string(body.substr(0, colon));
  if (!valid_target(spec.target)) return bad(item, "device must be an id like asic-003 or '*'");
  std::string_view rest = body.substr(colon + 1);
  const auto name_end = rest.find(':');
  const auto kind = parse_fault_kind(rest.substr(0, name_end));
  if (!kind) return bad(item, "unknown fault '" + std::string(rest.substr(0, name_end)) + "'");
  spec.kind = *kind;
  while (name_end != std::string_view::npos && !rest.empty()) {
    rest = rest.substr(rest.find(':') + 1);
    const auto next = rest.find(':');
    const auto v = parse_number(rest.substr(0, next));
    if (!v)
      return bad(item, "argument '" + std::string(rest.substr(0, next)) + "' is not a number");
    spec.args.push_back(*v);
    if (next == std::string_view::npos) break;
  }
  const auto& k = info(spec.kind);
  if (static_cast<int>(spec.args.size()) < k.required_args) {
    return bad(item, std::string(k.name) + " needs an index, e.g. " + std::string(k.name) + ":1");
  }
  if (static_cast<int>(spec.args.size()) > k.max_args) {
    return bad(item, std::string(k.name) + " takes at most " + std::to_string(k.max_args) +
                         " argument(s)");
  }
  return spec;
}

Result<std::vector<FaultSpec>> parse_faults(std::string_view spec) {
  std::vector<FaultSpec> out;
  if (spec.size() > size_t{64} * 1024) return fail(Errc::kInvalidArgument, "fault spec too long");
  while (!trim(spec).empty()) {
    const auto comma = spec.find(',');
    auto one = parse_fault(spec.substr(0, comma));
    if (!one) return tl::unexpected(one.error());
    out.push_back(std::move(*one));
    if (comma == std::string_view::npos) break;
    spec = spec.substr(comma + 1);
  }
  return out;
}

std::string fault_grammar_help() {
  return R"(Faults: DEVICE:FAULT[:ARG[:ARG]][@DELAY][/DURATION], comma-separated.
  DEVICE is an id (asic-003) or '*'; DELAY and DURATION are times (30, 30s, 500ms, 5m, 1h).
  Transport: hang, reset, garbage[:BYTES], truncate[:PERCENT_KEPT], slow[:SECONDS],
             refuse, malformed
  Health:    fan_fail:FAN, chips_missing:BOARD[:CHIPS], board_dead:BOARD,
             overheat[:MAX_EXTRA_C], hashrate_drop[:PERCENT]   (FAN and BOARD are 0-based)
  Example:   asic-003:hang,asic-007:garbage@30s,asic-010:reset/60s,asic-002:fan_fail:1)";
}

}  // namespace rigkeeper::drivers::sim
