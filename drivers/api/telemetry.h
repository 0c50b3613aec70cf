#pragma once
/// The contract's device snapshot (schema 1): what every driver produces per poll and what
/// `P/telemetry/<device_id>` and `rigkeeper probe --json` carry. A value the device did not
/// report is std::nullopt (JSON null), never an invented 0. Hashrate is always TH/s.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "drivers/api/result.h"
#include "drivers/api/timestamp.h"

namespace rigkeeper::drivers {

enum class DeviceKind { kAsic, kGpuNode };

enum class DeviceState { kMining, kSleeping, kIdle, kServing, kStarting, kFault, kOffline };

std::string_view to_string(DeviceKind kind);
std::string_view to_string(DeviceState state);
std::optional<DeviceKind> parse_device_kind(std::string_view text);
std::optional<DeviceState> parse_device_state(std::string_view text);

/// One hash board (chain) of an ASIC.
struct HashBoard {
  int index = 0;
  std::optional<double> hashrate_ths;
  std::optional<int> chips;
  std::optional<int> chips_expected;
  std::optional<double> temp_board_c;
  std::optional<double> temp_chip_c;
  std::optional<int64_t> hw_errors;
  std::string status;  ///< "ok", "missing", "fault", "disabled", or the firmware's own word
};

/// One GPU of a GPU node.
struct GpuInfo {
  int index = 0;
  std::optional<std::string> uuid;
  std::optional<std::string> model;
  std::optional<double> temp_c;
  std::optional<double> power_w;
  std::optional<double> power_limit_w;
  std::optional<double> util_pct;
  std::optional<double> mem_used_mib;
  std::optional<double> mem_total_mib;
  std::optional<int64_t> ecc_corrected;
  std::optional<int64_t> ecc_uncorrected;
  std::optional<int> xid_last;
  std::vector<std::string> throttle_reasons;
};

/// The pool the miner is working for (the active one).
struct PoolInfo {
  std::string url;
  std::string user;
  std::string status;  ///< "alive", "dead", "disabled", ... as the firmware says, lower-cased
};

/// One reading of one device. Value type; cheap enough to copy once per poll.
struct DeviceSnapshot {
  int schema = 1;
  Timestamp ts{};
  std::string device_id;
  std::string host;
  DeviceKind kind = DeviceKind::kAsic;
  std::string make;
  std::string model;
  std::string
      firmware;  ///< contract value: stock, braiins, luxos, vnish, btminer, avalon, ..., cgminer
  std::optional<std::string> firmware_version;
  DeviceState state = DeviceState::kOffline;
  std::optional<double> hashrate_ths;
  std::optional<double> hashrate_nominal_ths;
  std::optional<double> power_w;
  std::optional<double> power_limit_w;
  std::optional<double> efficiency_jth;
  std::optional<double> temp_max_c;
  std::vector<double> fans_rpm;
  std::vector<HashBoard> boards;
  std::vector<GpuInfo> gpus;
  std::optional<PoolInfo> pool;
  std::optional<int64_t> uptime_s;
  std::vector<std::string> errors;
};

/// Fills the fields that follow from others when the device did not report them:
/// efficiency_jth from power and hashrate, temp_max_c from the boards' and GPUs' temperatures.
/// Never overwrites a reported value.
void derive_fields(DeviceSnapshot& snap);

/// Serialises to the contract's JSON (every key present; nulls for unknowns).
nlohmann::json to_json(const DeviceSnapshot& snap);
std::string to_json_string(const DeviceSnapshot& snap);

/// Reads a snapshot back (history, replay files). Errc::kInvalidArgument names the bad field.
Result<DeviceSnapshot> snapshot_from_json(const nlohmann::json& j);

}  // namespace rigkeeper::drivers
