#pragma once
/// ASCII case helpers for protocol tokens (HTTP header names, auth parameters, firmware
/// messages): locale-independent, bytes above 0x7f left as they are.
#include <algorithm>
#include <string>
#include <string_view>

namespace rigkeeper::drivers {

inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return ascii_lower(c); });
  return out;
}

inline bool ascii_iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

}  // namespace rigkeeper::drivers
