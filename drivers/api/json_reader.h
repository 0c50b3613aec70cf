#pragma once
/// JSON text from a device, read into the nlohmann::json tree every driver works on.
///
/// nlohmann's own parser reads a byte at a time and keeps a copy of every token for its error
/// messages; on a 1000-miner rack it was a quarter of the daemon's CPU. Here RapidJSON's reader
/// (SAX, from Debian's rapidjson-dev) tokenises and this file builds the same nlohmann tree from
/// its events, about twice as fast for a whole reply (docs/PERFORMANCE.md, tests/bench/parse).
/// Wherever the two libraries could disagree, the fast path declines and nlohmann decides, so
/// the result is nlohmann's for every input but one kind (tests/unit/drivers_api/
/// json_reader_test.cpp checks that on every capture and broken variants of them): nesting
/// deeper than kMaxJsonDepth is refused, which nlohmann would read.
///
/// Thread-safety: callable from any thread; the members recycle_json keeps are per thread.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace rigkeeper::drivers {

/// What `nlohmann::json::parse(text, nullptr, false)` returns, a discarded value
/// (`is_discarded()`) when `text` is not JSON, computed faster. Also discarded: nesting deeper
/// than kMaxJsonDepth (64), since the tree's recursive copy and dump must never see a hostile
/// 100000-level document. Never throws except std::bad_alloc.
nlohmann::json read_json(std::string_view text);

/// Empties `tree` (it becomes null), keeping its objects' members (map nodes and their keys'
/// storage) for this thread's next read_json or parse_cgminer_json, up to a fixed number
/// (about 100 KiB). A poll that gives its trees back here saves the next one an allocation
/// and a free per member (two when the key is longer than 15 bytes); malloc was a quarter
/// of the daemon's CPU (docs/PERFORMANCE.md). Trees read with or without recycled members are
/// equal (json_reader_test checks that).
void recycle_json(nlohmann::json& tree);
/// recycle_json for each reply a poll read (absent ones are skipped).
void recycle_json(std::optional<nlohmann::json>& tree);
void recycle_json(std::map<std::string, nlohmann::json>& trees);

namespace detail {

/// The fast path alone. Declines (nullopt) where nlohmann might decide differently: text that
/// is not strict JSON, nests deeper than kMaxJsonDepth, holds a NUL byte, has a string or key
/// that is not UTF-8 by nlohmann's rules (a lone "\uDC00" included), or a number beyond a
/// double's range. With `null_non_finite`, strings such as
/// "inf" or "nan" (is_non_finite_word) become null, as the cgminer reader wants them.
std::optional<nlohmann::json> read_json_fast(std::string_view text, bool null_non_finite);

/// How many members recycle_json holds for this thread's next trees (for tests).
std::size_t recycled_members();
/// The most it holds.
inline constexpr std::size_t kMaxRecycledMembers = 1024;

}  // namespace detail
}  // namespace rigkeeper::drivers
