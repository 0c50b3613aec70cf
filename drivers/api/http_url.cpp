#include "drivers/api/http_url.h"

#include <algorithm>
#include <charconv>

#include "drivers/api/ascii.h"

namespace rigkeeper::drivers::http {

namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ascii_iequals(s.substr(0, prefix.size()), prefix);
}

// The span of "user:password@" after the scheme, as {start, length}; length 0 when absent.
std::pair<size_t, size_t> credentials_span(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {0, 0};
  const size_t start = scheme + 3;
  const size_t end = url.find_first_of("/?#", start);
  const std::string_view authority =
      url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  const size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return {start, 0};
  return {start, at + 1};
}

}  // namespace

std::string without_credentials(std::string_view url) {
  const auto [start, length] = credentials_span(url);
  std::string out(url);
  out.erase(start, length);
  return out;
}

Result<Url> parse_url(std::string_view url) {
  Url u;
  u.shown = without_credentials(url);
  const auto bad = [&](std::string_view why) {
    return fail(Errc::kInvalidArgument, "bad URL '" + u.shown + "' (" + std::string(why) +
                                            "; http:// or https:// expected)");
  };
  if (std::any_of(url.begin(), url.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; }))
    return bad("spaces or control characters");
  size_t pos = 0;
  if (starts_with_nocase(url, "http://")) {
    pos = 7;
  } else if (starts_with_nocase(url, "https://")) {
    u.tls = true;
    pos = 8;
  } else {
    return bad("unsupported scheme");
  }
  const size_t end = url.find_first_of("/?#", pos);
  std::string_view authority =
      url.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  u.authority = std::string(authority);
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 address");
    u.host = std::string(authority.substr(1, close - 1));
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad("garbage after the IPv6 address");
      port = rest.substr(1);
    }
  } else {
    const size_t colon = authority.find(':');
    u.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (u.host.empty()) return bad("no host");
  u.port = u.tls ? 443 : 80;
  if (!port.empty()) {
    unsigned value = 0;
    const auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || p != port.data() + port.size() || value == 0 || value > 65535)
      return bad("bad port");
    u.port = static_cast<uint16_t>(value);
  }
  std::string_view target = end == std::string_view::npos ? std::string_view() : url.substr(end);
  if (const size_t hash = target.find('#'); hash != std::string_view::npos)
    target = target.substr(0, hash);
  u.target =
      target.empty() || target.front() != '/' ? "/" + std::string(target) : std::string(target);
  return u;
}

}  // namespace rigkeeper::drivers::http
