#pragma once
/// A simulated GPU node: 4 or 8 H100 80GB HBM3 GPUs (700 W TDP, limits 200-700 W) under a load
/// cycle (utilisation waves), power following util x limit, temperatures following power,
/// throttling above 85 C or at the power limit, ECC counters, Xid events and GPUs fallen off
/// the bus injectable; the BMC side (PowerState, reset, locate indicator). Served as Redfish
/// (redfish_service.h) and as dcgm-exporter's /metrics (dcgm_metrics.h).
///
/// Thread-safety: none; the fleet's io_context thread owns it. Time is seconds since start.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rigkeeper::drivers::sim {

inline constexpr double kGpuTdpW = 700;
inline constexpr double kGpuMinLimitW = 200;
inline constexpr const char* kGpuModel = "NVIDIA H100 80GB HBM3";
inline constexpr double kGpuMemMib = 81559;

struct SimGpu {
  int index = 0;
  std::string uuid;
  std::string pci_bus_id;
  double limit_w = kGpuTdpW;
  int64_t ecc_corrected = 0;
  int64_t ecc_uncorrected = 0;
  double ecc_growth_per_s = 0;  ///< injected: corrected errors per second
  double ecc_since = 0;
  std::optional<int> xid_last;
  bool fallen = false;  ///< fell off the bus: gone from /metrics, Critical in Redfish
};

/// One GPU's reading at a time.
struct GpuSample {
  double util_pct = 0;
  double power_w = 0;
  double temp_c = 0;
  double mem_used_mib = 0;
  std::vector<std::string> throttle_reasons;  ///< nvidia-smi names
  int64_t ecc_corrected = 0;
};

class GpuNode {
 public:
  GpuNode(std::string id, int gpus, uint64_t seed);

  const std::string& id() const { return id_; }
  std::vector<SimGpu>& gpus() { return gpus_; }
  const std::vector<SimGpu>& gpus() const { return gpus_; }
  GpuSample sample(size_t gpu, double t_s) const;

  /// "On", or "PoweringOn" for a few seconds after a reset.
  std::string power_state(double t_s) const;
  void reset(double t_s, double delay_scale);
  int boots() const { return boots_; }
  bool locate = false;

  double limit_w() const;  ///< the node's limit: the sum of the GPUs' limits
  double min_limit_w() const { return kGpuMinLimitW * static_cast<double>(gpus_.size()); }
  double max_limit_w() const { return kGpuTdpW * static_cast<double>(gpus_.size()); }
  /// Spreads a node limit evenly; false when outside [min, max].
  bool set_limit_w(double watts);
  /// Node input power: GPUs plus a 450 W base (CPUs, fans, NICs); 0 while powering on.
  double power_w(double t_s) const;

  /// Faults: Xid on GPU `gpu`, ECC growth (corrected errors/s, one uncorrected per 100),
  /// GPU `gpu` off the bus.
  bool inject_xid(int gpu, int xid);
  bool inject_ecc(int gpu, double per_s, double t_s);
  bool inject_falloff(int gpu);

 private:
  std::string id_;
  std::vector<SimGpu> gpus_;
  double phase_ = 0;
  double reboot_until_ = -1;
  int boots_ = 1;
};

}  // namespace rigkeeper::drivers::sim
