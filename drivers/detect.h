#pragma once
/// Identification of an unknown device: ask it `version` and `devdetails` over the cgminer
/// API, hand the replies to every registered driver's matcher, and keep the best. An answer no
/// specific family claims falls back to the generic cgminer driver (firmware "cgminer", with a
/// warning in the snapshot's errors and the log), never to a failure.
#include <chrono>
#include <cstdint>
#include <string>

#include "drivers/api/asio.h"
#include "drivers/api/driver.h"
#include "drivers/api/result.h"

namespace rigkeeper::drivers {

struct Detection {
  const DriverInfo* driver = nullptr;  ///< never null on success
  Identity identity;
  Probe probe;
};

/// Probes host:port (the cgminer API port, 4028 by default). Errc::kUnreachable / kTimeout
/// when nothing answers, kUnsupported when something answers that no driver recognises.
asio::awaitable<Result<Detection>> detect(std::string host, uint16_t port,
                                          std::chrono::milliseconds timeout);

/// Identification from replies already gathered (pure; used by detect() and by tests).
Result<Detection> detect_from_probe(const Probe& probe);

}  // namespace rigkeeper::drivers
