#pragma once
/// Broker URLs as configured (tcp://, mqtt://, ssl://, mqtts://) turned into what Paho accepts.
#include <cstdint>
#include <string>
#include <string_view>

#include "drivers/api/result.h"

namespace rigkeeper::agent {

/// A validated broker address. `paho_uri` is tcp://host:port or ssl://host:port with the
/// default port (1883 / 8883) filled in when the URL named none.
struct BrokerUri {
  bool tls = false;
  std::string host;  ///< without brackets for IPv6 literals
  uint16_t port = 0;
  std::string paho_uri;
};

/// Parses `tcp|mqtt|ssl|mqtts://host[:port]` (IPv6 as [addr]:port). mqtt:// means tcp:// and
/// mqtts:// means ssl://. Anything else (no scheme, ws://, a path, user info, a bad port) is
/// Errc::kConfig with a message naming the URL.
Result<BrokerUri> parse_broker_uri(std::string_view url);

}  // namespace rigkeeper::agent
