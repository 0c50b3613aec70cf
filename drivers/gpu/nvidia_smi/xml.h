#pragma once
/// nvidia-smi -q -x (XML) -> the node's GPUs (pure), with pugixml. Reads both the old and new
/// layouts: clocks_throttle_reasons / clocks_event_reasons, power_readings /
/// gpu_power_readings, single_bit/double_bit ECC totals / sram+dram ECC counters.
///
/// Thread-safety: pure function. Errors: kProtocol for XML that does not parse or has no
/// nvidia_smi_log root.
#include <string_view>

#include "drivers/api/result.h"
#include "drivers/gpu/common/gpu_node.h"

namespace rigkeeper::drivers::nvidia_smi {

Result<gpu::GpuNodeReading> parse_xml(std::string_view xml);

}  // namespace rigkeeper::drivers::nvidia_smi
