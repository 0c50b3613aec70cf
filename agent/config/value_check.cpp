#include "agent/config/value_check.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <variant>

#include "agent/config/suggest.h"

namespace rigkeeper::agent::config {
namespace {

constexpr std::size_t kMaxNameBytes = 64;
constexpr std::size_t kMaxShownBytes = 80;
const std::vector<std::string_view> kBrokerSchemes = {"tcp", "mqtt", "ssl", "mqtts"};

std::string_view value_type_name(const OptionValue& v) {
  if (std::holds_alternative<bool>(v)) return "a boolean";
  if (std::holds_alternative<int64_t>(v)) return "an integer";
  if (std::holds_alternative<double>(v)) return "a float";
  return "a string";
}

std::string_view node_type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "a value";
  }
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool has_space_or_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::optional<std::string> check_range(double v, const ValueRule& rule, bool secret) {
  if (!std::isfinite(v)) return "must be a finite number";
  const bool low = rule.min && v < *rule.min;
  const bool high = rule.max && v > *rule.max;
  if (!low && !high) return std::nullopt;
  const std::string value = secret ? "***" : format_number(v);
  if (rule.min && rule.max)
    return value + " is out of range: must be between " + format_number(*rule.min) + " and " +
           format_number(*rule.max);
  if (low) return value + " is too small: must be at least " + format_number(*rule.min);
  return value + " is too large: must be at most " + format_number(*rule.max);
}

std::optional<std::string> check_broker(const std::string& url) {
  const auto sep = url.find("://");
  const std::string_view scheme = broker_scheme(url);
  if (sep == std::string::npos ||
      std::find(kBrokerSchemes.begin(), kBrokerSchemes.end(), scheme) == kBrokerSchemes.end())
    return shown(OptionValue{url}, false) +
           " is not a broker URL: expected tcp://, mqtt://, ssl:// or mqtts:// then host[:port]";
  const std::string_view rest = std::string_view(url).substr(sep + 3);
  // Never echo a URL that carries credentials: it would print the password.
  if (rest.find('@') != std::string_view::npos)
    return "the broker URL must not carry credentials (user:password@host); set mqtt.username "
           "and mqtt.password or mqtt.password_file instead";
  const std::string where = shown(OptionValue{url}, false);
  if (rest.find_first_of("/?#") != std::string_view::npos)
    return where + " has a path; expected scheme://host[:port]";
  std::string_view host = rest;
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return where + ": unterminated IPv6 address";
    host = rest.substr(1, close - 1);
    const std::string_view tail = rest.substr(close + 1);
    if (!tail.empty() && tail.front() != ':') return where + ": unexpected text after ']'";
    if (!tail.empty()) port = tail.substr(1);
  } else if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (port.empty()) return where + ": empty port after ':'";
  }
  if (host.empty() || has_space_or_control(host)) return where + " has no valid host";
  if (!port.empty() || (rest.size() && rest.back() == ':')) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535)
      return where + " has an invalid port: must be 1 to 65535";
  }
  return std::nullopt;
}

