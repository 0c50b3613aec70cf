#pragma once
/// Canaan's bracket-string format, the body of Avalon `stats`/`estats` replies: one string per
/// miner module ("MM ID0", or "MM ID0:Summary" wrapped in `'STATS':{...}` on newer firmware,
/// plus "HBinfo" `'HB0':{...}`) holding `Key[value]` fields, values space-separated lists:
///   Ver[1246-83-21072802_4ec6bb0_211fc46] ... MGHS[26907.01 26025.06 26724.56] ... SoftOFF[0]
/// Parsed the way pyasic's regex `(\w+)\[([^\]]*)\]` reads it: a key is the word characters
/// right before `[` ("Nonce Mask[25]" gives "Mask"), a value runs to the next `]`; an opening
/// bracket without its `]` ends the parse (truncated string). The first occurrence of a key
/// wins.
///
/// Thread-safety: pure functions. Input is untrusted: capped in size and field count.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rigkeeper::drivers::avalon {

inline constexpr size_t kMaxBracketBytes = 256 * 1024;
inline constexpr size_t kMaxBracketFields = 2048;

using BracketFields = std::map<std::string, std::string, std::less<>>;

/// Every `Key[value]` of `text` (only the first kMaxBracketBytes are read).
BracketFields parse_brackets(std::string_view text);

/// The numbers of a field ("25280.59 24670.18" -> {25280.59, 24670.18}); an element that is
/// not a finite number is nullopt; an absent field is an empty vector. Trailing '%' is dropped.
std::vector<std::optional<double>> bracket_numbers(const BracketFields& fields,
                                                   std::string_view key);

/// The field's first number, or nullopt (absent, empty or not a number).
std::optional<double> bracket_number(const BracketFields& fields, std::string_view key);

/// The field's raw text, or nullopt.
std::optional<std::string> bracket_text(const BracketFields& fields, std::string_view key);

}  // namespace rigkeeper::drivers::avalon
