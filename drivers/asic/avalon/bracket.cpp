#include "drivers/asic/avalon/bracket.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace rigkeeper::drivers::avalon {

namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::optional<double> to_number(std::string_view token) {
  if (!token.empty() && token.back() == '%') token.remove_suffix(1);
  if (token.empty() || token.size() > 32) return std::nullopt;
  const std::string s(token);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

BracketFields parse_brackets(std::string_view text) {
  if (text.size() > kMaxBracketBytes) text = text.substr(0, kMaxBracketBytes);
  BracketFields out;
  size_t pos = 0;
  while (pos < text.size() && out.size() < kMaxBracketFields) {
    const size_t open = text.find('[', pos);
    if (open == std::string_view::npos) break;
    const size_t close = text.find(']', open + 1);
    if (close == std::string_view::npos) break;  // truncated: what came before stands
    size_t key_start = open;
    while (key_start > pos && word_char(text[key_start - 1])) --key_start;
    if (key_start < open) {
      std::string key(text.substr(key_start, open - key_start));
      out.emplace(std::move(key), std::string(text.substr(open + 1, close - open - 1)));
    }
    pos = close + 1;
  }
  return out;
}

std::vector<std::optional<double>> bracket_numbers(const BracketFields& fields,
                                                   std::string_view key) {
  std::vector<std::optional<double>> out;
  auto it = fields.find(key);
  if (it == fields.end()) return out;
  std::string_view v = it->second;
  size_t pos = 0;
  while (pos < v.size()) {
    while (pos < v.size() && v[pos] == ' ') ++pos;
    if (pos >= v.size()) break;
    size_t end = v.find(' ', pos);
    if (end == std::string_view::npos) end = v.size();
    out.push_back(to_number(v.substr(pos, end - pos)));
    pos = end;
  }
  return out;
}

std::optional<double> bracket_number(const BracketFields& fields, std::string_view key) {
  auto all = bracket_numbers(fields, key);
  return all.empty() ? std::nullopt : all.front();
}

std::optional<std::string> bracket_text(const BracketFields& fields, std::string_view key) {
  auto it = fields.find(key);
  if (it == fields.end()) return std::nullopt;
  return it->second;
}

}  // namespace rigkeeper::drivers::avalon
