#include "tests/unit/gpu/gpu_test_util.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "tests/support/fixtures.h"

namespace rigkeeper::test {

std::filesystem::path write_script(const std::filesystem::path& path, const std::string& body) {
  {
    std::ofstream out(path);
    out << body;
  }
  ::chmod(path.c_str(), 0755);
  return path;
}

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string value_for(const std::string& field, int i) {
  if (field == "DCGM_FI_DEV_GPU_TEMP") return std::to_string(40 + i);
  if (field == "DCGM_FI_DEV_MEMORY_TEMP") return "9223372036854775794";  // NOT_SUPPORTED blank
  if (field == "DCGM_FI_DEV_POWER_USAGE") return std::to_string(100 + i) + ".5";
  if (field == "DCGM_FI_DEV_GPU_UTIL") return std::to_string(10 * i);
  if (field == "DCGM_FI_DEV_FB_USED") return std::to_string(1000 * i);
  if (field == "DCGM_FI_DEV_FB_FREE") return std::to_string(80000 - 1000 * i);
  if (field == "DCGM_FI_DEV_FB_RESERVED") return "559";
  if (field == "DCGM_FI_DEV_XID_ERRORS") return "0";
  if (field == "DCGM_FI_DEV_PCIE_REPLAY_COUNTER") return std::to_string(i);
  if (field.find("REMAP") != std::string::npos) return "0";
  if (field == "DCGM_FI_PROF_PCIE_TX_BYTES") return "1.4073748835532800e+14";  // FP64 blank
  return "7";
}

}  // namespace

std::string dcgm_page_from_default_counters(int gpus) {
  std::istringstream csv(read_fixture("gpu/dcgm/default-counters.csv"));
  std::ostringstream page;
  std::string line;
  std::vector<std::pair<std::string, std::string>> families;  // name, type
  std::vector<std::string> helps;
  while (std::getline(csv, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const auto c1 = line.find(',');
    const auto c2 = line.find(',', c1 + 1);
    const std::string name = trim(line.substr(0, c1));
    const std::string type = trim(line.substr(c1 + 1, c2 - c1 - 1));
    if (type == "label") continue;  // DRIVER_VERSION: a label on every sample
    families.emplace_back(name, type);
    helps.push_back(trim(line.substr(c2 + 1)));
  }
  for (size_t f = 0; f < families.size(); ++f) {
    const auto& [name, type] = families[f];
    page << "# HELP " << name << " " << helps[f] << "\n# TYPE " << name << " " << type << "\n";
    for (int i = 0; i < gpus; ++i) {
      page << name << "{gpu=\"" << i << "\",UUID=\"GPU-0000000" << i
           << "-1111-2222-3333-444444444444\",pci_bus_id=\"00000000:" << (i == 0 ? "3B" : "86")
           << ":00.0\",device=\"nvidia" << i
           << "\",modelName=\"NVIDIA H100 80GB HBM3\",Hostname=\"gpu-node-7\","
              "DCGM_FI_DRIVER_VERSION=\"590.48.01\"} "
           << value_for(name, i) << "\n";
    }
  }
  return page.str();
}

}  // namespace rigkeeper::test
