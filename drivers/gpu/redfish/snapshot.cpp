// The contract snapshot of one Redfish node read (declared in crawler.h).
#include <algorithm>

#include "drivers/gpu/common/gpu_node.h"
#include "drivers/gpu/redfish/crawler.h"

namespace rigkeeper::drivers::redfish {
namespace {

bool gpu_lost(const ProcessorInfo& p) {
  return p.state == "Absent" || p.state == "UnavailableOffline" || p.health == "Critical";
}

int gpu_index(const ProcessorInfo& p, int fallback) {
  // GPU_0, GPU_SXM_1, GPU1: the trailing number, else the position.
  const std::string id = p.id.value_or("");
  size_t end = id.size();
  size_t start = end;
  while (start > 0 && std::isdigit(static_cast<unsigned char>(id[start - 1]))) --start;
  if (start == end || end - start > 4) return fallback;
  return std::stoi(id.substr(start));
}

DeviceState node_state(const NodeRead& node, const DeviceSnapshot& snap) {
  const auto& ps = node.system.power_state;
  if (ps == "Off" || ps == "PoweringOff") return DeviceState::kOffline;
  if (ps == "PoweringOn") return DeviceState::kStarting;
  if (node.system.health == "Critical") return DeviceState::kFault;
  for (const auto& g : node.gpus) {
    if (gpu_lost(g)) return DeviceState::kFault;
  }
  if (snap.state == DeviceState::kFault && !node.gpus.empty()) return DeviceState::kFault;
  if (node.gpus.empty()) return DeviceState::kIdle;
  bool all_known_idle = true;
  for (const auto& g : snap.gpus) {
    if (!g.util_pct || *g.util_pct >= 1.0) all_known_idle = false;
  }
  return all_known_idle ? DeviceState::kIdle : DeviceState::kServing;
}

}  // namespace

DeviceSnapshot make_snapshot(const NodeRead& node) {
  gpu::GpuNodeReading reading;
  const bool ids_indexed = [&] {
    // GPU ids numbered from 0 (GPU_0) or 1 (GPU1, GPU_SXM_1) keep that number only when
    // distinct; otherwise positions are used.
    std::vector<int> seen;
    for (size_t i = 0; i < node.gpus.size(); ++i) {
      const int n = gpu_index(node.gpus[i], -1);
      if (n < 0 || std::find(seen.begin(), seen.end(), n) != seen.end()) return false;
      seen.push_back(n);
    }
    return true;
  }();
  for (size_t i = 0; i < node.gpus.size(); ++i) {
    const ProcessorInfo& p = node.gpus[i];
    GpuInfo g;
    g.index = ids_indexed ? gpu_index(p, static_cast<int>(i)) : static_cast<int>(i);
    g.uuid = p.uuid;
    g.model = p.model;
    g.mem_total_mib = p.mem_total_mib;
    if (const auto& m = node.gpu_metrics[i]) {
      g.temp_c = m->temp_c;
      g.power_w = m->power_w;
      g.power_limit_w = m->power_limit_w;
      g.util_pct = m->util_pct;
      g.ecc_corrected = m->ecc_corrected;
      g.ecc_uncorrected = m->ecc_uncorrected;
      g.throttle_reasons = m->throttle_reasons;
    }
    gpu::GpuHealth h;
    h.index = g.index;
    h.lost = gpu_lost(p);
    if (h.lost) {
      reading.errors.push_back("GPU " + std::to_string(g.index) + " (" + p.id.value_or(p.uri) +
                               "): " + p.state.value_or("?") + ", health " +
                               p.health.value_or("unknown"));
    }
    reading.gpus.push_back(std::move(g));
    reading.health.push_back(h);
  }
  for (const auto& e : node.errors) reading.errors.push_back(e);
  DeviceSnapshot s = gpu::make_gpu_node_snapshot(std::move(reading), "redfish");
  if (node.gpus.empty()) {
    // A node without GPU processors (or a BMC that does not list them) is still a node.
    s.errors.erase(std::remove(s.errors.begin(), s.errors.end(), "no GPU reported"),
                   s.errors.end());
    s.errors.insert(s.errors.begin(), "no Processor of type GPU listed by the BMC");
  }
  const auto& maker = node.system.manufacturer ? node.system.manufacturer
                                               : (node.chassis ? node.chassis->manufacturer
                                                               : std::optional<std::string>{});
  if (maker) s.make = *maker;
  if (node.system.model && node.gpus.empty()) s.model = *node.system.model;
  if (node.system.model && !node.gpus.empty()) s.model = *node.system.model + " (" + s.model + ")";
  s.firmware_version = node.system.bios_version;
  if (node.power_w) s.power_w = node.power_w;
  if (node.power_limit_w) s.power_limit_w = node.power_limit_w;
  s.fans_rpm = node.fans_rpm;
  for (double t : node.temps_c) s.temp_max_c = std::max(s.temp_max_c.value_or(t), t);
  s.state = node_state(node, s);
  derive_fields(s);
  return s;
}

}  // namespace rigkeeper::drivers::redfish
