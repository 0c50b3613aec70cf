#pragma once
/// dcgm-exporter's /metrics page -> the GPUs of a node (pure). Maps the DCGM fields to the
/// contract's `gpus` object (docs/drivers/dcgm.md lists which field feeds what, and what DCGM
/// cannot say), drops DCGM's "blank" sentinels (unsupported / not found / no permission) so
/// they read as null, and keeps PCIe replays and row remapping as GpuHealth.
///
/// Thread-safety: pure functions.
#include <string_view>

#include "drivers/api/result.h"
#include "drivers/gpu/common/gpu_node.h"
#include "drivers/gpu/dcgm/prometheus_text.h"

namespace rigkeeper::drivers::dcgm {

/// True for DCGM's blank values: int64 blanks (>= 0x7ffffffffffffff0) and FP64 blanks
/// (>= 1.4e14), NaN and infinities. These mean "not supported", never a reading.
bool is_blank(double value);

/// The node's GPUs from a parsed exposition. kProtocol when it holds no DCGM GPU sample
/// (another exporter, or an empty page).
Result<gpu::GpuNodeReading> parse_exposition(const prom::Exposition& exposition);

/// parse_text + parse_exposition; malformed lines become one note in `errors`.
Result<gpu::GpuNodeReading> parse_metrics(std::string_view text);

}  // namespace rigkeeper::drivers::dcgm
