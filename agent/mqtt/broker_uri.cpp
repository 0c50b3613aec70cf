#include "agent/mqtt/broker_uri.h"

#include <charconv>

namespace rigkeeper::agent {

namespace {

tl::unexpected<Error> bad(std::string_view url, std::string_view why) {
  return fail(Errc::kConfig,
              "mqtt: broker URL '" + std::string(url) + "' is invalid: " + std::string(why));
}

bool host_char_ok(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

}  // namespace

Result<BrokerUri> parse_broker_uri(std::string_view url) {
  BrokerUri out;
  const auto sep = url.find("://");
  if (sep == std::string_view::npos)
    return bad(url, "expected tcp://, mqtt://, ssl:// or mqtts://");
  const std::string_view scheme = url.substr(0, sep);
  if (scheme == "tcp" || scheme == "mqtt") {
    out.tls = false;
  } else if (scheme == "ssl" || scheme == "mqtts") {
    out.tls = true;
  } else {
    return bad(url, "unsupported scheme '" + std::string(scheme) +
                        "' (use tcp://, mqtt://, ssl:// or mqtts://)");
  }
  std::string_view rest = url.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/@?#") != std::string_view::npos) {
    return bad(url, "a path, user info or query is not allowed");
  }

  std::string_view host;
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return bad(url, "unterminated IPv6 literal");
    host = rest.substr(1, close - 1);
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad(url, "garbage after the IPv6 literal");
      port_text = after.substr(1);
      if (port_text.empty()) return bad(url, "empty port");
    }
    if (host.empty() || host.find_first_not_of("0123456789abcdefABCDEF:.") != host.npos) {
      return bad(url, "bad IPv6 literal");
    }
  } else {
    const auto colon = rest.rfind(':');
    host = rest.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) return bad(url, "empty port");
    }
    if (host.empty()) return bad(url, "no host");
    for (char c : host) {
      if (!host_char_ok(c)) return bad(url, "bad character in host name");
    }
  }

  out.port = out.tls ? 8883 : 1883;
  if (!port_text.empty()) {
    unsigned value = 0;
    const auto* first = port_text.data();
    const auto* last = first + port_text.size();
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || ptr != last || value == 0 || value > 65535) {
      return bad(url, "port must be 1-65535");
    }
    out.port = static_cast<uint16_t>(value);
  }
  out.host = std::string(host);
  const bool v6 = out.host.find(':') != std::string::npos;
  out.paho_uri = std::string(out.tls ? "ssl://" : "tcp://") + (v6 ? "[" : "") + out.host +
                 (v6 ? "]" : "") + ":" + std::to_string(out.port);
  return out;
}

}  // namespace rigkeeper::agent
