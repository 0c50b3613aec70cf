#pragma once
/// The dcgm driver: a GPU node read over HTTP from NVIDIA dcgm-exporter (default
/// http://node:9400/metrics), parsed by dcgm::parse_metrics. Read-only apart from
/// switch_workload through the configured hook (run on the controller).
#include "drivers/gpu/common/gpu_node_driver.h"

namespace rigkeeper::drivers::dcgm {

inline constexpr uint16_t kDefaultPort = 9400;

class DcgmDriver final : public gpu::GpuNodeDriver {
 public:
  DcgmDriver(asio::any_io_executor executor, const DeviceConfig& config);

  /// The URL polled: scheme://host:port/path.
  const std::string& url() const { return url_; }

 protected:
  asio::awaitable<Result<gpu::GpuNodeReading>> read() override;

 private:
  std::string url_;
  std::chrono::milliseconds timeout_;
};

/// Probe matcher: 20 when a web answer of /metrics carries DCGM fields, 0 otherwise (never
/// for cgminer replies).
int match(const Probe& probe);
Identity identify(const Probe& probe);

/// The registry entry (generated registry calls this).
const DriverInfo& driver_info();

}  // namespace rigkeeper::drivers::dcgm
