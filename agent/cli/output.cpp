#include "agent/cli/output.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace rigkeeper::cli {

namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

std::string printf_double(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", std::clamp(decimals, 0, 9), value);
  return buf;
}

std::string two_digits(int64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%02lld", static_cast<long long>(v));
  return buf;
}

}  // namespace

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::add_row(std::vector<std::string> cells) {
  for (auto& c : cells) c = c.empty() ? std::string(kNone) : sanitize(c);
  rows_.push_back(std::move(cells));
}

void Table::align_right(std::size_t column) {
  if (right_.size() <= column) right_.resize(column + 1, false);
  right_[column] = true;
}

void Table::print(std::ostream& out) const {
  std::size_t columns = headers_.size();
  for (const auto& r : rows_) columns = std::max(columns, r.size());
  std::vector<std::size_t> width(columns, 0);
  auto cell = [](const std::vector<std::string>& row, std::size_t i) -> std::string_view {
    return i < row.size() ? std::string_view(row[i]) : kNone;
  };
  if (!headers_.empty())
    for (std::size_t i = 0; i < columns; ++i) width[i] = display_width(cell(headers_, i));
  for (const auto& r : rows_)
    for (std::size_t i = 0; i < columns; ++i)
      width[i] = std::max(width[i], display_width(cell(r, i)));

  auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t i = 0; i < columns; ++i) {
      const std::string_view text = cell(row, i);
      const std::size_t pad = width[i] - display_width(text);
      const bool right = i < right_.size() && right_[i];
      if (i > 0) line += "  ";
      if (right) line.append(pad, ' ');
      line += text;
      if (!right && i + 1 < columns) line.append(pad, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  };
  if (!headers_.empty()) print_row(headers_);
  for (const auto& r : rows_) print_row(r);
}

std::string sanitize(std::string_view text, std::size_t max_chars) {
  std::string out;
  out.reserve(std::min(text.size(), max_chars + 8));
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!is_continuation(c)) {
      if (chars == max_chars) {
        out += "...";
        break;
      }
      ++chars;
    }
    // C0 controls, DEL, and C1 controls encoded in UTF-8 (U+0080..U+009F, e.g. CSI).
    const bool c1 = c == 0xC2 && i + 1 < text.size() &&
                    static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(text[i + 1]) <= 0x9F;
    if (c1) {
      out += '?';
      ++i;
      continue;
    }
    out += (c < 0x20 || c == 0x7F) ? '?' : static_cast<char>(c);
  }
  return out;
}

std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return !is_continuation(static_cast<unsigned char>(c));
  }));
}

std::string fmt_num(std::optional<double> value, int decimals) {
  if (!value || !std::isfinite(*value)) return std::string(kNone);
  return printf_double(*value, decimals);
}

std::string fmt_int(std::optional<int64_t> value) {
  return value ? std::to_string(*value) : std::string(kNone);
}

std::string fmt_ths(std::optional<double> ths) { return fmt_num(ths, 2); }
std::string fmt_watts(std::optional<double> watts) { return fmt_num(watts, 0); }
std::string fmt_temp(std::optional<double> celsius) { return fmt_num(celsius, 1); }

std::string fmt_duration(std::optional<int64_t> seconds) {
  if (!seconds || *seconds < 0) return std::string(kNone);
  const int64_t s = *seconds;
  const int64_t days = s / 86400, hours = s % 86400 / 3600, minutes = s % 3600 / 60, secs = s % 60;
  if (days > 0) return std::to_string(days) + "d " + two_digits(hours) + "h";
  if (hours > 0) return std::to_string(hours) + "h " + two_digits(minutes) + "m";
  if (minutes > 0) return std::to_string(minutes) + "m " + two_digits(secs) + "s";
  return std::to_string(secs) + "s";
}

std::string fmt_bytes(int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  std::size_t u = 0;
  for (v /= 1024; v >= 1024 && u + 1 < std::size(units); v /= 1024) ++u;
  return printf_double(v, 1) + " " + units[u];
}

std::string fmt_age(Timestamp ts, Timestamp now) {
  const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - ts).count();
  if (age < 0) return format_rfc3339(ts);
  return fmt_duration(age) + " ago";
}

std::string or_none(const std::optional<std::string>& text) {
  return text && !text->empty() ? *text : std::string(kNone);
}

}  // namespace rigkeeper::cli
