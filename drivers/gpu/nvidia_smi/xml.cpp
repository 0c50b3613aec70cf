#include "drivers/gpu/nvidia_smi/xml.h"

#include <pugixml.hpp>

#include "drivers/gpu/nvidia_smi/values.h"

namespace rigkeeper::drivers::nvidia_smi {
namespace {

constexpr size_t kMaxXmlBytes = 4u << 20;
constexpr int kMaxGpus = 64;

std::string_view value_of(const pugi::xml_node& n) { return n.child_value(); }

// The first of several element paths ("a/b") under `gpu` that holds a reading.
std::string_view first(const pugi::xml_node& gpu, std::initializer_list<const char*> paths) {
  for (const char* p : paths) {
    pugi::xml_node n = gpu.first_element_by_path(p);
    if (n && !is_missing(value_of(n))) return value_of(n);
  }
  return {};
}

// Sum of the counters present; nullopt when none is.
std::optional<int64_t> sum_counts(const pugi::xml_node& base,
                                  std::initializer_list<const char*> paths) {
  std::optional<int64_t> total;
  for (const char* p : paths) {
    if (auto c = count(value_of(base.first_element_by_path(p)))) total = total.value_or(0) + *c;
  }
  return total;
}

void read_ecc(const pugi::xml_node& gpu, GpuInfo& g) {
  pugi::xml_node vol = gpu.first_element_by_path("ecc_errors/volatile");
  if (!vol) return;
  if (vol.child("single_bit") || vol.child("double_bit")) {  // before r515
    g.ecc_corrected = count(value_of(vol.first_element_by_path("single_bit/total")));
    g.ecc_uncorrected = count(value_of(vol.first_element_by_path("double_bit/total")));
    return;
  }
  g.ecc_corrected = sum_counts(vol, {"sram_correctable", "dram_correctable"});
  g.ecc_uncorrected = sum_counts(vol, {"sram_uncorrectable", "dram_uncorrectable"});
}

void read_throttle(const pugi::xml_node& gpu, GpuInfo& g) {
  pugi::xml_node reasons = gpu.child("clocks_event_reasons");
  if (!reasons) reasons = gpu.child("clocks_throttle_reasons");
  for (pugi::xml_node r : reasons.children()) {
    if (flag(value_of(r)).value_or(false))
      g.throttle_reasons.push_back(gpu::throttle_reason_from_key(r.name()));
  }
}

void read_gpu(const pugi::xml_node& node, int position, GpuInfo& g, gpu::GpuHealth& h) {
  g.index = h.index = position;  // nvidia-smi lists GPUs in index order
  g.model = text(value_of(node.child("product_name")));
  g.uuid = text(value_of(node.child("uuid")));
  auto bd = gpu::pci_bus_device(node.attribute("id").value());
  if (!bd.empty()) h.pci = bd;
  g.temp_c = number(value_of(node.first_element_by_path("temperature/gpu_temp")));
  g.power_w = number(first(
      node, {"power_readings/power_draw", "gpu_power_readings/power_draw",
             "gpu_power_readings/instant_power_draw", "gpu_power_readings/average_power_draw"}));
  g.power_limit_w = number(
      first(node, {"power_readings/enforced_power_limit", "gpu_power_readings/enforced_power_limit",
                   "gpu_power_readings/current_power_limit", "power_readings/power_limit"}));
  g.util_pct = number(value_of(node.first_element_by_path("utilization/gpu_util")));
  g.mem_used_mib = number(value_of(node.first_element_by_path("fb_memory_usage/used")));
  g.mem_total_mib = number(value_of(node.first_element_by_path("fb_memory_usage/total")));
  read_ecc(node, g);
  read_throttle(node, g);
  h.pcie_replays = count(value_of(node.first_element_by_path("pci/replay_counter")));
  pugi::xml_node rr = node.child("remapped_rows");
  h.remapped_rows_correctable = count(value_of(rr.child("remapped_row_corr")));
  h.remapped_rows_uncorrectable = count(value_of(rr.child("remapped_row_unc")));
  h.row_remap_pending = flag(value_of(rr.child("remapped_row_pending")));
  h.row_remap_failure = flag(value_of(rr.child("remapped_row_failure")));
  h.lost = says_lost(value_of(node.child("product_name"))) ||
           says_lost(value_of(node.first_element_by_path("temperature/gpu_temp")));
}

}  // namespace

Result<gpu::GpuNodeReading> parse_xml(std::string_view xml) {
  if (xml.size() > kMaxXmlBytes) return fail(Errc::kProtocol, "nvidia-smi XML larger than 4 MiB");
  pugi::xml_document doc;
  // No DTD loading or entity expansion beyond XML's own: pugixml never fetches anything.
  const pugi::xml_parse_result parsed =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    return fail(Errc::kProtocol, std::string("nvidia-smi XML does not parse: ") +
                                     parsed.description() + " at offset " +
                                     std::to_string(parsed.offset));
  }
  pugi::xml_node root = doc.child("nvidia_smi_log");
  if (!root) return fail(Errc::kProtocol, "nvidia-smi XML has no nvidia_smi_log element");
  gpu::GpuNodeReading reading;
  reading.driver_version = text(value_of(root.child("driver_version")));
  int position = 0;
  for (pugi::xml_node node : root.children("gpu")) {
    if (position >= kMaxGpus) return fail(Errc::kProtocol, "nvidia-smi XML has more than 64 GPUs");
    GpuInfo g;
    gpu::GpuHealth h;
    read_gpu(node, position++, g, h);
    reading.gpus.push_back(std::move(g));
    reading.health.push_back(std::move(h));
  }
  return reading;
}

}  // namespace rigkeeper::drivers::nvidia_smi
