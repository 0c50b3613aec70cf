#include "drivers/sim/listen_plan.h"

#include <charconv>
#include <optional>

#include "drivers/api/asio.h"

namespace rigkeeper::drivers::sim {

namespace {

std::optional<uint32_t> parse_ipv4(std::string_view text) {
  if (text == "localhost") return 0x7f000001u;
  boost::system::error_code ec;
  const auto addr = asio::ip::make_address_v4(std::string(text), ec);
  if (ec) return std::nullopt;
  return addr.to_uint();
}

std::optional<int> parse_int(std::string_view text, int lo, int hi) {
  int v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v < lo || v > hi)
    return std::nullopt;
  return v;
}

std::string dotted(uint32_t a) { return asio::ip::address_v4(a).to_string(); }

bool loopback(uint32_t a) { return (a >> 24) == 127; }

tl::unexpected<Error> bad(std::string_view listen, const std::string& why) {
  return fail(Errc::kInvalidArgument, "--listen " + std::string(listen) + ": " + why);
}

}  // namespace

Result<std::vector<ListenEndpoint>> plan_listen(std::string_view listen, int devices,
                                                uint16_t usual_port) {
  if (devices < 0) return bad(listen, "negative device count");
  std::string_view addr = listen;
  std::optional<int> port;
  if (const auto colon = listen.rfind(':'); colon != std::string_view::npos) {
    port = parse_int(listen.substr(colon + 1), 0, 65535);
    if (!port) return bad(listen, "port must be 0..65535");
    addr = listen.substr(0, colon);
  }
  std::optional<int> prefix;
  if (const auto slash = addr.find('/'); slash != std::string_view::npos) {
    prefix = parse_int(addr.substr(slash + 1), 0, 32);
    if (!prefix) return bad(listen, "prefix length must be 0..32");
    addr = addr.substr(0, slash);
  }
  const auto ip = parse_ipv4(addr);
  if (!ip) return bad(listen, "not an IPv4 address or CIDR");
  std::vector<ListenEndpoint> out;
  out.reserve(static_cast<size_t>(devices));
  if (!prefix) {
    if (!loopback(*ip)) return bad(listen, "only loopback addresses (127.0.0.0/8) are served");
    const int base = port.value_or(kDefaultBasePort);
    if (base != 0 && base + devices - 1 > 65535) {
      return bad(listen, std::to_string(devices) + " devices do not fit in ports " +
                             std::to_string(base) + "..65535");
    }
    for (int i = 0; i < devices; ++i) {
      out.push_back({dotted(*ip), static_cast<uint16_t>(base == 0 ? 0 : base + i)});
    }
    return out;
  }
  if (*prefix < 8) return bad(listen, "a CIDR must lie inside 127.0.0.0/8 (prefix /8 or longer)");
  const uint32_t mask = *prefix == 0 ? 0 : ~uint32_t{0} << (32 - *prefix);
  const uint32_t network = *ip & mask;
  if (!loopback(network)) return bad(listen, "only loopback addresses (127.0.0.0/8) are served");
  const uint64_t size = uint64_t{1} << (32 - *prefix);
  // Skip the network and broadcast addresses where the range has them.
  const uint64_t first = size > 2 ? 1 : 0;
  const uint64_t usable = size > 2 ? size - 2 : size;
  if (static_cast<uint64_t>(devices) > usable) {
    return bad(listen, "has " + std::to_string(usable) + " addresses, " + std::to_string(devices) +
                           " devices need one each");
  }
  const auto p = static_cast<uint16_t>(port.value_or(usual_port));
  for (int i = 0; i < devices; ++i) {
    out.push_back({dotted(network + static_cast<uint32_t>(first + static_cast<uint64_t>(i))), p});
  }
  return out;
}

bool per_device_addresses(std::string_view listen) {
  return listen.find('/') != std::string_view::npos;
}

}  // namespace rigkeeper::drivers::sim
