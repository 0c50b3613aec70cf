#pragma once
/// The damaged replies of the `garbage`, `truncate` and `malformed` transport faults, as pure
/// functions of the good reply (so tests can check them without sockets).
///
/// Thread-safety: pure functions.
#include <cstdint>
#include <string>
#include <string_view>

namespace rigkeeper::drivers::sim {

/// `n` random bytes (deterministic in `key`) that cannot parse as JSON, then a NUL.
std::string garbage_reply(uint64_t key, size_t n);

/// The first `keep_percent` % of `wire` (the framed reply), at least one byte and never the
/// final NUL: the connection closes mid-reply.
std::string truncated_reply(std::string_view wire, double keep_percent);

/// `json` (unframed) broken the way real firmware breaks it, then a NUL. Even `variant`:
/// a trailing comma before the last brace (`,}`, btminer); odd: a missing comma between
/// two objects (`}{`, bmminer), falling back to `,}` when the reply has no `},{`.
std::string malformed_reply(std::string_view json, uint64_t variant);

}  // namespace rigkeeper::drivers::sim
