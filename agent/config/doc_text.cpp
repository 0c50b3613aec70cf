#include "agent/config/doc_text.h"

#include <variant>

#include "agent/config/value_check.h"

namespace rigkeeper::agent::config {

std::string type_label(const ValueRule& rule) {
  std::string label;
  switch (rule.type) {
    case KeyType::kString:
      label = "string";
      break;
    case KeyType::kPath:
      label = "path";
      break;
    case KeyType::kInt:
      label = "integer";
      break;
    case KeyType::kDouble:
      label = "float";
      break;
    case KeyType::kBool:
      label = "boolean";
      break;
  }
  return rule.secret ? label + ", secret" : label;
}

std::string accepted_label(const ValueRule& rule) {
  if (rule.min && rule.max) return format_number(*rule.min) + " to " + format_number(*rule.max);
  if (rule.min) return "at least " + format_number(*rule.min);
  if (rule.max) return "at most " + format_number(*rule.max);
  if (!rule.allowed.empty()) {
    std::string out;
    for (auto a : rule.allowed) out += (out.empty() ? "" : ", ") + std::string(a);
    return out;
  }
  switch (rule.check) {
    case KeyCheck::kNone:
      return "";
    case KeyCheck::kName:
      return "1 to 64 of a-z 0-9 _ -";
    case KeyCheck::kBrokerUrl:
      return "tcp:// mqtt:// ssl:// mqtts:// URL";
    case KeyCheck::kDriverName:
      return "auto, or a driver name";
    case KeyCheck::kHost:
      return "host name or address";
    case KeyCheck::kNonEmpty:
      return "not empty";
  }
  return "";
}

std::string toml_literal(const OptionValue& value) {
  if (auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (auto* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&value)) return format_number(*d);
  std::string out = "\"";
  for (char c : std::get<std::string>(value)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string wrap(std::string_view text, std::size_t width, std::string_view prefix) {
  std::string out;
  std::string line(prefix);
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(pos, end - pos);
    if (line.size() > prefix.size() && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line = prefix;
    }
    if (line.size() > prefix.size()) line += ' ';
    line += word;
    pos = end + 1;
  }
  if (line.size() > prefix.size()) out += line + "\n";
  return out;
}

}  // namespace rigkeeper::agent::config
