#pragma once
/// Parsing of one cgminer-API request as the simulated firmware receives it: JSON
/// `{"command":"summary+devs","parameter":"0"}` or cgminer's plain-text form `summary|0`.
/// Multi-commands follow cgminer's rules: split on '+', blanks ignored, duplicates collapsed.
///
/// Thread-safety: pure function. Input is untrusted: size-capped, never throws.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rigkeeper::drivers::sim {

inline constexpr size_t kMaxRequestBytes = size_t{16} * 1024;
inline constexpr size_t kMaxCommands = 16;

struct CgminerRequest {
  std::vector<std::string> commands;  ///< in request order, deduplicated, blanks dropped
  std::string parameter;              ///< "" when none
  bool multi = false;                 ///< the command contained '+'
  bool json = false;                  ///< JSON form (else plain text)
  /// Set when the request cannot be served: cgminer's code (23 Invalid JSON, 24 Missing
  /// JSON 'command', 14 Invalid command) and message.
  std::optional<int> error_code;
  std::string error_msg;
};

CgminerRequest parse_cgminer_request(std::string_view bytes);

/// True once `bytes` hold a whole request: a balanced JSON object, or text ended by a
/// newline or NUL. (A text request without terminator is complete when the peer pauses or
/// shuts down its side; the server decides that.)
bool request_complete(std::string_view bytes);

}  // namespace rigkeeper::drivers::sim
