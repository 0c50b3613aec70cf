#pragma once
/// switch_workload for GPU nodes: runs the node's configured hook (an executable, never a shell
/// line) with the workload as its one argument ("ai", "mining" or "idle"), under a deadline,
/// and reports its exit code and the tail of its output in the command's outcome. What the
/// hook does (drain a scheduler, start a miner) is the site's business.
///
/// Config keys (declared by every GPU driver): workload_hook (path), workload_timeout_s.
/// Thread-safety: the hook runs on its own thread (off_loop); the coroutine resumes on the
/// caller's executor.
#include <chrono>
#include <string>
#include <vector>

#include "drivers/api/driver.h"

namespace rigkeeper::drivers::gpu {

struct WorkloadHook {
  std::string path;  ///< empty: switch_workload is unsupported on this node
  std::chrono::milliseconds timeout{120000};
  size_t output_cap = 16 * 1024;
};

/// The config keys of the hook, for DriverInfo::config_keys.
std::vector<ConfigKey> workload_config_keys();

/// The hook of a device, from its validated options.
WorkloadHook workload_hook_from(const Options& options);

/// Runs the hook for a switch_workload command. Errors: kInvalidArgument (workload missing or
/// not ai/mining/idle), kUnsupported (no hook configured, or it cannot be started),
/// kDeviceError (non-zero exit or timeout; the message carries the exit and output tail). On
/// success the outcome's detail carries them; its state is left for the caller to read back.
asio::awaitable<Result<CommandOutcome>> run_workload_hook(const WorkloadHook& hook,
                                                          const DeviceCommand& command,
                                                          const std::string& device_id);

}  // namespace rigkeeper::drivers::gpu
