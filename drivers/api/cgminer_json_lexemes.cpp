// The lexical pieces of the cgminer JSON repair: what a number, a UTF-8 sequence or an
// "unmeasured" word is, a cheap nesting check, and printable excerpts of device bytes.
#include <array>
#include <charconv>
#include <system_error>

#include "drivers/api/cgminer_json_lexemes.h"

namespace rigkeeper::drivers::detail {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

unsigned hex4(std::string_view s) {
  unsigned v = 0;
  for (char c : s) {
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= static_cast<unsigned>(c - 'a' + 10);
    else
      v |= static_cast<unsigned>(c - 'A' + 10);
  }
  return v;
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '-' || c == '.';
}

std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF)
    n = 2;
  else if (b0 == 0xE0)
    n = 3, lo = 0xA0;
  else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF)
    n = 3;
  else if (b0 == 0xED)
    n = 3, hi = 0x9F;
  else if (b0 == 0xF0)
    n = 4, lo = 0x90;
  else if (b0 >= 0xF1 && b0 <= 0xF3)
    n = 4;
  else if (b0 == 0xF4)
    n = 4, hi = 0x8F;
  else
    return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if (i + k >= s.size()) return std::string_view::npos;
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
  }
  return n;
}

bool is_json_number(std::string_view w) {
  std::size_t i = 0;
  auto digit = [&](std::size_t k) { return k < w.size() && w[k] >= '0' && w[k] <= '9'; };
  if (i < w.size() && w[i] == '-') ++i;
  if (!digit(i)) return false;
  if (w[i] == '0')
    ++i;
  else
    while (digit(i)) ++i;
  if (i < w.size() && w[i] == '.') {
    if (!digit(++i)) return false;
    while (digit(i)) ++i;
  }
  if (i < w.size() && (w[i] == 'e' || w[i] == 'E')) {
    ++i;
    if (i < w.size() && (w[i] == '+' || w[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == w.size();
}

bool overflows_double(std::string_view number) {
  double value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc::result_out_of_range) return false;
  const auto e = number.find_first_of("eE");
  return e == std::string_view::npos || number[e + 1] != '-';
}

bool nests_deeper_than(std::string_view in, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) return true;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return false;
}

bool is_non_finite_word(std::string_view w) {
  if (w.size() > 9) return false;
  if (!w.empty() && (w[0] == '-' || w[0] == '+')) w.remove_prefix(1);
  std::array<char, 9> lower{};
  for (std::size_t i = 0; i < w.size(); ++i) {
    const char c = w[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::string_view l(lower.data(), w.size());
  return l == "inf" || l == "infinity" || l == "nan";
}

std::string printable_prefix(std::string_view bytes, std::size_t max_chars) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  const std::size_t n = bytes.size() < max_chars ? bytes.size() : max_chars;
  for (std::size_t i = 0; i < n; ++i) {
    const auto u = static_cast<unsigned char>(bytes[i]);
    if (u >= 0x20 && u < 0x7f && u != '\\') {
      out += static_cast<char>(u);
    } else if (u == '\\') {
      out += "\\\\";
    } else {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  if (bytes.size() > n) out += "...";
  return out;
}

}  // namespace rigkeeper::drivers::detail
