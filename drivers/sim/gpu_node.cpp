#include "drivers/sim/gpu_node.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rigkeeper::drivers::sim {

GpuNode::GpuNode(std::string id, int gpus, uint64_t seed) : id_(std::move(id)) {
  const uint64_t h = std::hash<std::string>{}(id_) ^ (seed * 0x9E3779B97F4A7C15ull);
  phase_ = static_cast<double>(h % 1000) / 1000.0 * 6.283;
  for (int i = 0; i < gpus; ++i) {
    SimGpu g;
    g.index = i;
    char buf[64];
    std::snprintf(
        buf, sizeof buf, "GPU-%08llx-%04x-4%03x-8%03x-%012llx",
        static_cast<unsigned long long>((h >> 8) & 0xffffffffull),
        static_cast<unsigned>(i * 17 + 1) & 0xffff, static_cast<unsigned>(i) & 0xfff,
        static_cast<unsigned>(h & 0xfff),
        static_cast<unsigned long long>((h * 31 + static_cast<uint64_t>(i)) & 0xffffffffffffull));
    g.uuid = buf;
    std::snprintf(buf, sizeof buf, "00000000:%02X:00.0", 0x18 + i * 0x10);
    g.pci_bus_id = buf;
    gpus_.push_back(std::move(g));
  }
}

GpuSample GpuNode::sample(size_t gpu, double t_s) const {
  const SimGpu& g = gpus_.at(gpu);
  GpuSample s;
  if (t_s < reboot_until_) return s;
  // Utilisation waves: a 120 s training-step cycle per node, GPUs slightly out of phase.
  const double wave = 0.5 + 0.5 * std::sin(t_s / 120.0 * 6.283 + phase_ + 0.3 * g.index);
  s.util_pct = std::round(30 + 70 * wave);
  const double wanted = 70 + (kGpuTdpW - 70) * s.util_pct / 100.0;
  s.power_w = std::min(wanted, g.limit_w);
  s.temp_c = std::round((30 + s.power_w * 0.085) * 10) / 10;  // 700 W -> ~90 C
  s.mem_used_mib = std::round(kGpuMemMib * (0.2 + 0.7 * wave));
  if (wanted >= g.limit_w) s.throttle_reasons.push_back("sw_power_cap");
  if (s.temp_c > 85) s.throttle_reasons.push_back("sw_thermal_slowdown");
  s.ecc_corrected =
      g.ecc_corrected + static_cast<int64_t>(std::max(0.0, t_s - g.ecc_since) * g.ecc_growth_per_s);
  return s;
}

std::string GpuNode::power_state(double t_s) const {
  return t_s < reboot_until_ ? "PoweringOn" : "On";
}

void GpuNode::reset(double t_s, double delay_scale) {
  reboot_until_ = t_s + 30 * delay_scale;
  ++boots_;
  for (SimGpu& g : gpus_) g.xid_last.reset();  // a reset clears the driver's Xid state
}

double GpuNode::limit_w() const {
  double sum = 0;
  for (const SimGpu& g : gpus_) sum += g.limit_w;
  return sum;
}

bool GpuNode::set_limit_w(double watts) {
  if (watts < min_limit_w() - 0.5 || watts > max_limit_w() + 0.5) return false;
  for (SimGpu& g : gpus_) g.limit_w = watts / static_cast<double>(gpus_.size());
  return true;
}

double GpuNode::power_w(double t_s) const {
  if (t_s < reboot_until_) return 0;
  double sum = 450;
  for (size_t i = 0; i < gpus_.size(); ++i) {
    if (!gpus_[i].fallen) sum += sample(i, t_s).power_w;
  }
  return std::round(sum);
}

bool GpuNode::inject_xid(int gpu, int xid) {
  if (gpu < 0 || gpu >= static_cast<int>(gpus_.size())) return false;
  gpus_[static_cast<size_t>(gpu)].xid_last = xid;
  return true;
}

bool GpuNode::inject_ecc(int gpu, double per_s, double t_s) {
  if (gpu < 0 || gpu >= static_cast<int>(gpus_.size())) return false;
  SimGpu& g = gpus_[static_cast<size_t>(gpu)];
  g.ecc_growth_per_s = per_s;
  g.ecc_since = t_s;
  g.ecc_uncorrected += 1;
  return true;
}

bool GpuNode::inject_falloff(int gpu) {
  if (gpu < 0 || gpu >= static_cast<int>(gpus_.size())) return false;
  gpus_[static_cast<size_t>(gpu)].fallen = true;
  gpus_[static_cast<size_t>(gpu)].xid_last = 79;
  return true;
}

}  // namespace rigkeeper::drivers::sim
