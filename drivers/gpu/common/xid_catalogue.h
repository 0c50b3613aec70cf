#pragma once
/// NVIDIA Xid error catalogue: what each Xid code means and what NVIDIA recommends doing about
/// it (reset the GPU, reboot the node, restart the application, ignore but trend). The table is
/// data (xid_catalogue.cpp, one line per code), used by the GPU nodes' state and by diagnostics.
///
/// Thread-safety: immutable static data; every function is safe from any thread.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rigkeeper::drivers::gpu {

/// NVIDIA's recommended action for an Xid, most severe last.
enum class XidAction {
  kIgnore,           ///< informational or a consequence of another Xid
  kTrend,            ///< no action now; count it (wear, precursor of a fatal Xid)
  kRestartApp,       ///< the application hit it; restart the job, the GPU is fine
  kInspectHardware,  ///< check mechanics / power delivery / links, then reset
  kResetGpu,         ///< drain the GPU and reset it (reboot if the reset fails)
  kRebootNode,       ///< reboot the whole node (bare-metal restart)
};

/// One catalogue row.
struct XidEntry {
  int code = 0;
  std::string_view name;  ///< short mnemonic, e.g. "GPU_FALLEN_OFF_BUS"
  XidAction action = XidAction::kIgnore;
  bool fatal = false;  ///< the GPU cannot serve work until the action is taken
  std::string_view description;
  std::string_view source;  ///< where the action comes from (NVSentinel CSV, NVIDIA docs)
};

/// Every known Xid, ordered by code.
std::span<const XidEntry> xid_catalogue();

/// The row for `code`, or nullptr for a code the catalogue does not know.
const XidEntry* find_xid(int code);

/// Stable lower_snake name of an action ("reset_gpu", "reboot_node", ...).
std::string_view to_string(XidAction action);

/// True when this Xid stops the GPU from serving: a catalogued fatal code. Unknown codes are
/// not fatal (they are reported, never invented into a fault).
bool xid_is_fatal(int code);

/// What a technician or the agent should do, in the contract's event `action` words, e.g.
/// "drain and reset GPU 3", "reboot node", "restart the application on GPU 0".
std::string xid_action_text(int code, int gpu_index);

}  // namespace rigkeeper::drivers::gpu
