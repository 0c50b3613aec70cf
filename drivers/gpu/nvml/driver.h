#pragma once
/// The nvml driver: the controller's own GPUs through NVML, loaded at run time (dlopen;
/// nvml_library.h). When the library cannot be loaded it reads through nvidia-smi instead
/// (config nvml_fallback, on by default) and says so in the snapshot's errors. Xid events come
/// from the kernel log. set_power sets the GPUs' power limits (root only) and reads them back;
/// switch_workload runs the configured hook. Host is "localhost".
#include <memory>
#include <mutex>
#include <optional>

#include "drivers/gpu/common/gpu_node_driver.h"
#include "drivers/gpu/common/xid_tracker.h"
#include "drivers/gpu/nvidia_smi/runner.h"
#include "drivers/gpu/nvml/nvml_library.h"

namespace rigkeeper::drivers::nvml {

class NvmlDriver final : public gpu::GpuNodeDriver {
 public:
  NvmlDriver(asio::any_io_executor executor, const DeviceConfig& config);

 protected:
  asio::awaitable<Result<gpu::GpuNodeReading>> read() override;
  asio::awaitable<Result<CommandOutcome>> execute_other(const DeviceCommand& cmd) override;

 private:
  /// State shared with the threads that call NVML (the library is loaded on first use).
  struct Shared {
    std::mutex mutex;
    std::string library_path;
    std::shared_ptr<NvmlLibrary> library;
    std::optional<Error> load_error;
    Result<std::shared_ptr<NvmlLibrary>> get();
  };
  std::shared_ptr<Shared> shared_;
  bool fallback_ = true;
  nvidia_smi::RunnerOptions smi_;
  std::shared_ptr<gpu::XidTracker> xids_;
};

int match(const Probe& probe);  ///< always 0: configured, never detected
Identity identify(const Probe& probe);

const DriverInfo& driver_info();

}  // namespace rigkeeper::drivers::nvml
