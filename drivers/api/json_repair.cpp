#include "drivers/api/json_repair.h"

#include <cmath>
#include <exception>

#include "drivers/api/cgminer_json_repairer.h"
#include "drivers/api/json_reader.h"

namespace rigkeeper::drivers {

using nlohmann::json;

namespace {

/// cgminer's send_result() writes strlen+1 bytes: the reply ends in a NUL (some firmware
/// sends several, or a newline first).
std::string_view strip_tail(std::string_view s) {
  while (!s.empty() && (s.back() == '\0' || s.back() == '\n' || s.back() == '\r' ||
                        s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

/// A value the firmware could not measure is null, never a number: "inf"/"nan" strings as
/// Avalon writes them, and numbers that overflowed a double (1e999).
void null_non_finite(json& j) {
  switch (j.type()) {
    case json::value_t::object:
    case json::value_t::array:
      for (auto& v : j) null_non_finite(v);  // depth is bounded by kMaxJsonDepth
      break;
    case json::value_t::string:
      if (detail::is_non_finite_word(j.get_ref<const std::string&>())) j = nullptr;
      break;
    case json::value_t::number_float:
      if (!std::isfinite(j.get<double>())) j = nullptr;
      break;
    default:
      break;
  }
}

bool strictly_valid(std::string_view body) {
  return !detail::nests_deeper_than(body, detail::kMaxJsonDepth) &&
         json::accept(body.begin(), body.end());
}

std::string describe(std::string_view body) {
  return std::to_string(body.size()) + "-byte reply starting '" + detail::printable_prefix(body) +
         "'";
}

}  // namespace

std::string repair_cgminer_json(std::string_view raw) {
  const std::string_view body = strip_tail(raw);
  try {
    if (strictly_valid(body)) return std::string(body);
    auto outcome = detail::repair_json_text(body);
    return outcome.ok ? std::move(outcome.text) : std::string(body);
  } catch (const std::exception&) {  // only std::bad_alloc can get here
    return std::string(body);
  }
}

Result<json> parse_cgminer_json(std::string_view raw) {
  const std::string_view body = strip_tail(raw);
  if (body.empty())
    return fail(Errc::kProtocol,
                raw.empty() ? "empty reply" : "reply holds no JSON, only NULs/whitespace");
  try {
    if (auto fast = detail::read_json_fast(body, /*null_non_finite=*/true)) return std::move(*fast);
    // Not strict JSON to RapidJSON: repaired straight away. Valid JSON repairs to itself (the
    // fuzz check holds the repairer to that), so what nlohmann reads is never rewritten.
    auto outcome = detail::repair_json_text(body);
    if (outcome.ok) {
      if (auto fast = detail::read_json_fast(outcome.text, /*null_non_finite=*/true))
        return std::move(*fast);
      json j = json::parse(outcome.text);
      null_non_finite(j);
      return j;
    }
    // Beyond repair; nlohmann has the last word on what RapidJSON and the repairer both refuse
    // (a leading byte-order mark).
    if (!detail::nests_deeper_than(body, detail::kMaxJsonDepth)) {
      json j = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
      if (!j.is_discarded()) {
        null_non_finite(j);
        return j;
      }
    }
    return fail(Errc::kProtocol, "unreadable JSON: " + outcome.problem + " at byte " +
                                     std::to_string(outcome.offset) + " of " + describe(body));
  } catch (const json::exception& e) {
    return fail(Errc::kProtocol, std::string("unreadable JSON after repair (") + e.what() +
                                     ") in " + describe(body));
  } catch (const std::exception& e) {
    return fail(Errc::kInternal, std::string("parsing a reply failed: ") + e.what());
  }
}

}  // namespace rigkeeper::drivers
