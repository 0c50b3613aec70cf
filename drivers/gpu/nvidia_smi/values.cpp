#include "drivers/gpu/nvidia_smi/values.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace rigkeeper::drivers::nvidia_smi {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_missing(std::string_view value) {
  std::string_view v = trim(value);
  if (v.empty()) return true;
  if (v.front() == '[' && v.back() == ']') return true;  // [N/A], [Not Supported], [Unknown Error]
  return iequals(v, "N/A") || iequals(v, "Not Supported") || iequals(v, "Unknown Error") ||
         iequals(v, "Unknown") || iequals(v, "Insufficient Permissions");
}

bool says_lost(std::string_view value) {
  std::string_view v = trim(value);
  return v.find("GPU is lost") != std::string_view::npos ||
         v.find("GPU requires reset") != std::string_view::npos;
}

std::optional<double> number(std::string_view value) {
  if (is_missing(value)) return std::nullopt;
  std::string_view v = trim(value);
  size_t end = 0;
  while (end < v.size() && (std::isdigit(static_cast<unsigned char>(v[end])) || v[end] == '.' ||
                            v[end] == '-' || v[end] == '+' || v[end] == 'e' || v[end] == 'E'))
    ++end;
  if (end == 0 || end > 40) return std::nullopt;
  // What follows the number must be a unit: spaces then letters, %, or parentheses.
  for (size_t i = end; i < v.size(); ++i) {
    const char c = v[i];
    if (!(std::isalpha(static_cast<unsigned char>(c)) || c == ' ' || c == '%' || c == '(' ||
          c == ')' || c == '/'))
      return std::nullopt;
  }
  std::string buf(v.substr(0, end));
  char* stop = nullptr;
  const double d = std::strtod(buf.c_str(), &stop);
  if (stop != buf.c_str() + buf.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

std::optional<int64_t> count(std::string_view value) {
  auto d = number(value);
  if (!d || *d < 0 || *d > 9.0e15 || std::floor(*d) != *d) return std::nullopt;
  return static_cast<int64_t>(*d);
}

std::optional<uint64_t> hex_mask(std::string_view value) {
  if (is_missing(value)) return std::nullopt;
  std::string_view v = trim(value);
  if (v.starts_with("0x") || v.starts_with("0X")) v.remove_prefix(2);
  if (v.empty() || v.size() > 16) return std::nullopt;
  uint64_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out, 16);
  if (ec != std::errc() || p != v.data() + v.size()) return std::nullopt;
  return out;
}

std::optional<bool> flag(std::string_view value) {
  if (is_missing(value)) return std::nullopt;
  std::string_view v = trim(value);
  for (std::string_view yes : {"Active", "Yes", "Enabled", "True"})
    if (iequals(v, yes)) return true;
  for (std::string_view no : {"Not Active", "No", "Disabled", "False"})
    if (iequals(v, no)) return false;
  return std::nullopt;
}

std::optional<std::string> text(std::string_view value) {
  if (is_missing(value)) return std::nullopt;
  return std::string(trim(value));
}

}  // namespace rigkeeper::drivers::nvidia_smi
