#pragma once
/// Identification of an unknown device. Every probe of one host runs at once, under one
/// deadline (docs/DETECTION.md):
///   - the cgminer API (`version`, then `devdetails`) on the API port, 4028 by default;
///   - an HTTP GET of `/` on the web port (80), and when that port answers, GETs of the
///     families' unauthenticated endpoints (VNish `/api/v1/info`, Braiins OS `/api/v1/...`);
///   - the Whatsminer API v3 port (4433): `get.device.info`, length-prefixed JSON.
/// The replies go into one Probe, handed to every registered driver's match(); the best score
/// wins. An answer no specific family claims falls back to the generic cgminer driver (firmware
/// "cgminer"), with a warning, never a failure.
///
/// Thread-safety: detect() runs on the caller's executor and never blocks its thread; it may
/// run for many hosts at once on one io_context. detect_from_probe() is pure.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/api/asio.h"
#include "drivers/api/driver.h"
#include "drivers/api/result.h"

namespace rigkeeper::drivers {

/// Web paths fetched (after `/` answered) by default, each unauthenticated on its family.
std::vector<std::string> default_web_paths();

/// Which probes detect() makes, where, and how long it may take.
struct DetectOptions {
  uint16_t cgminer_port = 4028;
  uint16_t web_port = 80;
  uint16_t whatsminer_v3_port = 4433;
  /// Deadline of one request. The whole identification of a host ends within 2 x timeout (the
  /// longest chain is two requests: version then devdetails, or `/` then the family paths).
  std::chrono::milliseconds timeout{3000};
  bool cgminer = true;
  bool web = true;
  bool whatsminer_v3 = true;
  /// Fetched on the web port once `/` got an HTTP reply (any status).
  std::vector<std::string> web_paths = default_web_paths();
};

struct Detection {
  const DriverInfo* driver = nullptr;  ///< never null on success
  Identity identity;
  Probe probe;
  /// What a technician should know about the identification: firmware not recognised (read
  /// with the generic driver), model not reported or not in the model table. Never secrets.
  std::vector<std::string> warnings;
};

/// Gathers every reply `options` asks for, all probes concurrently. Fails only when nothing
/// answered any probe: Errc::kUnreachable / kTimeout (the cgminer API's error when it was
/// asked), or kUnsupported when the API port answered but neither reply was usable.
asio::awaitable<Result<Probe>> gather_probe(std::string host, DetectOptions options);

/// Probes `host` as `options` says (gather_probe, then detect_from_probe). Errors name host and
/// port: Errc::kUnreachable or kTimeout when nothing answers any probe (the cgminer API's error
/// when it was asked), kUnsupported when something answers that no driver recognises.
asio::awaitable<Result<Detection>> detect(std::string host, DetectOptions options);

/// The cgminer API on host:port with every other probe at its default (kept for callers that
/// configure only the API port); `timeout` is DetectOptions::timeout.
asio::awaitable<Result<Detection>> detect(std::string host, uint16_t port,
                                          std::chrono::milliseconds timeout);

/// Identification from replies already gathered (pure; used by detect() and by tests).
/// kUnsupported when no driver's match() claims the probe.
Result<Detection> detect_from_probe(const Probe& probe);

}  // namespace rigkeeper::drivers
