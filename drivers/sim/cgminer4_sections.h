#pragma once
/// Section entries in upstream cgminer 4.x layout (kanoi/cgminer api.c `summary`,
/// `ascstatus`, `poolstatus`), which Braiins' BOSminer/BOSer copied field for field
/// (braiins open/bosminer/bosminer/src/api/cgminer/response.rs). Shared by the Braiins and
/// generic cgminer responders. Internal to the simulator.
#include <string_view>

#include "drivers/sim/device_reading.h"
#include "drivers/sim/reply_format.h"

namespace rigkeeper::drivers::sim::cgminer4 {

/// SUMMARY[0]: Elapsed, MHS av, MHS 5s, MHS 1m, MHS 5m, MHS 15m, Found Blocks, ...
Json summary_entry(const DeviceReading& r);

/// One DEVS entry per board. `id_offset` is added to the board index for "ID" (Braiins
/// numbers chains from 1); `with_nominal` adds "Nominal MHS" (BOSer, read by pyasic).
Json asc_entry(const DeviceReading& r, const BoardReading& b, std::string_view name, int id_offset,
               bool with_nominal);

/// POOLS: one entry per configured pool.
Json pool_list(const DeviceReading& r);

/// CONFIG[0]: ASC Count, PGA Count, Pool Count, Strategy, Log Interval, Device Code, OS, Hotplug.
Json config_entry(const DeviceReading& r);

}  // namespace rigkeeper::drivers::sim::cgminer4
