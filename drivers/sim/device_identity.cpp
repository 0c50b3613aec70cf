#include "drivers/sim/device_identity.h"

#include <cstdio>

#include "drivers/sim/noise.h"

namespace rigkeeper::drivers::sim {

namespace {

constexpr std::string_view kSerialChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view kHex = "0123456789abcdef";

std::string make_mac(Rng& rng) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "02:%02x:%02x:%02x:%02x:%02x",
                static_cast<unsigned>(rng.range(0, 255)), static_cast<unsigned>(rng.range(0, 255)),
                static_cast<unsigned>(rng.range(0, 255)), static_cast<unsigned>(rng.range(0, 255)),
                static_cast<unsigned>(rng.range(0, 255)));
  return buf;
}

// Pools live under the reserved .invalid TLD: nothing ever resolves them by accident.
std::vector<PoolConfig> make_pools(const std::string& worker, Rng& rng) {
  static constexpr std::string_view kHosts[] = {"stratum.pool-a.invalid", "stratum.pool-b.invalid",
                                                "eu.pool-c.invalid"};
  const auto first = static_cast<size_t>(rng.range(0, 2));
  std::vector<PoolConfig> pools;
  for (size_t i = 0; i < 3; ++i) {
    const std::string host(kHosts[(first + i) % 3]);
    pools.push_back({"stratum+tcp://" + host + ":3333", "rigkeeper." + worker});
  }
  return pools;
}

}  // namespace

std::string asic_id(int index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "asic-%03d", index + 1);
  return buf;
}

DeviceIdentity make_identity(int index, uint64_t seed) {
  DeviceIdentity d;
  d.index = index;
  d.id = asic_id(index);
  d.family = static_cast<Family>(index % kFamilyCount);
  d.model = &pick_model(d.family, index / kFamilyCount, seed);
  d.noise_key = hash_of({seed, static_cast<uint64_t>(index), 0x5151});

  Rng rng(hash_of({seed, static_cast<uint64_t>(index), 0x1d}));
  d.serial = rng.text(kSerialChars, 17);
  d.mac = make_mac(rng);
  d.miner_id = rng.text(kHex, 16);
  d.hostname = "sim-" + d.id;
  for (int b = 0; b < d.model->boards; ++b) {
    d.board_serials.push_back(rng.text(kSerialChars, 17));
    d.board_bias.push_back(rng.uniform(0.975, 1.025));
    d.board_hw_rate.push_back(rng.uniform(0.001, 0.006));
  }
  d.ambient_c = rng.uniform(22.0, 30.0);
  std::string worker = d.id;
  worker.erase(worker.find('-'), 1);  // "asic001": pool workers rarely carry dashes
  d.pools = make_pools(worker, rng);
  return d;
}

}  // namespace rigkeeper::drivers::sim
