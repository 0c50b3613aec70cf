#pragma once
/// "Did you mean" for misspelt keys, driver names and enumerated values.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rigkeeper::agent::config {

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), ASCII
/// case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, if it is close enough to be a plausible typo (distance 1
/// for words of up to 3 characters, else up to max(2, length / 3)). Ties: the first listed.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

/// "; did you mean 'x'?" for the closest candidate, or "" when none is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace rigkeeper::agent::config
