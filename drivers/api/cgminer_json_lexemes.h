#pragma once
/// Private to drivers/api: the lexical pieces of the cgminer JSON repair (see
/// cgminer_json_repairer.h), and printable excerpts of device bytes for error messages.
#include <cstddef>
#include <string>
#include <string_view>

namespace rigkeeper::drivers::detail {

bool is_hex(char c);
/// The value of four hex digits (all checked by the caller).
unsigned hex4(std::string_view s);
/// The characters of bare words: literals, numbers, inf/nan.
bool is_word_char(char c);

/// The length of a well-formed UTF-8 sequence at s[i] (the same table nlohmann enforces);
/// 0 if ill-formed; npos if the input ends inside an otherwise well-formed start.
std::size_t utf8_length(std::string_view s, std::size_t i);

/// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view w);

/// True for a JSON number beyond a double's range (1e999): nlohmann refuses those.
/// Underflow (1e-999) is not an error: it reads as 0.
bool overflows_double(std::string_view number);

/// True if `[`/`{` outside string literals nest deeper than `limit` anywhere in `in`.
bool nests_deeper_than(std::string_view in, std::size_t limit);

/// True for the words firmware writes instead of a number it could not measure: inf, -inf,
/// +inf, infinity, nan, -nan (any case).
bool is_non_finite_word(std::string_view word);

/// Up to `max_chars` of `bytes`, printable: non-ASCII and control bytes as \xNN, "..." if cut.
std::string printable_prefix(std::string_view bytes, std::size_t max_chars = 48);

}  // namespace rigkeeper::drivers::detail
