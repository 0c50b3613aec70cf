#pragma once
/// Keeps the last Xid of each GPU of a local node from the kernel log across polls (the log
/// reader only returns what is new), and applies it to each reading. An unreadable log (not
/// root) is said once per reading as an `errors` line, never a failed poll.
///
/// Thread-safety: one owner; call from one thread at a time (the drivers call it off the loop,
/// serialised by their poll).
#include <map>
#include <memory>
#include <string>

#include "drivers/gpu/common/gpu_node.h"
#include "drivers/gpu/common/kernel_xid.h"

namespace rigkeeper::drivers::gpu {

class XidTracker {
 public:
  /// `log_path` empty: Xid tracking off.
  explicit XidTracker(std::string log_path);

  /// Reads new log lines and sets xid_last on the reading's GPUs.
  void apply(GpuNodeReading& reading);

 private:
  std::unique_ptr<KernelXidReader> reader_;
  std::map<std::string, XidEvent> last_by_pci_;  ///< keyed by the raw PCI text of the line
};

}  // namespace rigkeeper::drivers::gpu
