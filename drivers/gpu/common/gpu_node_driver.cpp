#include "drivers/gpu/common/gpu_node_driver.h"

namespace rigkeeper::drivers::gpu {

GpuNodeDriver::GpuNodeDriver(asio::any_io_executor executor, const DeviceConfig& config,
                             std::string firmware)
    : executor_(std::move(executor)),
      device_id_(config.id),
      host_(config.host),
      firmware_(std::move(firmware)),
      hook_(workload_hook_from(config.options)) {}

Error GpuNodeDriver::name_device(Error e) const {
  e.message = "device " + device_id_ + ": " + e.message;
  return e;
}

asio::awaitable<Result<DeviceSnapshot>> GpuNodeDriver::poll() {
  // Readers return errors as values (their parsers never throw on device bytes).
  Result<GpuNodeReading> reading = co_await read();
  if (!reading) co_return tl::unexpected(name_device(reading.error()));
  DeviceSnapshot snap = make_gpu_node_snapshot(std::move(*reading), firmware_);
  snap.device_id = device_id_;
  snap.host = host_;
  snap.ts = now_ms();
  co_return snap;
}

asio::awaitable<void> GpuNodeDriver::read_back(CommandOutcome& outcome) {
  auto snap = co_await poll();
  outcome.state = snap ? snap->state : DeviceState::kOffline;
}

asio::awaitable<Result<CommandOutcome>> GpuNodeDriver::execute(const DeviceCommand& cmd) {
  if (cmd.type != "switch_workload") co_return co_await execute_other(cmd);
  auto outcome = co_await run_workload_hook(hook_, cmd, device_id_);
  if (!outcome) co_return outcome;
  co_await read_back(*outcome);
  co_return outcome;
}

asio::awaitable<Result<CommandOutcome>> GpuNodeDriver::execute_other(const DeviceCommand& cmd) {
  co_return fail(Errc::kUnsupported,
                 "device " + device_id_ + ": " + cmd.type + " is not supported by " + firmware_);
}

}  // namespace rigkeeper::drivers::gpu
