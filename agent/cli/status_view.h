#pragma once
/// The readable form of the daemon's status reply (`rigkeeper status` without --json). The
/// reply is the daemon's and is read defensively: a missing or mistyped field shows as "-".
#include <iosfwd>

#include <nlohmann/json.hpp>

#include "drivers/api/timestamp.h"

namespace rigkeeper::cli {

/// Header (site, rack, version, uptime), MQTT link, outbox, rack totals, then one row per
/// device. `now` dates the "last ok ... ago" column.
void print_status(std::ostream& out, const nlohmann::json& reply, Timestamp now);

}  // namespace rigkeeper::cli
