#include "drivers/gpu/nvidia_smi/csv.h"

#include <algorithm>

#include <map>

#include "drivers/gpu/nvidia_smi/values.h"

namespace rigkeeper::drivers::nvidia_smi {
namespace {

using Row = std::map<std::string, std::string, std::less<>>;
constexpr size_t kMaxGpus = 64;
constexpr size_t kMaxColumns = 1024;

std::vector<std::string_view> split_line(std::string_view line) {
  std::vector<std::string_view> out;
  while (out.size() <= kMaxColumns) {
    const size_t comma = line.find(',');
    out.push_back(trim(line.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    line.remove_prefix(comma + 1);
  }
  return out;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!trim(line).empty()) out.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

std::string_view column_name(std::string_view header) {
  header = trim(header);
  if (const size_t br = header.find(" ["); br != std::string_view::npos)
    header = header.substr(0, br);
  return header;
}

std::string_view get(const Row& r, std::string_view key) {
  auto it = r.find(key);
  return it == r.end() ? std::string_view{} : std::string_view(it->second);
}

std::string_view first(const Row& r, std::initializer_list<std::string_view> keys) {
  for (auto k : keys)
    if (auto v = get(r, k); !is_missing(v)) return v;
  return {};
}

void from_row(const Row& r, size_t position, GpuInfo& g, gpu::GpuHealth& h) {
  g.index = static_cast<int>(count(get(r, "index")).value_or(static_cast<int64_t>(position)));
  h.index = g.index;
  g.uuid = text(get(r, "uuid"));
  g.model = text(get(r, "name"));
  if (auto pci = text(get(r, "pci.bus_id"))) {
    auto bd = gpu::pci_bus_device(*pci);
    if (!bd.empty()) h.pci = bd;
  }
  g.temp_c = number(get(r, "temperature.gpu"));
  g.power_w = number(first(r, {"power.draw", "power.draw.instant", "power.draw.average"}));
  g.power_limit_w = number(first(r, {"enforced.power.limit", "power.limit"}));
  g.util_pct = number(get(r, "utilization.gpu"));
  g.mem_used_mib = number(get(r, "memory.used"));
  g.mem_total_mib = number(get(r, "memory.total"));
  g.ecc_corrected = count(get(r, "ecc.errors.corrected.volatile.total"));
  g.ecc_uncorrected = count(get(r, "ecc.errors.uncorrected.volatile.total"));
  if (auto mask =
          hex_mask(first(r, {"clocks_event_reasons.active", "clocks_throttle_reasons.active"}))) {
    g.throttle_reasons = gpu::throttle_reason_names(*mask);
  }
  h.remapped_rows_correctable = count(get(r, "remapped_rows.correctable"));
  h.remapped_rows_uncorrectable = count(get(r, "remapped_rows.uncorrectable"));
  h.row_remap_pending = flag(get(r, "remapped_rows.pending"));
  h.row_remap_failure = flag(get(r, "remapped_rows.failure"));
  for (const auto& [k, v] : r)
    if (says_lost(v)) h.lost = true;
}

Result<gpu::GpuNodeReading> from_rows(const std::vector<std::string_view>& names,
                                      const std::vector<std::string_view>& lines,
                                      size_t first_line) {
  gpu::GpuNodeReading reading;
  if (lines.size() - first_line > kMaxGpus)
    return fail(Errc::kProtocol, "nvidia-smi CSV has more than 64 GPU rows");
  for (size_t i = first_line; i < lines.size(); ++i) {
    auto cells = split_line(lines[i]);
    if (cells.size() != names.size()) {
      return fail(Errc::kProtocol, "nvidia-smi CSV line " + std::to_string(i + 1) + " has " +
                                       std::to_string(cells.size()) + " columns, expected " +
                                       std::to_string(names.size()));
    }
    Row row;
    for (size_t c = 0; c < names.size(); ++c)
      row.emplace(std::string(names[c]), std::string(cells[c]));
    GpuInfo g;
    gpu::GpuHealth h;
    from_row(row, i - first_line, g, h);
    if (!reading.driver_version) reading.driver_version = text(get(row, "driver_version"));
    if (h.lost)
      reading.errors.push_back("GPU " + std::to_string(g.index) +
                               ": nvidia-smi says the GPU is lost");
    reading.gpus.push_back(std::move(g));
    reading.health.push_back(std::move(h));
  }
  return reading;
}

}  // namespace

const std::vector<std::string>& query_fields() {
  static const std::vector<std::string> kFields{"index",
                                                "uuid",
                                                "name",
                                                "pci.bus_id",
                                                "driver_version",
                                                "temperature.gpu",
                                                "power.draw",
                                                "enforced.power.limit",
                                                "utilization.gpu",
                                                "memory.used",
                                                "memory.total",
                                                "ecc.errors.corrected.volatile.total",
                                                "ecc.errors.uncorrected.volatile.total",
                                                "clocks_event_reasons.active",
                                                "remapped_rows.correctable",
                                                "remapped_rows.uncorrectable",
                                                "remapped_rows.pending",
                                                "remapped_rows.failure"};
  return kFields;
}

// Drivers before r530 know the same fields up to the ECC counters, call the throttle reasons
// "clocks_throttle_reasons" and have no row-remap fields.
const std::vector<std::string>& legacy_query_fields() {
  static const std::vector<std::string> kFields = [] {
    const auto& current = query_fields();
    const auto end = std::find(current.begin(), current.end(), "clocks_event_reasons.active");
    std::vector<std::string> fields(current.begin(), end);
    fields.emplace_back("clocks_throttle_reasons.active");
    return fields;
  }();
  return kFields;
}

std::string query_argument(const std::vector<std::string>& fields) {
  std::string out = "--query-gpu=";
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + fields[i];
  return out;
}

Result<gpu::GpuNodeReading> parse_csv_with_header(std::string_view text) {
  auto lines = lines_of(text);
  if (lines.empty()) return fail(Errc::kProtocol, "nvidia-smi CSV is empty");
  std::vector<std::string_view> names;
  for (auto h : split_line(lines[0])) names.push_back(column_name(h));
  bool has_index = false;
  for (auto n : names) has_index = has_index || n == "index";
  if (!has_index) return fail(Errc::kProtocol, "nvidia-smi CSV header has no index column");
  return from_rows(names, lines, 1);
}

Result<gpu::GpuNodeReading> parse_csv_rows(std::string_view text,
                                           const std::vector<std::string>& fields) {
  auto lines = lines_of(text);
  std::vector<std::string_view> names(fields.begin(), fields.end());
  if (lines.empty()) return fail(Errc::kProtocol, "nvidia-smi printed no GPU");
  return from_rows(names, lines, 0);
}

}  // namespace rigkeeper::drivers::nvidia_smi
