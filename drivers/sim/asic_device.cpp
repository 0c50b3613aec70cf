#include "drivers/sim/asic_device.h"

#include <algorithm>
#include <cmath>

#include "drivers/sim/noise.h"

namespace rigkeeper::drivers::sim {

namespace {

double seconds(SimClock::duration d) { return std::chrono::duration<double>(d).count(); }

SimClock::duration after(double s) {
  return std::chrono::duration_cast<SimClock::duration>(std::chrono::duration<double>(s));
}

double round2(double v) { return std::round(v * 100.0) / 100.0; }

}  // namespace

std::string_view to_string(PowerState state) {
  switch (state) {
    case PowerState::kMining:
      return "mining";
    case PowerState::kSleeping:
      return "sleeping";
    case PowerState::kStarting:
      return "starting";
    case PowerState::kRebooting:
      return "rebooting";
  }
  return "mining";
}

Delays Delays::scaled(double factor) const {
  Delays d = *this;
  for (double* v : {&d.sleep_s, &d.wake_s, &d.ramp_s, &d.reboot_s, &d.settle_s, &d.thermal_tau_s}) {
    *v *= factor;
  }
  return d;
}

AsicDevice::AsicDevice(DeviceIdentity identity, SimTime boot, Delays delays)
    : identity_(std::move(identity)),
      delays_(delays),
      boot_(boot),
      last_(boot),
      state_since_(boot),
      fraction_since_(boot),
      pools_(identity_.pools) {
  const int boards = identity_.model->boards;
  board_hw_.assign(static_cast<size_t>(boards), 0.0);
  board_load_.assign(static_cast<size_t>(boards), 1.0);
  for (int b = 0; b < boards; ++b) board_temp_.push_back(board_target_temp(b, 1.0, {}));
}

// ---------------------------------------------------------------- state machine

void AsicDevice::schedule(SimTime at, PowerState to) { pending_ = Pending{at, to}; }

void AsicDevice::apply_transitions(SimTime now) {
  if (pending_ && now >= pending_->at) {
    const bool booting = state_ == PowerState::kRebooting;
    state_ = pending_->to;
    state_since_ = pending_->at;
    pending_.reset();
    if (booting) {  // the firmware restarted: uptime and counters start over
      boot_ = state_since_;
      total_mh_ = 0;
      std::fill(board_hw_.begin(), board_hw_.end(), 0.0);
    }
  }
  if (state_ == PowerState::kStarting && seconds(now - state_since_) >= delays_.ramp_s) {
    state_since_ += after(delays_.ramp_s);
    state_ = PowerState::kMining;
  }
}

PowerState AsicDevice::state(SimTime now) {
  apply_transitions(now);
  return state_;
}

void AsicDevice::sleep(SimTime now) {
  apply_transitions(now);
  curtailed_ = true;
  if (state_ == PowerState::kMining || state_ == PowerState::kStarting) {
    schedule(now + after(delays_.sleep_s), PowerState::kSleeping);
  }
  // Rebooting: the pending boot lands in kStarting; redirect it to sleep.
  if (state_ == PowerState::kRebooting && pending_) pending_->to = PowerState::kSleeping;
}

void AsicDevice::wake(SimTime now) {
  apply_transitions(now);
  curtailed_ = false;
  if (state_ == PowerState::kSleeping) {
    schedule(now + after(delays_.wake_s), PowerState::kStarting);
  } else if (pending_ && pending_->to == PowerState::kSleeping) {
    pending_->to = state_ == PowerState::kRebooting ? PowerState::kStarting : state_;
  }
}

void AsicDevice::reboot(SimTime now) {
  apply_transitions(now);
  state_ = PowerState::kRebooting;
  state_since_ = now;
  ++boots_;
  schedule(now + after(delays_.reboot_s),
           curtailed_ ? PowerState::kSleeping : PowerState::kStarting);
}

void AsicDevice::retarget_clock(SimTime now, double fraction) {
  fraction_from_ = clock_fraction(now);
  fraction_to_ = fraction;
  fraction_since_ = now;
}

void AsicDevice::set_power_target(SimTime now, std::optional<double> watts) {
  apply_transitions(now);
  power_target_w_ = watts;
  const double profile = static_cast<double>(profile_at(*identity_.model, profile_step_).freq_mhz) /
                         identity_.model->freq_mhz;
  retarget_clock(now,
                 watts ? std::min(profile, fraction_for_power(*identity_.model, *watts)) : profile);
}

bool AsicDevice::set_profile(SimTime now, std::string_view name) {
  const auto step = find_profile_step(*identity_.model, name);
  if (!step) return false;
  apply_transitions(now);
  profile_step_ = *step;
  power_target_w_.reset();
  const auto p = profile_at(*identity_.model, profile_step_);
  retarget_clock(now, static_cast<double>(p.freq_mhz) / identity_.model->freq_mhz);
  return true;
}

void AsicDevice::set_pool(SimTime now, PoolConfig pool) {
  apply_transitions(now);
  std::erase_if(pools_, [&](const PoolConfig& p) { return p.url == pool.url; });
  pools_.insert(pools_.begin(), std::move(pool));
}

double AsicDevice::clock_fraction(SimTime now) const {
  const double t = delays_.settle_s <= 0
                       ? 1.0
                       : std::clamp(seconds(now - fraction_since_) / delays_.settle_s, 0.0, 1.0);
  return fraction_from_ + (fraction_to_ - fraction_from_) * t;
}

double AsicDevice::ramp_factor(SimTime now) const {
  switch (state_) {
    case PowerState::kMining:
      return 1.0;
    case PowerState::kStarting:
      return delays_.ramp_s <= 0
                 ? 1.0
                 : std::clamp(seconds(now - state_since_) / delays_.ramp_s, 0.0, 1.0);
    default:
      return 0.0;
  }
}

// ---------------------------------------------------------------- physics

double AsicDevice::board_target_temp(int board, double load, const HealthEffects& effects) const {
  int failed_fans = 0;
  for (int f = 0; f < identity_.model->fans && f < kMaxFans; ++f)
    failed_fans += effects.fan_failed[static_cast<size_t>(f)];
  const double heat = 44.0 * load + 4.0 * failed_fans * load + effects.overheat_c;
  return identity_.ambient_c + 3.0 + heat + 0.6 * board;
}

void AsicDevice::advance(SimTime now, const HealthEffects& effects) {
  apply_transitions(now);
  const double dt = seconds(now - last_);
  if (dt <= 0) return;
  last_ = now;
  const ModelSpec& m = *identity_.model;
  const double stock_board_ghs = m.nominal_ths * 1000.0 / m.boards;
  const double ramp = ramp_factor(now);
  const double fraction = clock_fraction(now);
  const double decay = 1.0 - std::exp(-dt / std::max(delays_.thermal_tau_s, 0.001));
  for (int b = 0; b < m.boards; ++b) {
    const auto i = static_cast<size_t>(b);
    const bool dead = b < kMaxBoards && effects.board_dead[i];
    const int missing = b < kMaxBoards ? effects.chips_missing[i] : 0;
    const double chips = dead ? 0.0 : std::max(m.chips_per_board - missing, 0);
    const double ghs = stock_board_ghs * fraction * identity_.board_bias[i] *
                       (chips / m.chips_per_board) * effects.hashrate_factor * ramp;
    board_load_[i] = std::pow(ghs / stock_board_ghs, 1.1);
    total_mh_ += ghs * 1000.0 * dt;
    if (ghs > 0) {
      const double worse = (missing > 0 ? 3.0 : 1.0) * (effects.overheat_c > 10 ? 4.0 : 1.0);
      board_hw_[i] += identity_.board_hw_rate[i] * worse * dt;
    }
    const double target = board_target_temp(b, board_load_[i], effects);
    board_temp_[i] += (target - board_temp_[i]) * decay;
  }
}

void AsicDevice::compute_boards(SimTime now, const HealthEffects& effects, DeviceReading& r) const {
  const ModelSpec& m = *identity_.model;
  const double stock_board_ghs = m.nominal_ths * 1000.0 / m.boards;
  const double fraction = clock_fraction(now);
  const double ramp = ramp_factor(now);
  const auto bucket5 = static_cast<uint64_t>(seconds(now.time_since_epoch()) / 5.0);
  const double hashing_w = power_at_fraction(m, fraction) - power_at_fraction(m, 0.0);
  for (int b = 0; b < m.boards; ++b) {
    const auto i = static_cast<size_t>(b);
    BoardReading br;
    br.index = b;
    br.alive = !(b < kMaxBoards && effects.board_dead[i]);
    br.chips_expected = m.chips_per_board;
    br.chips_present =
        br.alive ? std::max(m.chips_per_board - (b < kMaxBoards ? effects.chips_missing[i] : 0), 0)
                 : 0;
    br.freq_mhz = static_cast<int>(std::lround(m.freq_mhz * fraction));
    br.voltage = profile_at(m, profile_step_).voltage;
    br.ghs_ideal = round2(stock_board_ghs * fraction);
    const double chip_share = static_cast<double>(br.chips_present) / m.chips_per_board;
    const double noise = 1.0 + 0.012 * gauss(hash_of({identity_.noise_key, i, bucket5}));
    br.ghs = round2(stock_board_ghs * fraction * identity_.board_bias[i] * chip_share *
                    effects.hashrate_factor * ramp * noise);
    br.power_w = hashing_w / m.boards * chip_share * ramp;
    const double hot = board_temp_[i];
    const double inlet = identity_.ambient_c + 2.0 + 16.0 * board_load_[i];
    br.temp_pcb = {std::round(hot), std::round(inlet), std::round(hot - 9.0),
                   std::round(hot - 8.0)};
    for (size_t s = 0; s < 4; ++s)
      br.temp_chip[s] = br.temp_pcb[s] + (r.hashing() && br.alive ? 5.0 : 1.0);
    br.hw_errors = static_cast<int64_t>(board_hw_[i]);
    r.ghs_ideal += br.ghs_ideal;
    r.ghs_5s += br.ghs;
    r.hw_errors += br.hw_errors;
    r.boards.push_back(br);
  }
  r.ghs_5s = round2(r.ghs_5s);
  r.ghs_ideal = round2(r.ghs_ideal);
}

void AsicDevice::compute_cooling(SimTime now, const HealthEffects& effects,
                                 DeviceReading& r) const {
  const ModelSpec& m = *identity_.model;
  int failed = 0;
  for (int f = 0; f < m.fans && f < kMaxFans; ++f)
    failed += effects.fan_failed[static_cast<size_t>(f)];
  int duty = 20;  // LuxOS "PowerOffSpeed" 20 %: fans idle while the miner sleeps
  if (r.hashing()) {
    duty = static_cast<int>(std::lround(30.0 + (r.temp_max() - 55.0) * 3.0)) + 15 * failed;
    duty = std::clamp(duty, 30, 100);
  }
  const auto bucket5 = static_cast<uint64_t>(seconds(now.time_since_epoch()) / 5.0);
  for (int f = 0; f < m.fans; ++f) {
    FanReading fr;
    fr.duty_pct = duty;
    const double noise =
        1.0 + 0.01 * gauss(hash_of({identity_.noise_key, 0xfa, static_cast<uint64_t>(f), bucket5}));
    const bool dead = f < kMaxFans && effects.fan_failed[static_cast<size_t>(f)];
    fr.rpm =
        dead ? 0 : static_cast<int>(std::lround(m.fan_max_rpm * duty / 100.0 * noise / 30.0) * 30);
    r.fans.push_back(fr);
  }
  double watts = 15.0;  // sleeping: control board and PSU standby
  if (r.hashing()) {
    watts = power_at_fraction(m, 0.0);
    for (const auto& b : r.boards) watts += b.power_w;
  }
  const double noise = 1.0 + 0.004 * gauss(hash_of({identity_.noise_key, 0x9e, bucket5}));
  r.power_w = std::round(watts * noise);
  r.power_limit_w = std::round(power_target_w_.value_or(power_at_fraction(
      m, static_cast<double>(profile_at(m, profile_step_).freq_mhz) / m.freq_mhz)));
}

void AsicDevice::compute_counters(SimTime now, DeviceReading& r) const {
  const ModelSpec& m = *identity_.model;
  r.total_mh = std::round(total_mh_ * 100.0) / 100.0;
  r.pool_difficulty = std::exp2(std::floor(std::log2(m.nominal_ths * 5000.0)));
  r.accepted = static_cast<int64_t>(total_mh_ * 1e6 / (r.pool_difficulty * 4294967296.0));
  r.rejected = r.accepted / 300;
  r.stale = r.accepted / 4000;
  r.getworks = r.elapsed_s / 12 + 1;
  r.best_share = std::round(r.pool_difficulty * (1.0 + 20.0 * std::log2(2.0 + r.accepted)));
  r.last_share_unix = r.when_unix - (r.hashing() ? 3 : std::min<int64_t>(r.elapsed_s, 600));
  const double expected = r.ghs_5s;  // already includes state, faults and ramp
  const auto key = [&](uint64_t tag, double bucket_s) {
    return gauss(hash_of({identity_.noise_key, tag,
                          static_cast<uint64_t>(seconds(now.time_since_epoch()) / bucket_s)}));
  };
  r.ghs_1m = round2(expected * (1.0 + 0.006 * key(1, 60)));
  r.ghs_5m = round2(expected * (1.0 + 0.004 * key(5, 300)));
  r.ghs_15m = round2(expected * (1.0 + 0.003 * key(15, 900)));
  r.ghs_30m = round2(expected * (1.0 + 0.002 * key(30, 1800)));
  r.ghs_24h = round2(expected * (1.0 + 0.002 * key(24, 3600)));
  const double up = seconds(now - boot_);
  r.ghs_av = up >= 1.0 ? round2(total_mh_ / 1000.0 / up) : expected;
  for (size_t p = 0; p < pools_.size(); ++p) {
    PoolReading pr;
    pr.url = pools_[p].url;
    pr.user = pools_[p].user;
    pr.status = "Alive";
    pr.priority = static_cast<int>(p);
    pr.active = p == 0;
    if (p == 0) {
      pr.accepted = r.accepted;
      pr.rejected = r.rejected;
      pr.getworks = r.getworks;
      pr.difficulty_accepted = static_cast<double>(r.accepted) * r.pool_difficulty;
      pr.difficulty_rejected = static_cast<double>(r.rejected) * r.pool_difficulty;
    } else {
      pr.getworks = 3;
    }
    r.pools.push_back(pr);
  }
}

DeviceReading AsicDevice::read(SimTime now, int64_t when_unix, const HealthEffects& effects) {
  advance(now, effects);
  DeviceReading r;
  r.identity = &identity_;
  r.state = state_;
  r.elapsed_s = std::max<int64_t>(static_cast<int64_t>(seconds(now - boot_)), 0);
  r.when_unix = when_unix;
  r.profile = profile_at(*identity_.model, profile_step_);
  r.curtailed = curtailed_;
  r.active_faults = effects.labels;
  compute_boards(now, effects, r);
  compute_cooling(now, effects, r);
  compute_counters(now, r);
  return r;
}

double DeviceReading::temp_max() const {
  double t = 0;
  for (const auto& b : boards) t = std::max(t, b.hot());
  return t;
}

double DeviceReading::chip_temp_max() const {
  double t = 0;
  for (const auto& b : boards) t = std::max(t, b.chip_hot());
  return t;
}

}  // namespace rigkeeper::drivers::sim
