#pragma once
/// The part every GPU-node driver shares: the device's identity, the snapshot's device_id /
/// host / ts, and switch_workload through the configured hook with the state read back by a
/// poll. Subclasses implement read() (one parsed reading) and may add control verbs.
///
/// Threading: as Driver (one io_context thread); the hook runs off the loop.
#include <string>

#include "drivers/api/driver.h"
#include "drivers/gpu/common/gpu_node.h"
#include "drivers/gpu/common/workload_hook.h"

namespace rigkeeper::drivers::gpu {

class GpuNodeDriver : public Driver {
 public:
  GpuNodeDriver(asio::any_io_executor executor, const DeviceConfig& config, std::string firmware);

  asio::awaitable<Result<DeviceSnapshot>> poll() override;
  asio::awaitable<Result<CommandOutcome>> execute(const DeviceCommand& cmd) override;

 protected:
  /// One reading of the node; errors name the source (URL, library, program).
  virtual asio::awaitable<Result<GpuNodeReading>> read() = 0;
  /// Control verbs other than switch_workload; default kUnsupported.
  virtual asio::awaitable<Result<CommandOutcome>> execute_other(const DeviceCommand& cmd);
  /// Prefixes "device <id>: " to an error's message.
  Error name_device(Error e) const;
  /// Reads the state back after a verb into `outcome` (offline when the poll fails).
  asio::awaitable<void> read_back(CommandOutcome& outcome);

  asio::any_io_executor executor_;
  std::string device_id_;
  std::string host_;
  std::string firmware_;
  WorkloadHook hook_;
};

}  // namespace rigkeeper::drivers::gpu
