#include "agent/cli/address_range.h"

#include <charconv>

namespace rigkeeper::cli {

namespace {

std::optional<unsigned> parse_decimal(std::string_view text, unsigned max) {
  if (text.empty() || text.size() > 3) return std::nullopt;
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
  return value;
}

Error bad(std::string_view text, const std::string& why) {
  return {Errc::kInvalidArgument,
          "bad range '" + std::string(text) + "': " + why +
              " (expected CIDR 10.0.0.0/24, 10.0.0.1-10.0.0.254, 10.0.0.1-254 or one IPv4 "
              "address)"};
}

Result<AddressRange> checked(std::string_view text, AddressRange range) {
  if (range.first > range.last)
    return tl::unexpected(bad(text, "the first address comes after the last"));
  if (range.size() > kMaxScanHosts)
    return tl::unexpected(bad(text, std::to_string(range.size()) + " addresses, more than the " +
                                        std::to_string(kMaxScanHosts) + " (/16) one scan covers"));
  return range;
}

Result<AddressRange> parse_cidr(std::string_view text, std::size_t slash) {
  const auto base = parse_ipv4(text.substr(0, slash));
  if (!base) return tl::unexpected(bad(text, "the network is not an IPv4 address"));
  const auto prefix = parse_decimal(text.substr(slash + 1), 32);
  if (!prefix) return tl::unexpected(bad(text, "the prefix length is not 0..32"));
  const uint32_t mask = *prefix == 0 ? 0 : ~uint32_t{0} << (32 - *prefix);
  AddressRange range{*base & mask, (*base & mask) | ~mask};
  if (range.size() > kMaxScanHosts) return checked(text, range);
  if (*prefix <= 30) {  // network and broadcast addresses are no hosts
    ++range.first;
    --range.last;
  }
  return range;
}

Result<AddressRange> parse_dash(std::string_view text, std::size_t dash) {
  const auto first = parse_ipv4(text.substr(0, dash));
  if (!first) return tl::unexpected(bad(text, "the first address is not IPv4"));
  const std::string_view rest = text.substr(dash + 1);
  if (rest.find('.') == std::string_view::npos) {
    const auto octet = parse_decimal(rest, 255);
    if (!octet) return tl::unexpected(bad(text, "the last octet is not 0..255"));
    return checked(text, {*first, (*first & 0xffffff00u) | *octet});
  }
  const auto last = parse_ipv4(rest);
  if (!last) return tl::unexpected(bad(text, "the last address is not IPv4"));
  return checked(text, {*first, *last});
}

}  // namespace

std::string AddressRange::at(std::size_t i) const {
  return format_ipv4(first + static_cast<uint32_t>(i));
}

std::optional<uint32_t> parse_ipv4(std::string_view text) {
  uint32_t address = 0;
  for (int octet = 0; octet < 4; ++octet) {
    const auto dot = text.find('.');
    if ((octet < 3) != (dot != std::string_view::npos)) return std::nullopt;
    const auto value = parse_decimal(text.substr(0, dot), 255);
    if (!value) return std::nullopt;
    address = address << 8 | *value;
    text = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  }
  return address;
}

std::string format_ipv4(uint32_t a) {
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xff) + "." +
         std::to_string((a >> 8) & 0xff) + "." + std::to_string(a & 0xff);
}

Result<AddressRange> parse_address_range(std::string_view text) {
  if (text.empty()) return tl::unexpected(bad(text, "empty"));
  if (const auto slash = text.find('/'); slash != std::string_view::npos)
    return parse_cidr(text, slash);
  if (const auto dash = text.find('-'); dash != std::string_view::npos)
    return parse_dash(text, dash);
  const auto host = parse_ipv4(text);
  if (!host) return tl::unexpected(bad(text, "not an IPv4 address"));
  return AddressRange{*host, *host};
}

}  // namespace rigkeeper::cli
