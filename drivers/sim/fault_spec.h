#pragma once
/// The fault grammar of `rigkeeper-sim --faults` and the control port:
///
///   SPEC   := ITEM ( ',' ITEM )*
///   ITEM   := TARGET ':' FAULT [ '@' TIME ] [ '/' TIME ]
///   TARGET := a device id (asic-003) | '*' (every device)
///   FAULT  := NAME [ ':' NUMBER [ ':' NUMBER ] ]
///   TIME   := NUMBER [ 'ms' | 's' | 'm' | 'h' ]     (plain numbers are seconds)
///
/// `@TIME` delays the start (from start-up, or from when the control port received it);
/// `/TIME` limits how long it lasts (forever without). Examples:
/// `asic-003:hang`, `asic-007:garbage@30s`, `asic-010:reset/60s`, `asic-002:fan_fail:1@10s/5m`.
///
/// Thread-safety: pure functions and value types.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/api/result.h"

namespace rigkeeper::drivers::sim {

enum class FaultKind {
  // transport: what the device's API socket does
  kHang,       ///< accepts and reads the request, never answers
  kReset,      ///< answers the request with a TCP RST
  kGarbage,    ///< random bytes and a NUL instead of JSON (arg: byte count, default 200)
  kTruncate,   ///< the reply cut short, no NUL (arg: percent kept, default 50)
  kSlow,       ///< answers after a delay (arg: seconds, default 8)
  kRefuse,     ///< stops listening: connections are refused
  kMalformed,  ///< firmware-style broken JSON (`,}` or `}{`), then NUL
  // health: what the hardware does (visible in the replies)
  kFanFail,       ///< fan N (0-based) at 0 rpm (arg required)
  kChipsMissing,  ///< board B (0-based) loses K chips (args: B required, K default 12)
  kBoardDead,     ///< board B (0-based) stops hashing, no chips answer (arg required)
  kOverheat,      ///< temperatures climb 0.25 C/s up to +C (arg: C, default 35)
  kHashrateDrop,  ///< every board loses P percent of its hashrate (arg: P, default 30)
};

/// "hang", "fan_fail", ...
std::string_view to_string(FaultKind kind);
std::optional<FaultKind> parse_fault_kind(std::string_view name);
bool is_transport(FaultKind kind);

struct FaultSpec {
  std::string target;  ///< device id or "*"
  FaultKind kind = FaultKind::kHang;
  std::vector<double> args;  ///< 0..2 numbers, meaning per kind (see FaultKind)
  std::chrono::milliseconds delay{0};
  std::optional<std::chrono::milliseconds> duration;

  /// The argument at `i`, or `fallback` when not given.
  double arg(size_t i, double fallback) const { return i < args.size() ? args[i] : fallback; }
  /// Canonical text, e.g. "asic-003:slow:5@30s/1m" (round-trips through parse_fault).
  std::string text() const;
};

/// One ITEM. Errc::kInvalidArgument with a message naming the item and what is wrong.
Result<FaultSpec> parse_fault(std::string_view item);

/// A whole SPEC (empty text gives an empty list).
Result<std::vector<FaultSpec>> parse_faults(std::string_view spec);

/// The `--help` text describing the grammar and the fault names.
std::string fault_grammar_help();

}  // namespace rigkeeper::drivers::sim
