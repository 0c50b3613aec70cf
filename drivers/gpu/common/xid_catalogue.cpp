#include "drivers/gpu/common/xid_catalogue.h"

#include <algorithm>
#include <array>

namespace rigkeeper::drivers::gpu {
namespace {

using A = XidAction;
constexpr std::string_view kNvs = "NVIDIA NVSentinel xiderrorsmapping.csv";
constexpr std::string_view kCat = "NVIDIA Xid catalog (docs.nvidia.com/deploy/xid-errors)";

// Adding a code is one line: {code, name, action, fatal, description, source}. Keep sorted.
constexpr std::array kCatalogue{
    XidEntry{13, "GR_EXCEPTION", A::kRestartApp, false,
             "graphics engine exception; usually the application, repeated on one TPC/GPC is HW",
             kNvs},
    XidEntry{31, "MMU_FAULT", A::kRestartApp, false,
             "GPU memory page fault; usually the application, repeated on one GPU is HW", kNvs},
    XidEntry{43, "RESET_CHANNEL_VERIF", A::kIgnore, false,
             "GPU stopped processing a channel; follows another Xid", kNvs},
    XidEntry{45, "PREEMPTIVE_REMOVAL", A::kIgnore, false,
             "preemptive cleanup after another error; alone: restart Fabric Manager", kNvs},
    XidEntry{46, "GPU_STOPPED_PROCESSING", A::kResetGpu, true,
             "GPU timeout; reset, replace if it recurs", kNvs},
    XidEntry{48, "DBE_ECC", A::kResetGpu, true,
             "double-bit (uncorrectable) ECC error; with 63/64 drain and reset", kNvs},
    XidEntry{54, "AUXILIARY_POWER", A::kInspectHardware, true,
             "power-reduced clocking: auxiliary power not connected or failing", kNvs},
    XidEntry{62, "PMU_HALT", A::kResetGpu, true, "internal micro-controller halt", kNvs},
    XidEntry{63, "ROW_REMAP_EVENT", A::kTrend, false,
             "row remapping / page retirement recorded; takes effect after reset", kNvs},
    XidEntry{64, "ROW_REMAP_FAILURE", A::kResetGpu, true,
             "row remapping / page retirement failed; repeated after reboot: RMA", kNvs},
    XidEntry{74, "NVLINK_ERROR", A::kInspectHardware, true,
             "NVLink error; more than twice on one link is hardware", kNvs},
    XidEntry{79, "GPU_FALLEN_OFF_BUS", A::kRebootNode, true,
             "GPU has fallen off the bus; repeated: GPU or slot bad", kNvs},
    XidEntry{92, "HIGH_SBE_RATE", A::kTrend, false,
             "excessive single-bit ECC rate; precursor of Xid 48", kNvs},
    XidEntry{94, "CONTAINED_ECC", A::kRestartApp, false,
             "contained ECC error; other applications continue, reboot when convenient", kNvs},
    XidEntry{95, "UNCONTAINED_ECC", A::kResetGpu, true, "uncontained ECC error", kNvs},
    XidEntry{109, "CTX_SWITCH_TIMEOUT", A::kResetGpu, true, "context switch timeout", kNvs},
    XidEntry{110, "SECURITY_FAULT", A::kResetGpu, true, "security fault", kNvs},
    XidEntry{119, "GSP_RPC_TIMEOUT", A::kResetGpu, true,
             "GSP RPC timeout; investigate driver and firmware", kNvs},
    XidEntry{120, "GSP_ERROR", A::kResetGpu, true, "GSP error", kNvs},
    XidEntry{121, "C2C_ERROR", A::kIgnore, false, "C2C link corrected error", kNvs},
    XidEntry{136, "NVLINK_ALI_TRAINING", A::kResetGpu, true,
             "NVLink ALI training failed; check link signal integrity and mechanics", kNvs},
    XidEntry{140, "ECC_UNRECOVERED", A::kResetGpu, true, "unrecovered ECC escape", kNvs},
    XidEntry{143, "GPU_INIT_ERROR", A::kResetGpu, true,
             "GPU initialisation error; persists across reboot: hardware", kNvs},
    XidEntry{144, "NVLINK_SAW_ERROR", A::kInspectHardware, true, "NVLink5 SAW error", kNvs},
    XidEntry{145, "NVLINK_RLW_ERROR", A::kInspectHardware, true, "NVLink5 RLW error", kNvs},
    XidEntry{146, "NVLINK_TLW_ERROR", A::kInspectHardware, true, "NVLink5 TLW error", kNvs},
    XidEntry{147, "NVLINK_TREX_ERROR", A::kInspectHardware, true, "NVLink5 TREX error", kNvs},
    XidEntry{148, "NVLINK_NVLPW_ERROR", A::kInspectHardware, true, "NVLink5 NVLPW error", kNvs},
    XidEntry{149, "NVLINK_NETIR_ERROR", A::kInspectHardware, true, "NVLink5 NETIR error", kNvs},
    XidEntry{150, "NVLINK_MSE_ERROR", A::kInspectHardware, true, "NVLink5 MSE error", kNvs},
    XidEntry{154, "RECOVERY_ACTION_CHANGED", A::kIgnore, false,
             "GPU recovery action changed; follow the Xid it refers to", kCat},
    XidEntry{155, "NVLINK_SW_DEFINED", A::kResetGpu, true, "NVLink software-defined error", kNvs},
    XidEntry{156, "RESOURCE_RETIREMENT", A::kResetGpu, true, "resource retirement event", kNvs},
    XidEntry{158, "FATAL_TIMEOUT", A::kResetGpu, true, "fatal timeout", kNvs},
    XidEntry{160, "CHANNEL_RETIREMENT", A::kRebootNode, true, "channel retirement", kNvs},
};

static_assert(std::is_sorted(kCatalogue.begin(), kCatalogue.end(),
                             [](const XidEntry& a, const XidEntry& b) { return a.code < b.code; }),
              "keep the Xid catalogue sorted by code");

}  // namespace

std::span<const XidEntry> xid_catalogue() { return kCatalogue; }

const XidEntry* find_xid(int code) {
  auto it = std::lower_bound(kCatalogue.begin(), kCatalogue.end(), code,
                             [](const XidEntry& e, int c) { return e.code < c; });
  return it != kCatalogue.end() && it->code == code ? &*it : nullptr;
}

std::string_view to_string(XidAction action) {
  switch (action) {
    case A::kIgnore:
      return "ignore";
    case A::kTrend:
      return "trend";
    case A::kRestartApp:
      return "restart_app";
    case A::kInspectHardware:
      return "inspect_hardware";
    case A::kResetGpu:
      return "reset_gpu";
    case A::kRebootNode:
      return "reboot_node";
  }
  return "ignore";
}

bool xid_is_fatal(int code) {
  const XidEntry* e = find_xid(code);
  return e != nullptr && e->fatal;
}

std::string xid_action_text(int code, int gpu_index) {
  const std::string gpu = "GPU " + std::to_string(gpu_index);
  const XidEntry* e = find_xid(code);
  if (e == nullptr) return "look up Xid " + std::to_string(code) + " for " + gpu;
  switch (e->action) {
    case A::kIgnore:
      return "none (Xid " + std::to_string(code) + " is informational)";
    case A::kTrend:
      return "watch the trend of Xid " + std::to_string(code) + " on " + gpu;
    case A::kRestartApp:
      return "restart the application on " + gpu;
    case A::kInspectHardware:
      return "inspect power and links of " + gpu + ", then reset it";
    case A::kResetGpu:
      return "drain and reset " + gpu;
    case A::kRebootNode:
      return "drain and reboot node (" + gpu + ")";
  }
  return "look up Xid " + std::to_string(code);
}

}  // namespace rigkeeper::drivers::gpu
