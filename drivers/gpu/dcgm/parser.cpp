#include "drivers/gpu/dcgm/parser.h"

#include <charconv>
#include <cmath>
#include <map>
#include <string>

namespace rigkeeper::drivers::dcgm {
namespace {

using gpu::GpuHealth;
using gpu::GpuNodeReading;

// Per GPU: the DCGM field values seen (blanks already dropped) and its labels.
struct GpuFields {
  std::map<std::string, double, std::less<>> values;
  const prom::Sample* first = nullptr;  ///< for the labels
};

std::optional<double> field(const GpuFields& g, std::string_view name) {
  auto it = g.values.find(name);
  if (it == g.values.end()) return std::nullopt;
  return it->second;
}

std::optional<double> first_of(const GpuFields& g, std::initializer_list<std::string_view> names) {
  for (auto n : names)
    if (auto v = field(g, n)) return v;
  return std::nullopt;
}

std::optional<int64_t> as_count(std::optional<double> v) {
  if (!v || *v < 0 || *v > 9.0e15) return std::nullopt;
  return static_cast<int64_t>(std::llround(*v));
}

std::optional<std::string> label(const prom::Sample* s,
                                 std::initializer_list<std::string_view> keys) {
  if (s == nullptr) return std::nullopt;
  for (auto k : keys)
    if (const std::string* v = s->label(k); v != nullptr && !v->empty()) return *v;
  return std::nullopt;
}

std::optional<int> gpu_index(const prom::Sample& s) {
  const std::string* g = s.label("gpu");
  if (g == nullptr) return std::nullopt;
  int v = -1;
  auto [p, ec] = std::from_chars(g->data(), g->data() + g->size(), v);
  if (ec != std::errc() || p != g->data() + g->size() || v < 0 || v > 4096) return std::nullopt;
  return v;
}

void fill(const GpuFields& f, GpuInfo& g, GpuHealth& h) {
  g.uuid = label(f.first, {"UUID", "uuid"});
  g.model = label(f.first, {"modelName", "model_name"});
  if (auto pci = label(f.first, {"pci_bus_id"})) {
    auto bd = gpu::pci_bus_device(*pci);
    if (!bd.empty()) h.pci = bd;
  }
  g.temp_c = field(f, "DCGM_FI_DEV_GPU_TEMP");
  g.power_w = first_of(f, {"DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_POWER_USAGE_INSTANT"});
  g.power_limit_w =
      first_of(f, {"DCGM_FI_DEV_ENFORCED_POWER_LIMIT", "DCGM_FI_DEV_POWER_MGMT_LIMIT"});
  g.util_pct = field(f, "DCGM_FI_DEV_GPU_UTIL");
  g.mem_used_mib = field(f, "DCGM_FI_DEV_FB_USED");
  g.mem_total_mib = field(f, "DCGM_FI_DEV_FB_TOTAL");
  if (!g.mem_total_mib && g.mem_used_mib) {
    auto free = field(f, "DCGM_FI_DEV_FB_FREE");
    if (free)
      g.mem_total_mib = *g.mem_used_mib + *free + field(f, "DCGM_FI_DEV_FB_RESERVED").value_or(0);
  }
  g.ecc_corrected =
      as_count(first_of(f, {"DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", "DCGM_FI_DEV_ECC_SBE_AGG_TOTAL"}));
  g.ecc_uncorrected =
      as_count(first_of(f, {"DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", "DCGM_FI_DEV_ECC_DBE_AGG_TOTAL"}));
  // XID_ERRORS is the last Xid seen since the driver loaded; 0 means none.
  if (auto xid = as_count(field(f, "DCGM_FI_DEV_XID_ERRORS")); xid && *xid > 0 && *xid < 100000)
    g.xid_last = static_cast<int>(*xid);
  if (auto mask = as_count(
          first_of(f, {"DCGM_FI_DEV_CLOCKS_EVENT_REASONS", "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS"})))
    g.throttle_reasons = gpu::throttle_reason_names(static_cast<uint64_t>(*mask));
  h.pcie_replays = as_count(field(f, "DCGM_FI_DEV_PCIE_REPLAY_COUNTER"));
  h.remapped_rows_correctable = as_count(field(f, "DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS"));
  h.remapped_rows_uncorrectable = as_count(field(f, "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS"));
  if (auto v = field(f, "DCGM_FI_DEV_ROW_REMAP_FAILURE")) h.row_remap_failure = *v != 0;
  if (auto v = field(f, "DCGM_FI_DEV_ROW_REMAP_PENDING")) h.row_remap_pending = *v != 0;
}

}  // namespace

bool is_blank(double value) {
  if (!std::isfinite(value)) return true;
  return value >= 1.4e14;  // FP64 blank 1.40737488355328e14 (+1..+3) and every int64 blank
}

Result<GpuNodeReading> parse_exposition(const prom::Exposition& exposition) {
  std::map<int, GpuFields> gpus;
  // GPU-level samples first; MIG-instance samples (GPU_I_ID) only fill what is still missing.
  for (int pass = 0; pass < 2; ++pass) {
    for (const prom::Sample& s : exposition.samples) {
      if (!s.name.starts_with("DCGM_FI_")) continue;
      const bool mig = s.label("GPU_I_ID") != nullptr && !s.label("GPU_I_ID")->empty();
      if (mig != (pass == 1)) continue;
      auto index = gpu_index(s);
      if (!index) continue;
      GpuFields& g = gpus[*index];
      if (g.first == nullptr) g.first = &s;
      if (is_blank(s.value)) continue;
      g.values.emplace(s.name, s.value);  // first sample of a field wins
    }
  }
  if (gpus.empty())
    return fail(Errc::kProtocol, "no DCGM GPU metrics (DCGM_FI_* with a gpu label)");
  GpuNodeReading reading;
  for (const auto& [index, f] : gpus) {
    GpuInfo g;
    g.index = index;
    GpuHealth h;
    h.index = index;
    fill(f, g, h);
    if (!reading.driver_version)
      reading.driver_version = label(f.first, {"DCGM_FI_DRIVER_VERSION"});
    reading.gpus.push_back(std::move(g));
    reading.health.push_back(std::move(h));
  }
  if (exposition.skipped_lines > 0) {
    reading.errors.push_back(
        std::to_string(exposition.skipped_lines) +
        " malformed metrics lines skipped (first: " + exposition.first_problem + ")");
  }
  return reading;
}

Result<GpuNodeReading> parse_metrics(std::string_view text) {
  auto exp = prom::parse_text(text);
  if (!exp) return tl::unexpected(exp.error());
  return parse_exposition(*exp);
}

}  // namespace rigkeeper::drivers::dcgm
