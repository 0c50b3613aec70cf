#include "drivers/gpu/nvml/nvml_library.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstring>

namespace rigkeeper::drivers::nvml {

struct NvmlLibrary::Symbols {
  api::InitFn init = nullptr;
  api::ShutdownFn shutdown = nullptr;
  api::ErrorStringFn error_string = nullptr;
  api::GetCountFn get_count = nullptr;
  api::GetHandleByIndexFn get_handle = nullptr;
  api::GetStringFn get_name = nullptr;
  api::GetStringFn get_uuid = nullptr;
  api::GetTemperatureFn get_temperature = nullptr;
  api::GetUintFn get_power_usage = nullptr;
  api::GetUintFn get_enforced_limit = nullptr;
  api::GetUtilizationFn get_utilization = nullptr;
  api::GetMemoryFn get_memory = nullptr;
  api::GetTotalEccFn get_total_ecc = nullptr;
  api::GetUllFn get_throttle_reasons = nullptr;
  api::SetPowerLimitFn set_power_limit = nullptr;
  // Optional: older drivers or the test fake may lack them; their fields then read null.
  api::SystemStringFn driver_version = nullptr;
  api::GetPciInfoFn get_pci_info = nullptr;
  api::GetUintFn get_pcie_replays = nullptr;
  api::GetRemappedRowsFn get_remapped_rows = nullptr;
  api::GetLimitConstraintsFn get_limit_constraints = nullptr;
};

namespace {

template <class F>
bool resolve(void* handle, const char* name, F& out) {
  out = reinterpret_cast<F>(::dlsym(handle, name));
  return out != nullptr;
}

// NVML strings are NUL-terminated within the buffer; never trust that blindly.
std::string from_buffer(const char* buf, size_t size) {
  return std::string(buf, ::strnlen(buf, size));
}

}  // namespace

Result<std::shared_ptr<NvmlLibrary>> NvmlLibrary::load(const std::string& path) {
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    return fail(Errc::kUnsupported, "NVML library " + path + " cannot be loaded (" +
                                        (why ? why : "unknown") +
                                        "): is the NVIDIA driver installed?");
  }
  std::shared_ptr<NvmlLibrary> lib(new NvmlLibrary());
  lib->path_ = path;
  lib->handle_ = handle;
  lib->fn_ = std::make_unique<Symbols>();
  Symbols& s = *lib->fn_;
  struct Required {
    const char* name;
    bool ok;
  };
  const Required required[] = {
      {"nvmlInit_v2", resolve(handle, "nvmlInit_v2", s.init)},
      {"nvmlShutdown", resolve(handle, "nvmlShutdown", s.shutdown)},
      {"nvmlErrorString", resolve(handle, "nvmlErrorString", s.error_string)},
      {"nvmlDeviceGetCount_v2", resolve(handle, "nvmlDeviceGetCount_v2", s.get_count)},
      {"nvmlDeviceGetHandleByIndex_v2",
       resolve(handle, "nvmlDeviceGetHandleByIndex_v2", s.get_handle)},
      {"nvmlDeviceGetName", resolve(handle, "nvmlDeviceGetName", s.get_name)},
      {"nvmlDeviceGetUUID", resolve(handle, "nvmlDeviceGetUUID", s.get_uuid)},
      {"nvmlDeviceGetTemperature", resolve(handle, "nvmlDeviceGetTemperature", s.get_temperature)},
      {"nvmlDeviceGetPowerUsage", resolve(handle, "nvmlDeviceGetPowerUsage", s.get_power_usage)},
      {"nvmlDeviceGetEnforcedPowerLimit",
       resolve(handle, "nvmlDeviceGetEnforcedPowerLimit", s.get_enforced_limit)},
      {"nvmlDeviceGetUtilizationRates",
       resolve(handle, "nvmlDeviceGetUtilizationRates", s.get_utilization)},
      {"nvmlDeviceGetMemoryInfo", resolve(handle, "nvmlDeviceGetMemoryInfo", s.get_memory)},
      {"nvmlDeviceGetTotalEccErrors",
       resolve(handle, "nvmlDeviceGetTotalEccErrors", s.get_total_ecc)},
      {"nvmlDeviceGetCurrentClocksThrottleReasons",
       resolve(handle, "nvmlDeviceGetCurrentClocksEventReasons", s.get_throttle_reasons) ||
           resolve(handle, "nvmlDeviceGetCurrentClocksThrottleReasons", s.get_throttle_reasons)},
      {"nvmlDeviceSetPowerManagementLimit",
       resolve(handle, "nvmlDeviceSetPowerManagementLimit", s.set_power_limit)},
  };
  for (const auto& r : required) {
    if (!r.ok) {
      return fail(Errc::kUnsupported,
                  "NVML library " + path + " lacks " + r.name + " (driver too old?)");
    }
  }
  resolve(handle, "nvmlSystemGetDriverVersion", s.driver_version);
  resolve(handle, "nvmlDeviceGetPciInfo_v3", s.get_pci_info);
  resolve(handle, "nvmlDeviceGetPcieReplayCounter", s.get_pcie_replays);
  resolve(handle, "nvmlDeviceGetRemappedRows", s.get_remapped_rows);
  resolve(handle, "nvmlDeviceGetPowerManagementLimitConstraints", s.get_limit_constraints);
  if (api::Return rc = s.init(); rc != api::kSuccess) {
    Error e = lib->nvml_error(rc, "nvmlInit_v2");
    lib->fn_->shutdown = nullptr;  // never initialised: no shutdown
    return tl::unexpected(e);
  }
  return lib;
}

