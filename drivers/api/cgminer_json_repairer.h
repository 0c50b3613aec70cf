#pragma once
/// Private to drivers/api: the single-pass repairer behind repair_cgminer_json() and
/// parse_cgminer_json(). It is a small JSON tokenizer with a bracket stack that re-emits the
/// input as strict JSON, fixing the defects listed in docs/drivers/cgminer-api.md as it goes.
/// Linear in the input size; never throws (except std::bad_alloc); no recursion.
#include <cstddef>
#include <string>
#include <string_view>

#include "drivers/api/cgminer_json_lexemes.h"

namespace rigkeeper::drivers::detail {

/// Deeper nesting than this is refused: no cgminer reply nests beyond ~6 levels, and
/// nlohmann's recursive copy/dump must never see a hostile 100000-level document.
inline constexpr std::size_t kMaxJsonDepth = 64;

/// What the repairer made of a buffer.
struct RepairOutcome {
  bool ok = false;
  bool truncated = false;  ///< the input ended early and was cut back to its last complete member
  std::string text;        ///< strict JSON when ok
  std::string problem;     ///< when !ok: what could not be repaired ("unexpected '<'")
  std::size_t offset = 0;  ///< when !ok: byte offset of the problem in the input
};

/// Re-emits `in` as strict JSON with the firmware defects repaired.
RepairOutcome repair_json_text(std::string_view in);

}  // namespace rigkeeper::drivers::detail
