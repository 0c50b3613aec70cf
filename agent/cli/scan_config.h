#pragma once
/// `rigkeeper scan --write-config FILE`: appends the devices a scan found to a rigkeeperd
/// config as `[[devices]]` entries (docs/CONFIG.md), never touching what is there.
///   - ids are `miner-A-B-C-D` from the address, with `-2`, `-3`, ... when an id is taken in
///     the file or its drop-ins; an existing id is never reused or overwritten;
///   - a host already configured (in the file or a drop-in) is skipped, not added twice;
///   - `driver` is the detected driver; `port` is written only when it is not the driver's
///     default;
///   - the result is validated with the daemon's loader (drop-ins included) before it replaces
///     the file (written to a temporary file beside it, then renamed), so a failed validation
///     leaves the file as it was.
///
/// Thread-safety: none needed (CLI, one thread). Errors: Errc::kConfig when the existing file
/// does not load or the result does not validate (the loader's messages); kStorage when the
/// file cannot be written.
#include <filesystem>
#include <string>
#include <vector>

#include "agent/cli/scanner.h"
#include "drivers/api/result.h"

namespace rigkeeper::cli {

struct ConfigAddition {
  std::string id;
  const ScanFound* device = nullptr;
};

struct ConfigWriteResult {
  std::vector<ConfigAddition> added;
  std::vector<std::string> skipped;  ///< hosts already in the config
};

/// The `[[devices]]` TOML for `additions`, after a comment line naming `origin`.
std::string devices_toml(const std::vector<ConfigAddition>& additions, const std::string& origin);

/// The id for `host` ("10.0.0.7" -> "miner-10-0-0-7") that is not in `taken`.
std::string device_id_for(const std::string& host, const std::vector<std::string>& taken);

/// Appends `found` to `file` (created when missing), as described above. `origin` goes into
/// the comment above the new entries (e.g. "rigkeeper scan 10.0.0.0/24").
Result<ConfigWriteResult> append_devices(const std::filesystem::path& file,
                                         const std::vector<ScanFound>& found,
                                         const std::string& origin);

}  // namespace rigkeeper::cli
