#include "drivers/api/timestamp.h"

#include <chrono>
#include <cstdio>

namespace rigkeeper {

Timestamp now_ms() { return std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now()); }

// Civil dates through <chrono>'s calendar, not time_t: on 32-bit ARM (armhf) time_t is 32 bits
// and gmtime_r/timegm fail after 2038-01-19.
std::string format_rfc3339(Timestamp ts) {
  using namespace std::chrono;
  const auto ms = time_point_cast<milliseconds>(ts);
  const auto day = floor<days>(ms);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> tod{ms - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(tod.hours().count()),
                static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()),
                static_cast<int>(tod.subseconds().count()));
  return buf;
}

namespace {

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

Result<Timestamp> parse_rfc3339(std::string_view s) {
  auto bad = [&] {
    return fail(Errc::kInvalidArgument,
                "not an RFC 3339 timestamp: '" + std::string(s.substr(0, 64)) + "'");
  };
  int year, mon, day, hh, mm, ss;
  if (s.size() < 20 || !digits(s, 0, 4, year) || s[4] != '-' || !digits(s, 5, 2, mon) ||
      s[7] != '-' || !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !digits(s, 11, 2, hh) || s[13] != ':' || !digits(s, 14, 2, mm) || s[16] != ':' ||
      !digits(s, 17, 2, ss))
    return bad();
  if (mon < 1 || mon > 12 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60) return bad();
  size_t pos = 19;
  int64_t millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int scale = 100;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      millis += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return bad();
  }
  int64_t offset_s = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, om))
      return bad();
    offset_s = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return bad();
  }
  if (pos != s.size()) return bad();
  using namespace std::chrono;
  const year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(mon)},
                            std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return bad();  // 2026-02-30 and the like
  const auto secs =
      sys_days{date}.time_since_epoch() + hours{hh} + minutes{mm} + seconds{ss} - seconds{offset_s};
  return Timestamp(duration_cast<milliseconds>(secs) + milliseconds{millis});
}

}  // namespace rigkeeper
