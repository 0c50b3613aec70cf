#include "drivers/gpu/common/gpu_node.h"

#include <array>
#include <utility>

#include "drivers/gpu/common/xid_catalogue.h"

namespace rigkeeper::drivers::gpu {
namespace {

constexpr std::array<std::pair<uint64_t, const char*>, 9> kReasonNames{{
    {kThrottleGpuIdle, "gpu_idle"},
    {kThrottleAppClocks, "applications_clocks_setting"},
    {kThrottleSwPowerCap, "sw_power_cap"},
    {kThrottleHwSlowdown, "hw_slowdown"},
    {kThrottleSyncBoost, "sync_boost"},
    {kThrottleSwThermal, "sw_thermal_slowdown"},
    {kThrottleHwThermal, "hw_thermal_slowdown"},
    {kThrottleHwPowerBrake, "hw_power_brake_slowdown"},
    {kThrottleDisplayClocks, "display_clocks_setting"},
}};

std::string gpu_prefix(int index) { return "GPU " + std::to_string(index) + ": "; }

void add_health_errors(const GpuHealth& h, std::vector<std::string>& errors) {
  const std::string p = gpu_prefix(h.index);
  if (h.pcie_replays && *h.pcie_replays > 0)
    errors.push_back(p + std::to_string(*h.pcie_replays) + " PCIe replays");
  if (h.remapped_rows_uncorrectable && *h.remapped_rows_uncorrectable > 0)
    errors.push_back(p + std::to_string(*h.remapped_rows_uncorrectable) +
                     " rows remapped for uncorrectable errors");
  if (h.remapped_rows_correctable && *h.remapped_rows_correctable > 0)
    errors.push_back(p + std::to_string(*h.remapped_rows_correctable) +
                     " rows remapped for correctable errors");
  if (h.row_remap_pending.value_or(false))
    errors.push_back(p + "row remapping pending (reset the GPU to apply)");
  if (h.row_remap_failure.value_or(false)) errors.push_back(p + "row remapping failed");
  if (h.lost) errors.push_back(p + "GPU is lost (fallen off the bus): drain and reboot node");
}

}  // namespace

std::vector<std::string> throttle_reason_names(uint64_t mask) {
  std::vector<std::string> out;
  uint64_t known = 0;
  for (const auto& [bit, name] : kReasonNames) {
    known |= bit;
    if (mask & bit) out.emplace_back(name);
  }
  for (int b = 0; b < 64; ++b) {
    const uint64_t bit = uint64_t{1} << b;
    if ((mask & bit) && !(known & bit)) out.push_back("bit_" + std::to_string(b));
  }
  return out;
}

std::string throttle_reason_from_key(std::string_view key) {
  for (std::string_view prefix :
       {std::string_view("clocks_throttle_reason_"), std::string_view("clocks_event_reason_"),
        std::string_view("clocks_event_reasons."), std::string_view("clocks_throttle_reasons.")}) {
    if (key.starts_with(prefix)) return std::string(key.substr(prefix.size()));
  }
  return std::string(key);
}

void apply_xid_events(GpuNodeReading& reading, const std::vector<XidEvent>& events) {
  for (const XidEvent& ev : events) {
    const std::string where = pci_bus_device(ev.pci);
    GpuInfo* target = nullptr;
    for (size_t i = 0; i < reading.health.size() && i < reading.gpus.size(); ++i) {
      if (reading.health[i].pci && !where.empty() && *reading.health[i].pci == where)
        target = &reading.gpus[i];
    }
    if (target == nullptr && reading.gpus.size() == 1 &&
        (reading.health.empty() || !reading.health[0].pci)) {
      target = &reading.gpus[0];
    }
    if (target != nullptr) {
      target->xid_last = ev.code;
    } else {
      reading.errors.push_back("Xid " + std::to_string(ev.code) + " on PCI " + ev.pci +
                               " (no GPU of this node at that address)");
    }
  }
}

DeviceState gpu_node_state(const GpuNodeReading& reading) {
  if (reading.gpus.empty()) return DeviceState::kFault;
  for (const GpuInfo& g : reading.gpus)
    if (g.xid_last && xid_is_fatal(*g.xid_last)) return DeviceState::kFault;
  for (const GpuHealth& h : reading.health)
    if (h.row_remap_failure.value_or(false) || h.lost) return DeviceState::kFault;
  return DeviceState::kServing;
}

DeviceSnapshot make_gpu_node_snapshot(GpuNodeReading reading, std::string firmware) {
  DeviceSnapshot s;
  s.kind = DeviceKind::kGpuNode;
  s.make = "NVIDIA";
  s.firmware = std::move(firmware);
  s.firmware_version = reading.driver_version;
  s.state = gpu_node_state(reading);
  std::optional<std::string> model;
  bool mixed = false;
  for (const GpuInfo& g : reading.gpus) {
    if (g.power_w) s.power_w = s.power_w.value_or(0) + *g.power_w;
    if (g.power_limit_w) s.power_limit_w = s.power_limit_w.value_or(0) + *g.power_limit_w;
    if (g.model) {
      if (model && *model != *g.model) mixed = true;
      if (!model) model = g.model;
    }
    if (g.xid_last && xid_is_fatal(*g.xid_last)) {
      const XidEntry* e = find_xid(*g.xid_last);
      s.errors.push_back(gpu_prefix(g.index) + "Xid " + std::to_string(*g.xid_last) + " " +
                         std::string(e->name) + ": " + xid_action_text(*g.xid_last, g.index));
    }
  }
  if (reading.gpus.empty()) s.errors.push_back("no GPU reported");
  if (model) {
    s.model = mixed ? "mixed NVIDIA GPUs" : std::to_string(reading.gpus.size()) + " x " + *model;
  } else {
    s.model = "GPU node";
  }
  for (const GpuHealth& h : reading.health) add_health_errors(h, s.errors);
  for (std::string& e : reading.errors) s.errors.push_back(std::move(e));
  s.gpus = std::move(reading.gpus);
  derive_fields(s);
  return s;
}

}  // namespace rigkeeper::drivers::gpu
