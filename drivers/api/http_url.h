#pragma once
/// The URLs drivers/api/http_client accepts: `http(s)://host[:port][/path][?query]`, host a
/// name, an IPv4 address or a bracketed IPv6 address. Credentials in the URL (`user:pw@`) are
/// never used and never shown: `shown` is the URL without them, for messages.
#include <cstdint>
#include <string>
#include <string_view>

#include "drivers/api/result.h"

namespace rigkeeper::drivers::http {

struct Url {
  bool tls = false;       ///< https
  std::string host;       ///< without brackets
  uint16_t port = 0;      ///< the given port, or 80 / 443
  std::string target;     ///< "/path?query", never empty, fragment dropped
  std::string authority;  ///< Host header value: host[:port] as written (brackets kept)
  std::string shown;      ///< the URL as given, without credentials
};

/// Errc::kInvalidArgument for another scheme, an empty or malformed host or port, spaces or
/// control characters anywhere. The message shows the URL without credentials.
Result<Url> parse_url(std::string_view url);

/// `url` without the `user:password@` part, also when it cannot be parsed.
std::string without_credentials(std::string_view url);

}  // namespace rigkeeper::drivers::http
