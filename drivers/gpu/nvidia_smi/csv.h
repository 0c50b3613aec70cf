#pragma once
/// nvidia-smi --query-gpu=... --format=csv[,noheader][,nounits] -> the node's GPUs (pure).
/// With a header, columns are found by name (the " [unit]" suffix ignored), so a full capture
/// of 200+ fields reads as well as the driver's own short query; without one, the caller says
/// which fields it asked for.
///
/// Thread-safety: pure functions.
#include <string>
#include <string_view>
#include <vector>

#include "drivers/api/result.h"
#include "drivers/gpu/common/gpu_node.h"

namespace rigkeeper::drivers::nvidia_smi {

/// The fields the driver asks for, in order (current names; clocks_event_reasons.active).
const std::vector<std::string>& query_fields();
/// The same for drivers older than the clocks_event_reasons rename (r530) and without row
/// remapping: what every driver since 418 accepts.
const std::vector<std::string>& legacy_query_fields();

/// "--query-gpu=a,b,c" for `fields`.
std::string query_argument(const std::vector<std::string>& fields);

/// Parses CSV with a header line. kProtocol when there is no header with an index column or a
/// row has the wrong number of columns (naming the line).
Result<gpu::GpuNodeReading> parse_csv_with_header(std::string_view text);

/// Parses header-less CSV whose columns are `fields`.
Result<gpu::GpuNodeReading> parse_csv_rows(std::string_view text,
                                           const std::vector<std::string>& fields);

}  // namespace rigkeeper::drivers::nvidia_smi
