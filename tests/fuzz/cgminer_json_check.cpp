#include "tests/fuzz/cgminer_json_check.h"

#include <cmath>
#include <exception>

#include <nlohmann/json.hpp>

#include "drivers/api/cgminer_client.h"
#include "drivers/api/cgminer_json_repairer.h"
#include "drivers/api/json_reader.h"
#include "drivers/api/json_repair.h"

namespace rigkeeper::test {

namespace {

using nlohmann::json;

std::string_view strip_tail(std::string_view s) {
  while (!s.empty() && (s.back() == '\0' || s.back() == '\n' || s.back() == '\r' ||
                        s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

/// What parse_cgminer_json promises on top of plain JSON: unmeasured values are null.
void null_non_finite(json& j) {
  if (j.is_structured()) {
    for (auto& v : j) null_non_finite(v);
  } else if (j.is_string() &&
             drivers::detail::is_non_finite_word(j.get_ref<const std::string&>())) {
    j = nullptr;
  } else if (j.is_number_float() && !std::isfinite(j.get<double>())) {
    j = nullptr;
  }
}

std::string check(std::string_view bytes) {
  auto parsed = drivers::parse_cgminer_json(bytes);
  if (!parsed) {
    const Error& e = parsed.error();
    if (e.code != Errc::kProtocol)
      return "error code '" + std::string(to_string(e.code)) + "': " + e.message;
    if (e.message.empty()) return "empty error message";
    for (char c : e.message)
      if (c < 0x20 || c > 0x7e) return "unprintable byte in error message";
  } else {
    (void)parsed->dump(-1, ' ', false, json::error_handler_t::replace);
    (void)drivers::check_cgminer_status(*parsed);
  }

  const std::string_view body = strip_tail(bytes);
  if (!body.empty() && !drivers::detail::nests_deeper_than(body, drivers::detail::kMaxJsonDepth) &&
      json::accept(body.begin(), body.end())) {
    if (!parsed) return "valid JSON refused: " + parsed.error().message;
    json strict = json::parse(body.begin(), body.end());
    null_non_finite(strict);
    if (strict != *parsed) return "valid JSON came back changed";
  }

  // read_json, the web-API path, is nlohmann's parse (deeper than 64 levels: refused).
  const json fast = drivers::read_json(bytes);
  json slow = json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
  if (drivers::detail::nests_deeper_than(bytes, drivers::detail::kMaxJsonDepth))
    slow = json(json::value_t::discarded);
  if (fast.is_discarded() != slow.is_discarded())
    return fast.is_discarded() ? "read_json refused JSON nlohmann reads"
                               : "read_json read non-JSON";
  if (!fast.is_discarded() && fast.dump() != slow.dump()) return "read_json and nlohmann disagree";

  const std::string repaired = drivers::repair_cgminer_json(bytes);
  if (parsed) {
    json again = json::parse(repaired, nullptr, false);
    if (again.is_discarded()) return "repair_cgminer_json's text is not strict JSON";
    null_non_finite(again);
    if (again != *parsed) return "repair_cgminer_json and parse_cgminer_json disagree";
  }
  return {};
}

}  // namespace

std::string check_cgminer_json_input(std::string_view bytes) {
  try {
    return check(bytes);
  } catch (const std::exception& e) {
    return std::string("exception escaped: ") + e.what();
  }
}

}  // namespace rigkeeper::test
