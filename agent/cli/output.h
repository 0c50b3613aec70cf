#pragma once
/// Output helpers of the CLI: an aligned text table, number formatting with units, and a
/// sanitiser for text that came from a device or the daemon (never trusted on a terminal).
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/api/timestamp.h"

namespace rigkeeper::cli {

/// Shown for a value that is not known (JSON null, not reported).
inline constexpr std::string_view kNone = "-";

/// Columns aligned on the widest cell (counted in UTF-8 characters), two spaces apart, the last
/// column never padded. Cells are sanitised; an empty cell is shown as "-".
class Table {
 public:
  /// `headers` empty: no header row (a key/value block).
  explicit Table(std::vector<std::string> headers = {});
  /// Cells beyond the header count are kept; missing ones are shown as "-".
  void add_row(std::vector<std::string> cells);
  /// Right-aligns a column (numbers).
  void align_right(std::size_t column);
  void print(std::ostream& out) const;
  std::size_t rows() const { return rows_.size(); }

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<bool> right_;
};

/// Replaces control characters (terminal escapes, newlines, NUL) with '?'; caps the length at
/// `max_chars` UTF-8 characters, marking a cut with "...".
std::string sanitize(std::string_view text, std::size_t max_chars = 200);

/// Display width of UTF-8 text (code points; wide glyphs are not special-cased).
std::size_t display_width(std::string_view text);

/// `value` with `decimals` decimals, or "-".
std::string fmt_num(std::optional<double> value, int decimals);
std::string fmt_int(std::optional<int64_t> value);
/// Hashrate in TH/s, 2 decimals ("110.57"), or "-".
std::string fmt_ths(std::optional<double> ths);
/// Watts, no decimals ("3250"), or "-".
std::string fmt_watts(std::optional<double> watts);
/// Degrees Celsius, 1 decimal ("78.0"), or "-".
std::string fmt_temp(std::optional<double> celsius);
/// "3d 04h", "14h 01m", "5m 03s", "42s"; "-" for nullopt or negative.
std::string fmt_duration(std::optional<int64_t> seconds);
/// "512 B", "3.4 KiB", "12.0 MiB".
std::string fmt_bytes(int64_t bytes);
/// "12s ago", "3m 10s ago", or the timestamp itself when it lies in the future.
std::string fmt_age(Timestamp ts, Timestamp now);
/// Optional text or "-".
std::string or_none(const std::optional<std::string>& text);

}  // namespace rigkeeper::cli
