#pragma once
/// Xid events from the kernel log: the NVIDIA driver writes
/// `NVRM: Xid (PCI:0000:3b:00): 79, pid=..., name=..., GPU has fallen off the bus.`
/// parse_xid_line() reads one such line (pure); KernelXidReader follows /dev/kmsg (or any log
/// file) and returns the Xid lines that arrived since the last call.
///
/// Thread-safety: the parsers are pure; a KernelXidReader belongs to one caller.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/api/result.h"

namespace rigkeeper::drivers::gpu {

/// One Xid line of the kernel log.
struct XidEvent {
  std::string pci;  ///< "0000:3b:00" as the driver printed it, lower-cased
  int code = 0;
  std::optional<int64_t> pid;  ///< nullopt when the driver printed '<unknown>'
  std::string process;         ///< name=..., empty when unknown
  std::string message;         ///< the rest of the line, trimmed
};

/// The Xid event of one log line, or nullopt when the line is not an NVRM Xid line (a /dev/kmsg
/// record prefix "6,1234,5678,-;" and a dmesg "[ 12.34] " timestamp are accepted).
std::optional<XidEvent> parse_xid_line(std::string_view line);

/// Every Xid event in a block of log text, in order.
std::vector<XidEvent> parse_xid_lines(std::string_view text);

/// "bus:device" in lower-case hex from a PCI address as the driver, nvidia-smi or NVML print it
/// ("0000:3B:00", "00000000:3B:00.0", "PCI:0000:3b:00"), for matching Xid lines to GPUs; empty
/// when the text is not a PCI address.
std::string pci_bus_device(std::string_view address);

/// Follows a kernel log: /dev/kmsg (needs root or CAP_SYSLOG) or a plain file. The first call
/// returns what the log holds now (the whole kmsg ring); later calls what arrived since.
class KernelXidReader {
 public:
  explicit KernelXidReader(std::string path, size_t max_bytes_per_call = 1u << 20);
  ~KernelXidReader();
  KernelXidReader(const KernelXidReader&) = delete;
  KernelXidReader& operator=(const KernelXidReader&) = delete;

  /// New Xid events. Errors: kUnsupported when the log cannot be opened (permission), naming
  /// the path; the reader retries opening on the next call.
  Result<std::vector<XidEvent>> read_new();

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  size_t max_bytes_;
  int fd_ = -1;
  std::string partial_;  ///< an unterminated last line of a plain file, kept for the next call
};

}  // namespace rigkeeper::drivers::gpu
