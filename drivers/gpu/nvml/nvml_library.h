#pragma once
/// NVML loaded at run time with dlopen: no build dependency on NVIDIA headers or libraries.
/// An absent library or missing required symbol is a clear kUnsupported error naming the path.
/// Tests load a fake library through the same code by giving its path.
///
/// Thread-safety: every method may be called from any thread; calls are serialised by an
/// internal mutex. NVML calls can block for a while (a GPU falling off the bus): call them off
/// the io_context (off_loop).
#include <memory>
#include <mutex>
#include <string>

#include "drivers/api/result.h"
#include "drivers/gpu/common/gpu_node.h"
#include "drivers/gpu/nvml/nvml_api.h"

namespace rigkeeper::drivers::nvml {

inline constexpr const char* kDefaultLibrary = "libnvidia-ml.so.1";

class NvmlLibrary {
 public:
  /// dlopens `path` (a name looked up by the dynamic loader, or a path), resolves the symbols
  /// and calls nvmlInit_v2. Errors: kUnsupported (library or symbol missing), kDeviceError
  /// (nvmlInit_v2 failed, with NVML's message).
  static Result<std::shared_ptr<NvmlLibrary>> load(const std::string& path);
  ~NvmlLibrary();  ///< nvmlShutdown, dlclose
  NvmlLibrary(const NvmlLibrary&) = delete;
  NvmlLibrary& operator=(const NvmlLibrary&) = delete;

  /// Every GPU's reading. A field NVML does not support reads as null; a GPU whose handle
  /// cannot be had (lost) is reported with only its index and an `errors` line.
  Result<gpu::GpuNodeReading> read_all();

  /// Sets GPU `index`'s power limit (mW), clamped to its constraints when NVML says them, and
  /// returns the enforced limit read back (mW). kAuth without root (NVML_ERROR_NO_PERMISSION).
  Result<unsigned int> set_power_limit(unsigned int index, unsigned int milliwatts);

  /// Number of GPUs.
  Result<unsigned int> device_count();

  const std::string& path() const { return path_; }

 private:
  NvmlLibrary() = default;
  std::string error_text(api::Return rc) const;
  Error nvml_error(api::Return rc, const std::string& what) const;

  std::mutex mutex_;
  std::string path_;
  void* handle_ = nullptr;
  struct Symbols;
  std::unique_ptr<Symbols> fn_;
};

}  // namespace rigkeeper::drivers::nvml
