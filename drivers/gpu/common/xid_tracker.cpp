#include "drivers/gpu/common/xid_tracker.h"

#include <vector>

namespace rigkeeper::drivers::gpu {

namespace {
constexpr size_t kMaxAddresses = 64;
}  // namespace

XidTracker::XidTracker(std::string log_path) {
  if (!log_path.empty()) reader_ = std::make_unique<KernelXidReader>(std::move(log_path));
}

void XidTracker::apply(GpuNodeReading& reading) {
  if (!reader_) return;
  auto fresh = reader_->read_new();
  if (!fresh) {
    reading.errors.push_back(fresh.error().message);
  } else {
    for (XidEvent& ev : *fresh) {
      // A node has a handful of GPUs; a log naming hundreds of addresses is not to be trusted.
      if (last_by_pci_.size() >= kMaxAddresses && !last_by_pci_.count(ev.pci)) continue;
      last_by_pci_[ev.pci] = std::move(ev);
    }
  }
  std::vector<XidEvent> events;
  for (const auto& [pci, ev] : last_by_pci_) events.push_back(ev);
  apply_xid_events(reading, events);
}

}  // namespace rigkeeper::drivers::gpu