NvmlLibrary::~NvmlLibrary() {
  if (fn_ && fn_->shutdown) fn_->shutdown();
  if (handle_ != nullptr) ::dlclose(handle_);
}

std::string NvmlLibrary::error_text(api::Return rc) const {
  const char* s = fn_->error_string ? fn_->error_string(rc) : nullptr;
  return s ? from_buffer(s, 256) : "NVML error " + std::to_string(rc);
}

Error NvmlLibrary::nvml_error(api::Return rc, const std::string& what) const {
  const Errc code = rc == api::kErrorNoPermission   ? Errc::kAuth
                    : rc == api::kErrorNotSupported ? Errc::kUnsupported
                                                    : Errc::kDeviceError;
  std::string msg = "NVML " + what + ": " + error_text(rc);
  if (rc == api::kErrorNoPermission) msg += " (needs root)";
  return Error{code, msg};
}

Result<unsigned int> NvmlLibrary::device_count() {
  std::lock_guard lock(mutex_);
  unsigned int n = 0;
  if (api::Return rc = fn_->get_count(&n); rc != api::kSuccess)
    return tl::unexpected(nvml_error(rc, "nvmlDeviceGetCount_v2"));
  return n;
}

Result<gpu::GpuNodeReading> NvmlLibrary::read_all() {
  std::lock_guard lock(mutex_);
  const Symbols& s = *fn_;
  unsigned int count = 0;
  if (api::Return rc = s.get_count(&count); rc != api::kSuccess)
    return tl::unexpected(nvml_error(rc, "nvmlDeviceGetCount_v2"));
  if (count > 64) return fail(Errc::kProtocol, "NVML reports " + std::to_string(count) + " GPUs");
  gpu::GpuNodeReading reading;
  if (s.driver_version) {
    char buf[96] = {};
    if (s.driver_version(buf, sizeof buf) == api::kSuccess)
      reading.driver_version = from_buffer(buf, sizeof buf);
  }
  for (unsigned int i = 0; i < count; ++i) {
    GpuInfo g;
    gpu::GpuHealth h;
    g.index = h.index = static_cast<int>(i);
    api::Device dev = nullptr;
    if (api::Return rc = s.get_handle(i, &dev); rc != api::kSuccess) {
      reading.errors.push_back("GPU " + std::to_string(i) + ": " + error_text(rc));
      h.lost = rc == api::kErrorGpuIsLost;
      reading.gpus.push_back(std::move(g));
      reading.health.push_back(std::move(h));
      continue;
    }
    char buf[96] = {};
    if (s.get_name(dev, buf, sizeof buf) == api::kSuccess) g.model = from_buffer(buf, sizeof buf);
    std::memset(buf, 0, sizeof buf);
    if (s.get_uuid(dev, buf, sizeof buf) == api::kSuccess) g.uuid = from_buffer(buf, sizeof buf);
    unsigned int u = 0;
    if (const api::Return rc = s.get_temperature(dev, api::kTemperatureGpu, &u);
        rc == api::kSuccess) {
      g.temp_c = u;
    } else if (rc == api::kErrorGpuIsLost) {
      h.lost = true;  // the GPU fell off the bus after its handle was taken
    }
    if (s.get_power_usage(dev, &u) == api::kSuccess) g.power_w = u / 1000.0;
    if (s.get_enforced_limit(dev, &u) == api::kSuccess) g.power_limit_w = u / 1000.0;
    api::Utilization util{};
    if (s.get_utilization(dev, &util) == api::kSuccess) g.util_pct = util.gpu;
    api::Memory mem{};
    if (s.get_memory(dev, &mem) == api::kSuccess) {
      g.mem_used_mib = static_cast<double>(mem.used) / (1024.0 * 1024.0);
      g.mem_total_mib = static_cast<double>(mem.total) / (1024.0 * 1024.0);
    }
    unsigned long long ull = 0;
    if (s.get_total_ecc(dev, api::kMemoryErrorCorrected, api::kVolatileEcc, &ull) == api::kSuccess)
      g.ecc_corrected = static_cast<int64_t>(ull);
    if (s.get_total_ecc(dev, api::kMemoryErrorUncorrected, api::kVolatileEcc, &ull) ==
        api::kSuccess)
      g.ecc_uncorrected = static_cast<int64_t>(ull);
    if (s.get_throttle_reasons(dev, &ull) == api::kSuccess)
      g.throttle_reasons = gpu::throttle_reason_names(ull);
    api::PciInfo pci{};
    if (s.get_pci_info && s.get_pci_info(dev, &pci) == api::kSuccess) {
      auto bd = gpu::pci_bus_device(from_buffer(pci.bus_id, sizeof pci.bus_id));
      if (!bd.empty()) h.pci = bd;
    }
    if (s.get_pcie_replays && s.get_pcie_replays(dev, &u) == api::kSuccess) h.pcie_replays = u;
    unsigned int corr = 0, unc = 0, pending = 0, failed = 0;
    if (s.get_remapped_rows &&
        s.get_remapped_rows(dev, &corr, &unc, &pending, &failed) == api::kSuccess) {
      h.remapped_rows_correctable = corr;
      h.remapped_rows_uncorrectable = unc;
      h.row_remap_pending = pending != 0;
      h.row_remap_failure = failed != 0;
    }
    reading.gpus.push_back(std::move(g));
    reading.health.push_back(std::move(h));
  }
  return reading;
}

Result<unsigned int> NvmlLibrary::set_power_limit(unsigned int index, unsigned int milliwatts) {
  std::lock_guard lock(mutex_);
  const Symbols& s = *fn_;
  api::Device dev = nullptr;
  if (api::Return rc = s.get_handle(index, &dev); rc != api::kSuccess)
    return tl::unexpected(nvml_error(rc, "GPU " + std::to_string(index)));
  unsigned int lo = 0, hi = 0;
  if (s.get_limit_constraints && s.get_limit_constraints(dev, &lo, &hi) == api::kSuccess &&
      lo <= hi && hi > 0) {
    milliwatts = std::clamp(milliwatts, lo, hi);
  }
  if (api::Return rc = s.set_power_limit(dev, milliwatts); rc != api::kSuccess) {
    return tl::unexpected(nvml_error(rc, "set power limit of GPU " + std::to_string(index) +
                                             " to " + std::to_string(milliwatts / 1000) + " W"));
  }
  unsigned int enforced = 0;
  if (api::Return rc = s.get_enforced_limit(dev, &enforced); rc != api::kSuccess)
    return tl::unexpected(nvml_error(rc, "read back power limit of GPU " + std::to_string(index)));
  return enforced;
}

}  // namespace rigkeeper::drivers::nvml
