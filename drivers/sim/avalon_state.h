#pragma once
/// Avalon (Canaan cgminer 4.11.1 fork) in the simulator: the firmware state `ascset` changes,
/// kept per device in AsicDevice::extension<avalon::FirmwareState>(), and the builders shared
/// by avalon_responder.cpp (report replies) and avalon_ascset.cpp (the ascset options).
/// Internal to the simulator.
///
/// Thread-safety: none; the simulator's io_context thread only.
#include <optional>
#include <string>
#include <string_view>

#include "drivers/sim/asic_device.h"
#include "drivers/sim/device_reading.h"
#include "drivers/sim/reply_format.h"

namespace rigkeeper::drivers::sim::avalon {

inline constexpr std::string_view kDescription = "cgminer 4.11.1";

struct FirmwareState {
  std::optional<int> workmode;  ///< nullopt: the model's default (work_modes() - 1 ... see .cpp)
  bool led = false;
  int64_t soft_off_time = 0;  ///< last softoff / softon times the device was given
  int64_t soft_on_time = 0;
  std::optional<PoolConfig> pending_pool;  ///< setpool'ed, applied at the next boot
  int pending_since_boot = 0;              ///< AsicDevice::boots() when setpool arrived
};

bool is_q(const DeviceReading& r);
/// Work modes of the model: 3 on the Avalon Q (Eco, Standard, Super), 2 on the 1246.
int work_modes(const DeviceReading& r);
/// The work mode in force (the model's default when never set).
int workmode_of(const DeviceReading& r, const FirmwareState& st);
/// Stock-clock fraction a work mode runs at.
double workmode_fraction(const DeviceReading& r, int mode);

/// {"STATUS":[...],"<section>":items,"id":1} with Canaan's STATUS.
Json reply(const DeviceReading& r, int code, std::string_view msg, std::string_view section,
           Json items);
/// An `ascset` answer: STATUS only ("I" 118 "ASC 0 set info: ...", "S" 119 "ASC 0 set OK",
/// or "E").
Json ascset_reply(const DeviceReading& r, std::string_view status, int code, std::string_view msg);

/// The module-0 bracket string of stats/estats (the 1246's "MM ID0" or the Q's "'STATS':{...}").
std::string module_string(const DeviceReading& r, const FirmwareState& st);
/// The Q's "HBinfo" string.
std::string hbinfo_string(const DeviceReading& r);
/// PS[...] vector values (err, control V*100, hash V*100, current, power W, set V*100, max W).
std::string ps_vector(const DeviceReading& r);

/// The reply to `ascset` (parameter "0,<option>,..."), changing `device`.
Json ascset(std::string_view parameter, const DeviceReading& r, AsicDevice& device, SimTime now);

/// Applies a setpool once the device has rebooted since.
void settle_pending_pool(AsicDevice& device, SimTime now);

}  // namespace rigkeeper::drivers::sim::avalon
