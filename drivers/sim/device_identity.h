#pragma once
/// Who a simulated miner is: id, family, model, serials, MAC, pools and the per-device biases
/// its readings carry. Fully determined by (seed, index), never by wall-clock time.
///
/// Thread-safety: a value type, immutable after make_identity().
#include <cstdint>
#include <string>
#include <vector>

#include "drivers/sim/model_catalog.h"

namespace rigkeeper::drivers::sim {

/// One configured pool (the active one is index 0 until a pool change).
struct PoolConfig {
  std::string url;
  std::string user;
};

/// What the miner says about itself; the same for the same seed and index.
struct DeviceIdentity {
  std::string id;  ///< "asic-001"
  int index = 0;   ///< 0-based position in the fleet
  Family family = Family::kCgminer;
  const ModelSpec* model = nullptr;  ///< points into the static catalogue, never null
  std::string serial;                ///< 17 characters, like "JYZZB0UBDJABF06RB"
  std::string mac;                   ///< locally administered, "02:..."
  std::string miner_id;              ///< 16 hex digits (stock `miner_id`)
  std::string hostname;
  std::string ip = "127.0.0.1";  ///< where it listens (set by the fleet's listen plan)
  std::vector<std::string> board_serials;
  std::vector<double> board_bias;     ///< each board's hashrate as a fraction of nominal
  std::vector<double> board_hw_rate;  ///< hardware errors per second per board
  double ambient_c = 25.0;            ///< intake air temperature
  std::vector<PoolConfig> pools;      ///< priority order
  uint64_t noise_key = 0;             ///< root of this device's reading noise
};

/// "asic-001" for index 0.
std::string asic_id(int index);

/// The identity of the `index`-th device of the fleet. Families cycle antminer, luxos,
/// braiins, cgminer, so `--asics 4` gives one of each; the model rotates within a family.
DeviceIdentity make_identity(int index, uint64_t seed);

}  // namespace rigkeeper::drivers::sim
