#pragma once
/// The RANGE argument of `rigkeeper scan`: IPv4 only, in one of four forms
///   10.0.0.0/22            CIDR; the network and broadcast addresses are skipped (not /31, /32)
///   10.0.0.1-10.0.0.254    first-last, inclusive
///   10.0.0.1-254           the same, the last octet alone
///   10.0.0.7               one host
/// A range holds at most kMaxScanHosts addresses (a /16), so a typo cannot start a scan of
/// millions of hosts.
///
/// Thread-safety: values; pure functions.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "drivers/api/result.h"

namespace rigkeeper::cli {

inline constexpr std::size_t kMaxScanHosts = 65536;

/// Inclusive range of IPv4 addresses, host byte order.
struct AddressRange {
  uint32_t first = 0;
  uint32_t last = 0;

  /// 64 bits: a /0 holds 2^32 addresses, one more than a 32-bit size_t counts.
  uint64_t size() const { return static_cast<uint64_t>(last - first) + 1; }
  /// The i-th address of the range, dotted ("10.0.0.7"); i < size().
  std::string at(std::size_t i) const;
};

/// Dotted-quad IPv4 ("10.0.0.7"), strict: four decimal octets 0..255, no leading '+'/blanks.
std::optional<uint32_t> parse_ipv4(std::string_view text);

/// Dotted form of a host-order address.
std::string format_ipv4(uint32_t address);

/// Parses RANGE. Errc::kInvalidArgument naming the problem: malformed address or prefix,
/// first after last, more than kMaxScanHosts addresses (the message gives the size and cap).
Result<AddressRange> parse_address_range(std::string_view text);

}  // namespace rigkeeper::cli
