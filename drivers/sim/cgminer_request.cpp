#include "drivers/sim/cgminer_request.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace rigkeeper::drivers::sim {

namespace {

std::string_view trim(std::string_view s) {
  const auto junk = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0';
  };
  while (!s.empty() && junk(s.front())) s.remove_prefix(1);
  while (!s.empty() && junk(s.back())) s.remove_suffix(1);
  return s;
}

bool valid_command_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '+';
}

void split_commands(std::string_view command, CgminerRequest& req) {
  if (command.size() > 256 || !std::all_of(command.begin(), command.end(), valid_command_char)) {
    req.error_code = 14;
    req.error_msg = "Invalid command";
    return;
  }
  req.multi = command.find('+') != std::string_view::npos;
  while (!command.empty()) {
    const auto plus = command.find('+');
    const std::string one(command.substr(0, plus));
    if (!one.empty() &&
        std::find(req.commands.begin(), req.commands.end(), one) == req.commands.end()) {
      req.commands.push_back(one);
    }
    if (plus == std::string_view::npos) break;
    command.remove_prefix(plus + 1);
  }
  if (req.commands.empty() || req.commands.size() > kMaxCommands) {
    req.error_code = 14;
    req.error_msg = "Invalid command";
  }
}

void parse_json(std::string_view text, CgminerRequest& req) {
  req.json = true;
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    req.error_code = 23;
    req.error_msg = "Invalid JSON";
    return;
  }
  const auto cmd = doc.find("command");
  if (cmd == doc.end() || !cmd->is_string()) {
    req.error_code = 24;
    req.error_msg = "Missing JSON 'command'";
    return;
  }
  if (const auto p = doc.find("parameter"); p != doc.end()) {
    if (p->is_string()) {
      req.parameter = p->get<std::string>();
    } else if (p->is_number() || p->is_boolean()) {
      req.parameter = p->dump();  // BOSminer's docs send {"parameter":0}
    }
  }
  split_commands(cmd->get_ref<const std::string&>(), req);
}

}  // namespace

CgminerRequest parse_cgminer_request(std::string_view bytes) {
  CgminerRequest req;
  if (bytes.size() > kMaxRequestBytes) {
    req.error_code = 23;
    req.error_msg = "Invalid JSON";
    return req;
  }
  const std::string_view text = trim(bytes);
  if (!text.empty() && text.front() == '{') {
    parse_json(text, req);
    return req;
  }
  // Plain text: "command" or "command|parameter".
  const auto bar = text.find('|');
  if (bar != std::string_view::npos) req.parameter = std::string(text.substr(bar + 1));
  split_commands(text.substr(0, bar), req);
  return req;
}

bool request_complete(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size() &&
         (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n'))
    ++i;
  if (i == bytes.size()) return false;
  if (bytes[i] != '{') {
    return bytes.find('\n') != std::string_view::npos || bytes.find('\0') != std::string_view::npos;
  }
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') ++depth;
    if ((c == '}' || c == ']') && --depth == 0) return true;
  }
  return false;
}

}  // namespace rigkeeper::drivers::sim