std::optional<std::string> check_string(const std::string& s, const ValueRule& rule,
                                        const std::vector<std::string>& driver_names) {
  if (s.size() > kMaxStringBytes)
    return "is too long: " + std::to_string(s.size()) + " bytes, at most " +
           std::to_string(kMaxStringBytes);
  const std::string value = shown(OptionValue{s}, rule.secret);
  if (!rule.allowed.empty() &&
      std::find(rule.allowed.begin(), rule.allowed.end(), s) == rule.allowed.end()) {
    std::vector<std::string> allowed(rule.allowed.begin(), rule.allowed.end());
    return value + " is not one of: " + join(allowed) + did_you_mean(s, allowed);
  }
  switch (rule.check) {
    case KeyCheck::kNone:
      return std::nullopt;
    case KeyCheck::kNonEmpty:
      if (s.empty()) return "must not be empty";
      return std::nullopt;
    case KeyCheck::kName:
      if (s.empty() || s.size() > kMaxNameBytes || !std::all_of(s.begin(), s.end(), is_name_char))
        return value + " is not a valid name: use 1 to 64 characters from a-z, 0-9, '_' and '-'";
      return std::nullopt;
    case KeyCheck::kHost:
      if (s.empty()) return "must not be empty";
      if (has_space_or_control(s)) return value + " is not a host: it contains whitespace";
      return std::nullopt;
    case KeyCheck::kBrokerUrl:
      return check_broker(s);
    case KeyCheck::kDriverName: {
      if (s == "auto" ||
          std::find(driver_names.begin(), driver_names.end(), s) != driver_names.end())
        return std::nullopt;
      std::vector<std::string> known = {"auto"};
      known.insert(known.end(), driver_names.begin(), driver_names.end());
      return "unknown driver " + value + did_you_mean(s, known) + " (known: " + join(known) + ")";
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view type_name(KeyType type) {
  switch (type) {
    case KeyType::kString:
      return "a string";
    case KeyType::kPath:
      return "a path (string)";
    case KeyType::kInt:
      return "an integer";
    case KeyType::kDouble:
      return "a number";
    case KeyType::kBool:
      return "a boolean";
  }
  return "a value";
}

tl::expected<OptionValue, std::string> convert(const toml::node& node, const ValueRule& rule) {
  OptionValue raw;
  if (auto s = node.value_exact<std::string>())
    raw = *s;
  else if (auto i = node.value_exact<int64_t>())
    raw = *i;
  else if (auto d = node.value_exact<double>())
    raw = *d;
  else if (auto b = node.value_exact<bool>())
    raw = *b;
  else
    return tl::unexpected("expected " + std::string(type_name(rule.type)) + ", got " +
                          std::string(node_type_name(node)));
  return coerce(raw, rule);
}

tl::expected<OptionValue, std::string> coerce(const OptionValue& value, const ValueRule& rule) {
  auto mismatch = [&] {
    return tl::unexpected("expected " + std::string(type_name(rule.type)) + ", got " +
                          std::string(value_type_name(value)));
  };
  switch (rule.type) {
    case KeyType::kString:
    case KeyType::kPath:
      if (!std::holds_alternative<std::string>(value)) return mismatch();
      return value;
    case KeyType::kInt:
      if (!std::holds_alternative<int64_t>(value)) return mismatch();
      return value;
    case KeyType::kDouble:
      if (auto* i = std::get_if<int64_t>(&value)) return OptionValue{static_cast<double>(*i)};
      if (!std::holds_alternative<double>(value)) return mismatch();
      return value;
    case KeyType::kBool:
      if (!std::holds_alternative<bool>(value)) return mismatch();
      return value;
  }
  return mismatch();
}

std::optional<std::string> check_value(const OptionValue& value, const ValueRule& rule,
                                       const std::vector<std::string>& driver_names) {
  if (auto* i = std::get_if<int64_t>(&value))
    return check_range(static_cast<double>(*i), rule, rule.secret);
  if (auto* d = std::get_if<double>(&value)) return check_range(*d, rule, rule.secret);
  if (auto* s = std::get_if<std::string>(&value)) return check_string(*s, rule, driver_names);
  return std::nullopt;
}

std::string shown(const OptionValue& value, bool secret) {
  if (secret) return "***";
  if (auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (auto* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&value)) return format_number(*d);
  const auto& s = std::get<std::string>(value);
  std::string out = "'";
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < s.size() && i < kMaxShownBytes; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f || c == '\\' || c == '\'') {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > kMaxShownBytes) out += "...";
  return out + "'";
}

std::string format_number(double value) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec != std::errc()) return "?";
  return std::string(buf, end);
}

std::string_view broker_scheme(std::string_view url) {
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) return "";
  return url.substr(0, sep);
}

bool is_tls_broker(std::string_view url) {
  const auto scheme = broker_scheme(url);
  return scheme == "ssl" || scheme == "mqtts";
}

}  // namespace rigkeeper::agent::config
