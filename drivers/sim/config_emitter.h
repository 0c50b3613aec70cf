#pragma once
/// `--emit-config FILE`: a complete rigkeeperd configuration for exactly the simulated devices.
/// Only `[agent]` poll settings and `[[devices]]` (id, driver, host, port) are written; the
/// daemon's flags supply broker, site, rack and state dir.
///
/// Thread-safety: pure function plus one file write.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/api/result.h"

namespace rigkeeper::drivers::sim {

struct EmittedDevice {
  std::string id;
  std::string driver;  ///< registry name: antminer, luxos, braiins, cgminer
  std::string model;   ///< written as a comment
  std::string host;
  uint16_t port = 0;
};

/// The TOML text. `origin` is the command line, written in the header comment.
std::string render_config(const std::vector<EmittedDevice>& devices, std::string_view origin,
                          double poll_interval_s = 10);

/// Writes `text` to `file` atomically (temporary file, then rename).
/// Errc::kStorage naming the file on failure.
Result<void> write_text_file(const std::filesystem::path& file, std::string_view text);

}  // namespace rigkeeper::drivers::sim
