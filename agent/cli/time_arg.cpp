#include "agent/cli/time_arg.h"

#include <cctype>
#include <optional>
#include <string>

namespace rigkeeper::cli {

namespace {

constexpr int64_t kMaxSeconds = int64_t{100} * 365 * 86400;  // beyond any history we keep

std::optional<int64_t> unit_seconds(char unit) {
  switch (unit) {
    case 's':
      return 1;
    case 'm':
      return 60;
    case 'h':
      return 3600;
    case 'd':
      return 86400;
    case 'w':
      return 7 * 86400;
    default:
      return std::nullopt;
  }
}

}  // namespace

Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return fail(Errc::kInvalidArgument, "bad duration '" + std::string(text) + "': " + why);
  };
  if (text.empty()) return bad("empty");
  int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    int64_t value = 0;
    const std::size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      value = value * 10 + (text[i] - '0');
      if (value > kMaxSeconds) return bad("too long");
      ++i;
    }
    if (i == start) return bad("expected a number");
    if (i == text.size()) return bad("a unit is required (s, m, h, d, w)");
    const auto unit = unit_seconds(text[i]);
    if (!unit) return bad(std::string("unknown unit '") + text[i] + "' (s, m, h, d, w)");
    total += value * *unit;
    if (total > kMaxSeconds) return bad("too long");
    ++i;
  }
  return std::chrono::milliseconds(total * 1000);
}

Result<Timestamp> parse_time_arg(std::string_view text, Timestamp now) {
  if (text.find('T') != std::string_view::npos || text.find('-') != std::string_view::npos) {
    auto ts = parse_rfc3339(text);
    if (!ts)
      return fail(Errc::kInvalidArgument,
                  "bad time '" + std::string(text) + "': neither a duration (2h) nor RFC 3339");
    return *ts;
  }
  auto d = parse_duration(text);
  if (!d) return tl::unexpected(d.error());
  return now - *d;
}

}  // namespace rigkeeper::cli
