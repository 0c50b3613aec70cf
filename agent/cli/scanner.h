#pragma once
/// The engine of `rigkeeper scan`: detect() on every address of a range, at most
/// `concurrency` hosts at once, on one io_context in the calling thread. Each host is one
/// detect() call (every probe of the host concurrently, one deadline), so a /22 of dead
/// addresses takes about (hosts / concurrency) x 2 x timeout.
///
/// Thread-safety: scan_range() blocks its caller until done; callbacks run on that thread.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "agent/cli/address_range.h"
#include "drivers/api/driver.h"
#include "drivers/detect.h"

namespace rigkeeper::cli {

struct ScanOptions {
  drivers::DetectOptions detect;
  std::size_t concurrency = 256;  ///< hosts probed at once (each opens up to ~6 sockets)
};

/// One device found: where it answered and what it is (the probe's raw replies dropped).
struct ScanFound {
  std::string host;
  uint16_t port = 0;  ///< the cgminer API port when it answered, else the driver's default
  const drivers::DriverInfo* driver = nullptr;
  drivers::Identity identity;
  std::vector<std::string> warnings;
};

struct ScanProgress {
  std::size_t done = 0;
  std::size_t total = 0;
  std::size_t found = 0;
};

struct ScanReport {
  std::vector<ScanFound> found;  ///< in address order
  /// Hosts that answered something no driver recognises, "host: why", in address order.
  std::vector<std::string> unrecognised;
  std::size_t scanned = 0;
};

/// Scans every address of `range`. `progress` (optional) is called after each host.
ScanReport scan_range(const AddressRange& range, const ScanOptions& options,
                      const std::function<void(const ScanProgress&)>& progress = {});

/// One host's detection turned into a ScanFound (pure).
ScanFound to_found(std::string host, const drivers::DetectOptions& options,
                   const drivers::Detection& detection);

}  // namespace rigkeeper::cli
