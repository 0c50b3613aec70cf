#include "drivers/gpu/nvml/driver.h"

#include <cmath>

#include "drivers/gpu/common/off_loop.h"
#include "drivers/gpu/nvidia_smi/driver.h"

namespace rigkeeper::drivers::nvml {

Result<std::shared_ptr<NvmlLibrary>> NvmlDriver::Shared::get() {
  std::lock_guard lock(mutex);
  if (library) return library;
  auto loaded = NvmlLibrary::load(library_path);
  if (!loaded) return tl::unexpected(loaded.error());
  library = *loaded;
  return library;
}

NvmlDriver::NvmlDriver(asio::any_io_executor executor, const DeviceConfig& config)
    : GpuNodeDriver(std::move(executor), config, "nvml"),
      shared_(std::make_shared<Shared>()),
      fallback_(config.options.get_bool("nvml_fallback").value_or(true)),
      smi_(nvidia_smi::runner_options_from(config.options)),
      xids_(std::make_shared<gpu::XidTracker>(nvidia_smi::kernel_log_from(config.options))) {
  shared_->library_path = config.options.get_string("nvml_library").value_or(kDefaultLibrary);
  if (host_.empty()) host_ = "localhost";
}

asio::awaitable<Result<gpu::GpuNodeReading>> NvmlDriver::read() {
  std::function<Result<gpu::GpuNodeReading>()> job =
      [shared = shared_, fallback = fallback_, smi = smi_,
       xids = xids_]() -> Result<gpu::GpuNodeReading> {
    Result<gpu::GpuNodeReading> reading = fail(Errc::kInternal, "not read");
    auto lib = shared->get();
    if (lib) {
      reading = (*lib)->read_all();
    } else if (fallback) {
      reading = nvidia_smi::read_local(smi);
      if (reading) {
        reading->errors.push_back(lib.error().message + "; read through " + smi.program);
      } else {
        reading = fail(lib.error().code,
                       lib.error().message + "; nvidia-smi fallback: " + reading.error().message);
      }
    } else {
      reading = tl::unexpected(lib.error());
    }
    if (reading) xids->apply(*reading);
    return reading;
  };
  auto reading = co_await gpu::off_loop(std::move(job));
  co_return reading;
}

asio::awaitable<Result<CommandOutcome>> NvmlDriver::execute_other(const DeviceCommand& cmd) {
  if (cmd.type != "set_power") co_return co_await GpuNodeDriver::execute_other(cmd);
  const auto& p = cmd.params;
  if (!p.is_object() || !p.contains("watts") || !p["watts"].is_number() ||
      p["watts"].get<double>() <= 0 || p["watts"].get<double>() > 1e6) {
    co_return fail(Errc::kInvalidArgument,
                   "device " + device_id_ + ": set_power needs params.watts > 0");
  }
  const double watts = p["watts"].get<double>();
  std::function<Result<std::string>()> job = [shared = shared_, watts]() -> Result<std::string> {
    auto lib = shared->get();
    if (!lib) return tl::unexpected(lib.error());
    auto n = (*lib)->device_count();
    if (!n) return tl::unexpected(n.error());
    if (*n == 0) return fail(Errc::kDeviceError, "NVML reports no GPU");
    // The node's budget is shared evenly; NVML clamps each GPU to its own constraints.
    const auto per_gpu_mw = static_cast<unsigned int>(std::lround(watts * 1000.0 / *n));
    double total_w = 0;
    for (unsigned int i = 0; i < *n; ++i) {
      auto enforced = (*lib)->set_power_limit(i, per_gpu_mw);
      if (!enforced) return tl::unexpected(enforced.error());
      total_w += *enforced / 1000.0;
    }
    return "power limit " + std::to_string(std::lround(total_w)) + " W over " + std::to_string(*n) +
           " GPUs (" + std::to_string(per_gpu_mw / 1000) + " W each requested)";
  };
  auto result = co_await gpu::off_loop(std::move(job));
  if (!result) co_return tl::unexpected(name_device(result.error()));
  CommandOutcome outcome;
  outcome.detail = *result;
  co_await read_back(outcome);
  co_return outcome;
}

int match(const Probe& /*probe*/) { return 0; }

Identity identify(const Probe& /*probe*/) {
  return Identity{.driver = "nvml", .make = "NVIDIA", .model = "GPU node", .firmware = "nvml"};
}

const DriverInfo& driver_info() {
  static const DriverInfo kInfo = [] {
    DriverInfo info{
        .name = "nvml",
        .firmware = "nvml",
        .description = "the controller's own NVIDIA GPUs through NVML (loaded at run time)",
        .capabilities = kCapRead | kCapSetPower | kCapSwitchWorkload,
        .default_port = 0,
        .config_keys =
            {
                ConfigKey{.name = "nvml_library",
                          .type = OptionType::kString,
                          .default_value = OptionValue{std::string(kDefaultLibrary)},
                          .doc = "NVML shared library to dlopen (name or path)"},
                ConfigKey{.name = "nvml_fallback",
                          .type = OptionType::kBool,
                          .default_value = OptionValue{true},
                          .doc = "read through nvidia-smi when NVML cannot be loaded"},
            },
        .match = &match,
        .identify = &identify,
        .create = [](asio::any_io_executor ex, const DeviceConfig& cfg) -> std::unique_ptr<Driver> {
          return std::make_unique<NvmlDriver>(std::move(ex), cfg);
        },
    };
    for (auto& k : nvidia_smi::local_config_keys()) info.config_keys.push_back(std::move(k));
    for (auto& k : gpu::workload_config_keys()) info.config_keys.push_back(std::move(k));
    return info;
  }();
  return kInfo;
}

}  // namespace rigkeeper::drivers::nvml
