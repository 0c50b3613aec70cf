#pragma once
/// The Whatsminer API v3 framing (TCP 4433, firmware from 2024-11 on) as detection needs it:
/// a 4-byte little-endian length, then that many bytes of JSON, in both directions
/// (shared/notes/asic-protocols.md 1.2). Only unauthenticated `get.*` requests; the `set.*`
/// token scheme belongs to the Whatsminer driver.
///
/// Thread-safety: the framing functions are pure; whatsminer_v3_get() runs on the caller's
/// executor and never blocks it. Errors name host:port; device bytes are capped, never trusted.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "drivers/api/asio.h"
#include "drivers/api/result.h"

namespace rigkeeper::drivers {

/// Largest v3 reply body accepted (get.device.info is about 1.5 KiB).
inline constexpr uint32_t kWhatsminerV3MaxReply = 256 * 1024;

/// The 4-byte little-endian length followed by `body`.
std::string frame_whatsminer_v3(std::string_view body);

/// The length a 4-byte header announces (little-endian).
uint32_t whatsminer_v3_length(const unsigned char header[4]);

/// Parses one reply body. Errc::kProtocol when it is not a JSON object.
Result<nlohmann::json> parse_whatsminer_v3_reply(std::string_view body);

/// Sends `{"cmd": cmd}` to host:port and returns the parsed reply. Errc::kUnreachable
/// (refused, reset before a reply), kTimeout (no whole reply within `timeout`), kProtocol
/// (announced length over the cap, truncated or non-JSON reply).
asio::awaitable<Result<nlohmann::json>> whatsminer_v3_get(std::string host, uint16_t port,
                                                          std::string cmd,
                                                          std::chrono::milliseconds timeout);

}  // namespace rigkeeper::drivers
