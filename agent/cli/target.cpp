#include "agent/cli/target.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace rigkeeper::cli {

namespace {

bool valid_host(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || c == '.' || c == '-' || c == '_' || c == ':' || c == '%';
  });
}

Result<std::optional<uint16_t>> parse_port(std::string_view text, std::string_view whole) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0 ||
      value > 65535)
    return fail(Errc::kInvalidArgument,
                "bad port '" + std::string(text) + "' in '" + std::string(whole) + "' (1-65535)");
  return std::optional<uint16_t>(static_cast<uint16_t>(value));
}

Result<Target> parse_url(std::string_view text, std::size_t scheme_end) {
  std::string scheme(text.substr(0, scheme_end));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme != "http" && scheme != "https")
    return fail(Errc::kInvalidArgument, "unsupported URL scheme '" + scheme + "' in '" +
                                            std::string(text) + "' (http or https)");
  std::string_view rest = text.substr(scheme_end + 3);
  const auto path_at = rest.find_first_of("/?#");
  std::string_view path = path_at == std::string_view::npos ? "/" : rest.substr(path_at);
  if (const auto hash = path.find('#'); hash != std::string_view::npos) path = path.substr(0, hash);
  rest = rest.substr(0, path_at);
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  Target t;
  t.kind = Target::Kind::kUrl;
  t.text = std::string(text);
  t.scheme = scheme;
  t.path = path.empty() || path.front() != '/' ? "/" + std::string(path) : std::string(path);
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close != std::string_view::npos && rest.substr(close + 1).starts_with(":"))
      port = rest.substr(close + 2);
    rest = rest.substr(1, close - 1);
  } else if (const auto colon = rest.find(':'); colon != std::string_view::npos) {
    port = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
  }
  if (!valid_host(rest)) return fail(Errc::kInvalidArgument, "no host in URL '" + t.text + "'");
  t.host = std::string(rest);
  if (!port.empty()) {
    auto p = parse_port(port, text);
    if (!p) return tl::unexpected(p.error());
    t.port = *p;
  }
  return t;
}

}  // namespace

Result<Target> parse_target(std::string_view text) {
  if (text.empty()) return fail(Errc::kInvalidArgument, "empty target");
  if (const auto scheme_end = text.find("://"); scheme_end != std::string_view::npos)
    return parse_url(text, scheme_end);

  Target t;
  t.text = std::string(text);
  std::string_view host = text;
  std::optional<std::string_view> port;
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos)
      return fail(Errc::kInvalidArgument, "missing ']' in '" + t.text + "'");
    host = text.substr(1, close - 1);
    const std::string_view after = text.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':')
        return fail(Errc::kInvalidArgument, "expected ':PORT' after ']' in '" + t.text + "'");
      port = after.substr(1);
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    const auto colon = text.find(':');
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }  // two or more colons and no brackets: a bare IPv6 address, no port
  if (!valid_host(host)) return fail(Errc::kInvalidArgument, "bad host in '" + t.text + "'");
  t.host = std::string(host);
  if (port) {
    auto p = parse_port(*port, text);
    if (!p) return tl::unexpected(p.error());
    t.port = *p;
  }
  return t;
}

std::string host_port(std::string_view host, std::optional<uint16_t> port) {
  if (!port) return std::string(host);
  const bool v6 = host.find(':') != std::string_view::npos;
  return (v6 ? "[" + std::string(host) + "]" : std::string(host)) + ":" + std::to_string(*port);
}

}  // namespace rigkeeper::cli
