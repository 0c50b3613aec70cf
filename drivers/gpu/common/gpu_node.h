#pragma once
/// What every GPU-node driver (dcgm, nvml, nvidia-smi) shares once its source is parsed: the
/// throttle-reason names, the per-GPU health counters the contract's `gpus` object has no field
/// for, the node's state rule and the assembly of the contract snapshot.
///
/// Decision (docs/drivers/dcgm.md): PCIe replays and row-remapping counters are not in the
/// contract's `gpus` object, so they stay in GpuHealth (internal, never serialised) and become
/// lines of the snapshot's `errors` when they are non-zero or failed, which is what diagnostics
/// sees ("GPU 0: 3 PCIe replays").
///
/// Thread-safety: pure functions on values.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "drivers/api/telemetry.h"
#include "drivers/gpu/common/kernel_xid.h"

namespace rigkeeper::drivers::gpu {

/// NVML clock throttle (clocks event) reason bits, as nvmlDeviceGetCurrentClocksThrottleReasons
/// and nvidia-smi's clocks_event_reasons.active report them.
inline constexpr uint64_t kThrottleGpuIdle = 0x1;
inline constexpr uint64_t kThrottleAppClocks = 0x2;
inline constexpr uint64_t kThrottleSwPowerCap = 0x4;
inline constexpr uint64_t kThrottleHwSlowdown = 0x8;
inline constexpr uint64_t kThrottleSyncBoost = 0x10;
inline constexpr uint64_t kThrottleSwThermal = 0x20;
inline constexpr uint64_t kThrottleHwThermal = 0x40;
inline constexpr uint64_t kThrottleHwPowerBrake = 0x80;
inline constexpr uint64_t kThrottleDisplayClocks = 0x100;

/// Names of the set bits, in nvidia-smi's words ("gpu_idle", "sw_power_cap",
/// "hw_thermal_slowdown", ...); unknown bits as "bit_N".
std::vector<std::string> throttle_reason_names(uint64_t mask);

/// The nvidia-smi name of a reason, normalised from the XML/CSV key forms
/// ("clocks_throttle_reason_hw_slowdown", "clocks_event_reasons.hw_slowdown" -> "hw_slowdown").
std::string throttle_reason_from_key(std::string_view key);

/// Health counters of one GPU that the contract's `gpus` object has no field for.
struct GpuHealth {
  int index = 0;
  std::optional<std::string> pci;  ///< "bus:device" (pci_bus_device), to match Xid lines
  std::optional<int64_t> pcie_replays;
  std::optional<int64_t> remapped_rows_correctable;
  std::optional<int64_t> remapped_rows_uncorrectable;
  std::optional<bool> row_remap_pending;
  std::optional<bool> row_remap_failure;
  bool lost = false;  ///< the source says the GPU is lost / fell off the bus
};

/// One parsed reading of a node, before it becomes a snapshot.
struct GpuNodeReading {
  std::vector<GpuInfo> gpus;
  std::vector<GpuHealth> health;  ///< same order as gpus (may be shorter)
  std::optional<std::string> driver_version;
  std::vector<std::string> errors;  ///< parse notes: unreadable fields, dropped sentinels
};

/// Sets xid_last of the GPU each event names (matched on PCI bus:device; with one GPU and no
/// PCI address known, that GPU). Events naming no known GPU become lines of `errors`.
void apply_xid_events(GpuNodeReading& reading, const std::vector<XidEvent>& events);

/// fault when any GPU's last Xid is fatal (catalogue), its row remapping failed or it is lost,
/// or when no GPU is reported; serving otherwise.
DeviceState gpu_node_state(const GpuNodeReading& reading);

/// The contract snapshot of a reading: kind gpu_node, make "NVIDIA", model (the GPUs' model,
/// "N x MODEL"), power_w and power_limit_w summed over the GPUs that report them (null when
/// none does), state by gpu_node_state, health counters and fatal Xids as `errors` lines.
/// device_id, host and ts are the caller's; derive_fields is applied.
DeviceSnapshot make_gpu_node_snapshot(GpuNodeReading reading, std::string firmware);

}  // namespace rigkeeper::drivers::gpu
