#pragma once
/// What `rigkeeper probe TARGET` names: `HOST[:PORT]` (an IPv6 address in brackets when a port
/// follows, `[fe80::1]:4028`) or an `http://`/`https://` URL.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "drivers/api/result.h"

namespace rigkeeper::cli {

struct Target {
  enum class Kind { kHost, kUrl };
  Kind kind = Kind::kHost;
  std::string host;              ///< without brackets; for a URL, its host
  std::optional<uint16_t> port;  ///< nullopt: the driver's default
  std::string text;              ///< as the user wrote it, for messages
  std::string scheme;            ///< URL only: "http" or "https"
  std::string path;              ///< URL only: the path and query, "/" when absent
};

/// Errc::kInvalidArgument naming the problem (empty, bad port, unsupported URL scheme, a host
/// with characters no host name or address has).
Result<Target> parse_target(std::string_view text);

/// "host:port", "[v6]:port", or the host alone when the port is unknown.
std::string host_port(std::string_view host, std::optional<uint16_t> port);

}  // namespace rigkeeper::cli
