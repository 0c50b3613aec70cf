#include "drivers/asic/common/json_access.h"

#include "drivers/asic/common/numbers.h"

namespace rigkeeper::drivers::asic {

const json* member(const json* obj, std::string_view key) {
  if (obj == nullptr || !obj->is_object()) return nullptr;
  auto it = obj->find(key);
  return it == obj->end() ? nullptr : &*it;
}

std::optional<std::string> string_member(const json& obj, std::string_view key) {
  const json* v = member(&obj, key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}

const json* reply_of(const Replies& replies, std::string_view cmd) {
  auto it = replies.find(std::string(cmd));
  if (it == replies.end()) return nullptr;
  const json* r = &it->second;
  // Real firmware wraps each multi-command reply in a one-element array.
  if (r->is_array() && !r->empty() && r->front().is_object()) r = &r->front();
  return r->is_object() ? r : nullptr;
}

std::vector<const json*> entries(const json* reply, std::string_view name) {
  std::vector<const json*> out;
  const json* sec = member(reply, name);
  if (sec == nullptr) return out;
  if (sec->is_object()) {
    out.push_back(sec);
  } else if (sec->is_array()) {
    for (const auto& e : *sec)
      if (e.is_object()) out.push_back(&e);
  }
  return out;
}

const json* first_entry(const json* reply, std::string_view name) {
  auto all = entries(reply, name);
  return all.empty() ? nullptr : all.front();
}

std::optional<StatusInfo> status_of(const json* reply) {
  const json* st = member(reply, "STATUS");
  if (st == nullptr) return std::nullopt;
  StatusInfo info;
  if (st->is_string()) {  // Whatsminer's flat form: {"STATUS":"S","Msg":...} at top level
    info.status = st->get<std::string>();
    info.code = integer_at(reply, "Code");
    info.msg = string_at(reply, "Msg").value_or("");
    info.description = string_at(reply, "Description").value_or("");
    return info;
  }
  const json* e = first_entry(reply, "STATUS");
  if (e == nullptr) return std::nullopt;
  info.status = string_at(e, "STATUS").value_or("");
  info.code = integer_at(e, "Code");
  info.msg = string_at(e, "Msg").value_or("");
  info.description = string_at(e, "Description").value_or("");
  return info;
}

bool status_ok(const json* reply) {
  auto st = status_of(reply);
  return st && (st->status == "S" || st->status == "I");
}

bool looks_like_cgminer_reply(const json* reply) { return status_of(reply).has_value(); }

}  // namespace rigkeeper::drivers::asic
