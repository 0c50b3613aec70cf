#include "drivers/gpu/nvidia_smi/driver.h"

#include "drivers/gpu/common/off_loop.h"

namespace rigkeeper::drivers::nvidia_smi {

std::vector<ConfigKey> local_config_keys() {
  return {
      ConfigKey{.name = "nvidia_smi_path",
                .type = OptionType::kString,
                .default_value = OptionValue{std::string("nvidia-smi")},
                .doc = "the nvidia-smi program (path, or a name looked up in PATH)"},
      ConfigKey{.name = "nvidia_smi_format",
                .type = OptionType::kString,
                .default_value = OptionValue{std::string("csv")},
                .doc = "csv (--query-gpu, falls back to XML) or xml (-q -x)"},
      ConfigKey{.name = "nvidia_smi_timeout_s",
                .type = OptionType::kInt,
                .default_value = OptionValue{int64_t{15}},
                .doc = "seconds nvidia-smi may run before it is killed",
                .min = 1,
                .max = 300},
      ConfigKey{.name = "kernel_log",
                .type = OptionType::kString,
                .default_value = OptionValue{std::string("/dev/kmsg")},
                .doc = "kernel log followed for NVRM Xid lines (needs root or CAP_SYSLOG); "
                       "empty: off"},
  };
}

RunnerOptions runner_options_from(const Options& options) {
  RunnerOptions r;
  r.program = options.get_string("nvidia_smi_path").value_or("nvidia-smi");
  r.prefer_xml = options.get_string("nvidia_smi_format").value_or("csv") == "xml";
  if (auto s = options.get_int("nvidia_smi_timeout_s"); s && *s > 0)
    r.timeout = std::chrono::seconds(*s);
  return r;
}

std::string kernel_log_from(const Options& options) {
  return options.get_string("kernel_log").value_or("/dev/kmsg");
}

NvidiaSmiDriver::NvidiaSmiDriver(asio::any_io_executor executor, const DeviceConfig& config)
    : GpuNodeDriver(std::move(executor), config, "nvidia-smi"),
      runner_(runner_options_from(config.options)),
      xids_(std::make_shared<gpu::XidTracker>(kernel_log_from(config.options))) {
  if (host_.empty()) host_ = "localhost";
}

asio::awaitable<Result<gpu::GpuNodeReading>> NvidiaSmiDriver::read() {
  std::function<Result<gpu::GpuNodeReading>()> job = [runner = runner_, xids = xids_]() {
    auto reading = read_local(runner);
    if (reading) xids->apply(*reading);
    return reading;
  };
  auto reading = co_await gpu::off_loop(std::move(job));
  co_return reading;
}

int match(const Probe& /*probe*/) { return 0; }

Identity identify(const Probe& /*probe*/) {
  return Identity{
      .driver = "nvidia-smi", .make = "NVIDIA", .model = "GPU node", .firmware = "nvidia-smi"};
}

const DriverInfo& driver_info() {
  static const DriverInfo kInfo = [] {
    DriverInfo info{
        .name = "nvidia-smi",
        .firmware = "nvidia-smi",
        .description = "the controller's own NVIDIA GPUs through the nvidia-smi program",
        .capabilities = kCapRead | kCapSwitchWorkload,
        .default_port = 0,
        .config_keys = local_config_keys(),
        .match = &match,
        .identify = &identify,
        .create = [](asio::any_io_executor ex, const DeviceConfig& cfg) -> std::unique_ptr<Driver> {
          return std::make_unique<NvidiaSmiDriver>(std::move(ex), cfg);
        },
    };
    for (auto& k : gpu::workload_config_keys()) info.config_keys.push_back(std::move(k));
    return info;
  }();
  return kInfo;
}

}  // namespace rigkeeper::drivers::nvidia_smi
