// check_cgminer_status(): the STATUS section of a cgminer-API reply, in its two shapes
// (cgminer's list, Whatsminer's flat object), mapped onto our error codes.
#include <algorithm>
#include <optional>

#include "drivers/api/ascii.h"
#include "drivers/api/cgminer_client.h"
#include "drivers/api/cgminer_json_repairer.h"

namespace rigkeeper::drivers {

using nlohmann::json;

namespace {

constexpr int kCodeInvalidCommand = 14;  // cgminer api.c MSG_INVCMD
constexpr int kCodeAccessDenied = 45;    // cgminer api.c MSG_ACCDENY

std::optional<long long> read_code(const json& status) {
  auto it = status.find("Code");
  if (it == status.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<long long>();
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    if (!s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), ::isdigit))
      return std::stoll(s);
  }
  return std::nullopt;
}

std::string read_msg(const json& status) {
  auto it = status.find("Msg");
  if (it == status.end()) return {};
  const std::string text = it->is_string()
                               ? it->get<std::string>()
                               : it->dump(-1, ' ', false, json::error_handler_t::replace);
  return detail::printable_prefix(text, 160);
}

/// The object that carries STATUS/Code/Msg, or nullptr if the section is malformed.
const json* status_entry(const json& reply, const json& section) {
  if (section.is_string()) return &reply;  // Whatsminer: {"STATUS":"S","Code":131,"Msg":...}
  if (section.is_array() && !section.empty() && section[0].is_object()) return &section[0];
  if (section.is_object()) return &section;
  return nullptr;
}

}  // namespace

Result<void> check_cgminer_status(const json& reply) {
  if (!reply.is_object()) return fail(Errc::kProtocol, "reply is not a JSON object");
  auto it = reply.find("STATUS");
  if (it == reply.end()) return fail(Errc::kProtocol, "reply has no STATUS section");
  const json* entry = status_entry(reply, *it);
  if (entry == nullptr) return fail(Errc::kProtocol, "reply has a malformed STATUS section");
  const json& letter_json = entry == &reply ? *it : entry->value("STATUS", json());
  if (!letter_json.is_string()) return fail(Errc::kProtocol, "STATUS entry has no status letter");
  const std::string letter = letter_json.get<std::string>();
  // S success, I informational (Avalon ascset), W warning: the command did run.
  if (letter == "S" || letter == "I" || letter == "W" || letter == "RESTART") return {};
  if (letter != "E" && letter != "F")
    return fail(Errc::kProtocol, "unknown STATUS '" + detail::printable_prefix(letter, 16) + "'");

  const auto code = read_code(*entry);
  const std::string msg = read_msg(*entry);
  std::string text = "STATUS " + letter;
  if (code) text += " code " + std::to_string(*code);
  if (!msg.empty()) text += ": " + msg;
  const std::string lmsg = ascii_lower(msg);
  if (code == kCodeAccessDenied || lmsg.rfind("access denied", 0) == 0)
    return fail(Errc::kAuth, text);
  if (code == kCodeInvalidCommand || lmsg.find("invalid command") != std::string::npos)
    return fail(Errc::kUnsupported, text);
  return fail(Errc::kDeviceError, text);
}

}  // namespace rigkeeper::drivers
