#include "drivers/sim/reply_damage.h"

#include <algorithm>
#include <cmath>

#include "drivers/sim/noise.h"

namespace rigkeeper::drivers::sim {

std::string garbage_reply(uint64_t key, size_t n) {
  Rng rng(key);
  std::string out;
  n = std::clamp<size_t>(n, 1, 1 << 20);
  out.reserve(n + 1);
  for (size_t i = 0; i < n; ++i) {
    char c = static_cast<char>(rng.range(1, 255));  // never NUL inside
    out.push_back(c);
  }
  // A first byte that opens no JSON value, so nothing can parse it by luck.
  out[0] = static_cast<char>(0xfe);
  out.push_back('\0');
  return out;
}

std::string truncated_reply(std::string_view wire, double keep_percent) {
  if (wire.size() <= 1) return std::string(wire.substr(0, 0));
  const size_t body = wire.back() == '\0' ? wire.size() - 1 : wire.size();
  auto keep = static_cast<size_t>(
      std::floor(static_cast<double>(body) * std::clamp(keep_percent, 0.0, 100.0) / 100.0));
  keep = std::clamp<size_t>(keep, 1, body > 1 ? body - 1 : 1);
  return std::string(wire.substr(0, keep));
}

std::string malformed_reply(std::string_view json, uint64_t variant) {
  std::string out(json);
  const auto objects = out.find("},{");
  if (variant % 2 == 1 && objects != std::string::npos) {
    out.erase(objects + 1, 1);  // "},{" -> "}{"
  } else if (const auto last = out.rfind('}'); last != std::string::npos && last > 0) {
    out.insert(out.begin() + static_cast<std::ptrdiff_t>(last), ',');  // -> ...,"id":1,}
  }
  out.push_back('\0');
  return out;
}

}  // namespace rigkeeper::drivers::sim
