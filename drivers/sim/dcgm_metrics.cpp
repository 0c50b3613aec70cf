// dcgm-exporter's /metrics text of a simulated GPU node (declared in redfish_service.h).
#include <cmath>
#include <sstream>

#include "drivers/sim/redfish_service.h"

namespace rigkeeper::drivers::sim {

std::string dcgm_metrics_text(const GpuNode& node, double t) {
  struct Field {
    const char* name;
    const char* type;
    const char* help;
  };
  static const Field kFields[] = {
      {"DCGM_FI_DEV_GPU_TEMP", "gauge", "GPU temperature (in C)."},
      {"DCGM_FI_DEV_POWER_USAGE", "gauge", "Power draw (in W)."},
      {"DCGM_FI_DEV_POWER_MGMT_LIMIT", "gauge", "Power management limit (in W)."},
      {"DCGM_FI_DEV_GPU_UTIL", "gauge", "GPU utilization (in %)."},
      {"DCGM_FI_DEV_FB_USED", "gauge", "Framebuffer memory used (in MiB)."},
      {"DCGM_FI_DEV_FB_FREE", "gauge", "Framebuffer memory free (in MiB)."},
      {"DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", "counter",
       "Total number of single-bit volatile ECC errors."},
      {"DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", "counter",
       "Total number of double-bit volatile ECC errors."},
      {"DCGM_FI_DEV_XID_ERRORS", "gauge", "Value of the last XID error encountered."},
  };
  std::ostringstream out;
  for (const Field& f : kFields) {
    out << "# HELP " << f.name << " " << f.help << "\n# TYPE " << f.name << " " << f.type << "\n";
    for (size_t i = 0; i < node.gpus().size(); ++i) {
      const SimGpu& g = node.gpus()[i];
      if (g.fallen) continue;  // a GPU off the bus is missing from DCGM
      const GpuSample s = node.sample(i, t);
      double v = 0;
      const std::string name = f.name;
      if (name == "DCGM_FI_DEV_GPU_TEMP") v = std::round(s.temp_c);
      if (name == "DCGM_FI_DEV_POWER_USAGE") v = s.power_w;
      if (name == "DCGM_FI_DEV_POWER_MGMT_LIMIT") v = g.limit_w;
      if (name == "DCGM_FI_DEV_GPU_UTIL") v = s.util_pct;
      if (name == "DCGM_FI_DEV_FB_USED") v = s.mem_used_mib;
      if (name == "DCGM_FI_DEV_FB_FREE") v = kGpuMemMib - s.mem_used_mib;
      if (name == "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL") v = static_cast<double>(s.ecc_corrected);
      if (name == "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL") v = static_cast<double>(g.ecc_uncorrected);
      if (name == "DCGM_FI_DEV_XID_ERRORS") v = g.xid_last.value_or(0);
      out << f.name << "{gpu=\"" << g.index << "\",UUID=\"" << g.uuid << "\",pci_bus_id=\""
          << g.pci_bus_id << "\",device=\"nvidia" << g.index << "\",modelName=\"" << kGpuModel
          << "\",Hostname=\"" << node.id() << "\",DCGM_FI_DRIVER_VERSION=\"550.90.07\"} " << v
          << "\n";
    }
  }
  return out.str();
}

}  // namespace rigkeeper::drivers::sim
