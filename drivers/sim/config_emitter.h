#pragma once
/// `--emit-config FILE`: a complete rigkeeperd configuration for exactly the simulated devices.
/// Only `[agent]` poll settings and `[[devices]]` (id, driver, host, port, plus web ports and
/// web credentials as driver options for families with a web personality) are written; the
/// daemon's flags supply broker, site, rack and state dir.
///
/// Thread-safety: pure function plus one file write.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "drivers/api/result.h"

namespace rigkeeper::drivers::sim {

/// An HTTP listener of a device besides its cgminer port (Antminer web CGI, REST APIs).
struct EmittedPort {
  std::string name;        ///< "web", "rest": the config key less "_port"
  std::string config_key;  ///< driver option carrying the port: "web_port"
  uint16_t port = 0;
};

struct EmittedDevice {
  std::string id;
  std::string driver;  ///< registry name: antminer, luxos, braiins, cgminer
  std::string model;   ///< written as a comment
  std::string host;
  uint16_t port = 0;
  std::vector<EmittedPort> web;  ///< written as `config_key = port`
  /// Extra string driver options (web credentials of the simulated device).
  std::vector<std::pair<std::string, std::string>> options;
  /// Boolean driver options (`allow_http = true` for the simulated Redfish BMCs).
  std::vector<std::pair<std::string, bool>> flags;
};

/// The TOML text. `origin` is the command line, written in the header comment.
std::string render_config(const std::vector<EmittedDevice>& devices, std::string_view origin,
                          double poll_interval_s = 10);

/// Writes `text` to `file` atomically (temporary file, then rename).
/// Errc::kStorage naming the file on failure.
Result<void> write_text_file(const std::filesystem::path& file, std::string_view text);

}  // namespace rigkeeper::drivers::sim
