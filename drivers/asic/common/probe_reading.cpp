#include "drivers/asic/common/probe_reading.h"

#include <algorithm>
#include <cctype>

#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/model_specs.h"
#include "drivers/asic/common/numbers.h"

namespace rigkeeper::drivers::asic {

namespace {

using nlohmann::json;

const json* unwrap(const std::optional<json>& reply) {
  if (!reply) return nullptr;
  const json* r = &*reply;
  if (r->is_array() && !r->empty() && r->front().is_object()) r = &r->front();
  return r->is_object() ? r : nullptr;
}

bool contains_ci(const std::string& haystack, std::string_view upper_needle) {
  auto it =
      std::search(haystack.begin(), haystack.end(), upper_needle.begin(), upper_needle.end(),
                  [](char a, char b) { return std::toupper(static_cast<unsigned char>(a)) == b; });
  return it != haystack.end();
}

bool reply_has(const std::optional<json>& reply, std::string_view token) {
  const json* r = unwrap(reply);
  if (r == nullptr) return false;
  // dump() escapes control bytes and replaces invalid UTF-8 instead of throwing.
  return contains_ci(r->dump(-1, ' ', false, json::error_handler_t::replace), token);
}

}  // namespace

const json* probe_version_entry(const Probe& probe) {
  return first_entry(unwrap(probe.cgminer_version), "VERSION");
}

const json* probe_devdetails_entry(const Probe& probe) {
  return first_entry(unwrap(probe.cgminer_devdetails), "DEVDETAILS");
}

bool probe_has_token(const Probe& probe, std::string_view token, bool include_devdetails) {
  return reply_has(probe.cgminer_version, token) ||
         (include_devdetails && reply_has(probe.cgminer_devdetails, token));
}

bool probe_is_cgminer(const Probe& probe) {
  return looks_like_cgminer_reply(unwrap(probe.cgminer_version)) ||
         looks_like_cgminer_reply(unwrap(probe.cgminer_devdetails));
}

std::optional<std::string> version_string(const Probe& probe,
                                          std::initializer_list<std::string_view> keys) {
  const json* v = probe_version_entry(probe);
  for (auto k : keys)
    if (auto s = string_at(v, k); s && !s->empty()) return s;
  return std::nullopt;
}

std::optional<std::string> version_description(const Probe& probe) {
  auto st = status_of(unwrap(probe.cgminer_version));
  if (!st || st->description.empty()) return std::nullopt;
  return st->description;
}

void identity_model_from_probe(const Probe& probe, Identity& id) {
  std::optional<std::string> type = version_string(probe, {"Type", "PROD", "Model"});
  if (!type) type = string_at(probe_devdetails_entry(probe), "Model");
  id.model = type ? clean_model(*type) : "";
  id.make = make_of_model(id.model);
}

}  // namespace rigkeeper::drivers::asic
