#pragma once
/// Runs the nvidia-smi program (never through a shell) and parses what it prints: the CSV
/// query first, the same with the pre-r530 field names when the driver rejects the new ones,
/// and `-q -x` XML as the last resort (or first, when asked).
///
/// Thread-safety: blocking; call off the io_context (off_loop).
#include <chrono>
#include <string>

#include "drivers/api/result.h"
#include "drivers/gpu/common/gpu_node.h"

namespace rigkeeper::drivers::nvidia_smi {

struct RunnerOptions {
  std::string program = "nvidia-smi";  ///< path, or a name looked up in PATH
  bool prefer_xml = false;
  std::chrono::milliseconds timeout{15000};
};

/// One reading of the local GPUs. Errors: kUnsupported (program missing), kTimeout, kDeviceError
/// (non-zero exit: its first output line, e.g. "NVIDIA-SMI has failed because it couldn't
/// communicate with the NVIDIA driver"), kProtocol (output that does not parse).
Result<gpu::GpuNodeReading> read_local(const RunnerOptions& options);

}  // namespace rigkeeper::drivers::nvidia_smi
