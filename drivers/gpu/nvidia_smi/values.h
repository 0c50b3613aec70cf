#pragma once
/// How nvidia-smi writes a value, shared by the CSV and XML parsers: "69.85 W", "81559 MiB",
/// "0 %", "41", "[N/A]", "N/A", "[Not Supported]", "Active", "Yes", "0x0000000000000001".
/// Anything that is not a reading is nullopt, never 0.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rigkeeper::drivers::nvidia_smi {

/// Whitespace (including newlines inside XML elements) trimmed.
std::string_view trim(std::string_view s);

/// True for the not-a-reading forms: empty, N/A, [N/A], Not Supported, [Unknown Error], ...
bool is_missing(std::string_view value);

/// True when the value says the GPU is gone ("[GPU is lost]", "GPU requires reset").
bool says_lost(std::string_view value);

/// A number with an optional unit suffix ("69.85 W" -> 69.85); nullopt when missing/garbage.
std::optional<double> number(std::string_view value);

/// A non-negative integer count ("3", "192 bank(s)" -> 192).
std::optional<int64_t> count(std::string_view value);

/// Hex bitmask "0x0000000000000001".
std::optional<uint64_t> hex_mask(std::string_view value);

/// Active/Not Active, Yes/No, Enabled/Disabled, True/False -> bool.
std::optional<bool> flag(std::string_view value);

/// The value as text, or nullopt when missing.
std::optional<std::string> text(std::string_view value);

}  // namespace rigkeeper::drivers::nvidia_smi
