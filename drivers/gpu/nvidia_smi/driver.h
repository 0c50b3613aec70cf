#pragma once
/// The nvidia-smi driver: the controller's own GPUs (a local GPU node), read by running
/// nvidia-smi with a deadline (runner.h), Xid events from the kernel log (xid_tracker.h), and
/// switch_workload through the configured hook. Host is "localhost".
#include "drivers/gpu/common/gpu_node_driver.h"
#include "drivers/gpu/common/xid_tracker.h"
#include "drivers/gpu/nvidia_smi/runner.h"

namespace rigkeeper::drivers::nvidia_smi {

class NvidiaSmiDriver final : public gpu::GpuNodeDriver {
 public:
  NvidiaSmiDriver(asio::any_io_executor executor, const DeviceConfig& config);

 protected:
  asio::awaitable<Result<gpu::GpuNodeReading>> read() override;

 private:
  RunnerOptions runner_;
  std::shared_ptr<gpu::XidTracker> xids_;  ///< shared with the reading thread
};

/// Config keys shared with the nvml driver's fallback: nvidia_smi_path, nvidia_smi_format,
/// nvidia_smi_timeout_s, kernel_log.
std::vector<ConfigKey> local_config_keys();
RunnerOptions runner_options_from(const Options& options);
std::string kernel_log_from(const Options& options);

/// Probe matcher: always 0 (a local source; configured, never detected on the network).
int match(const Probe& probe);
Identity identify(const Probe& probe);

const DriverInfo& driver_info();

}  // namespace rigkeeper::drivers::nvidia_smi
