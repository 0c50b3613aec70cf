#pragma once
/// The `pools` reply of cgminer-API firmware and the choice of the pool the miner works for.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/api/telemetry.h"

namespace rigkeeper::drivers::asic {

/// One entry of POOLS[] (only what the snapshot and the checks need).
struct PoolReading {
  int index = 0;  ///< POOL
  std::string url;
  std::string user;
  std::string status;  ///< lower-cased Status: "alive", "dead", "disabled", ...
  std::optional<int> priority;
  bool stratum_active = false;
};

/// Every pool of a pools reply, in the order sent. Entries without a URL are skipped.
std::vector<PoolReading> read_pools(const nlohmann::json* pools_reply);

/// The pool the miner works for: the one with `Stratum Active`, else the alive pool with the
/// lowest Priority, else the lowest-priority pool (whose status then says why). Ties go to
/// the lowest Priority, then the lowest POOL index. nullopt when there is no pool.
std::optional<PoolInfo> active_pool(const std::vector<PoolReading>& pools);

/// Appends "pool N dead: URL" for each dead pool, "no pool alive" when none is, and "no pool
/// configured" for an empty list.
void pool_errors(const std::vector<PoolReading>& pools, std::vector<std::string>& errors);

/// Fills `snap.pool` and the pool errors from a `pools` reply, if one is there.
void apply_pools(const nlohmann::json* pools_reply, DeviceSnapshot& snap);

}  // namespace rigkeeper::drivers::asic
