// The simulated miner itself: identities reproducible from the seed, readings that follow the
// device state (sleep, wake, reboot, power target, profile, pool) and the health faults.
#include <gtest/gtest.h>

#include "drivers/sim/fleet.h"
#include "tests/unit/sim/sim_test_util.h"

namespace rigkeeper::drivers::sim::test {
namespace {

using std::chrono::seconds;

TEST(Identity, FamiliesCycleSoFourDevicesAreOneOfEach) {
  // The families cycle in enum order, so --asics kFamilyCount gives one of each.
  for (int i = 0; i < 2 * kFamilyCount; ++i)
    EXPECT_EQ(make_identity(i, 7).family, static_cast<Family>(i % kFamilyCount)) << i;
  EXPECT_EQ(make_identity(0, 7).id, "asic-001");
  EXPECT_EQ(make_identity(41, 7).id, "asic-042");
}

TEST(Identity, EveryModelAppearsInAFleet) {
  for (int k = 0; k < kFamilyCount; ++k) {
    const auto f = static_cast<Family>(k);
    for (const auto& m : models_of(f)) {
      bool seen = false;
      for (int i = 0; i < 4 * kFamilyCount && !seen; ++i) {
        const auto id = make_identity(i, 3);
        seen = id.family == f && id.model->name == m.name;
      }
      EXPECT_TRUE(seen) << m.name;
    }
  }
}

TEST(Identity, SameSeedSameIdentityOtherSeedOtherSerials) {
  for (int i = 0; i < 8; ++i) {
    const auto a = make_identity(i, 42);
    const auto b = make_identity(i, 42);
    EXPECT_EQ(a.serial, b.serial);
    EXPECT_EQ(a.mac, b.mac);
    EXPECT_EQ(a.model->name, b.model->name);
    EXPECT_EQ(a.board_serials, b.board_serials);
    EXPECT_EQ(a.pools.front().url, b.pools.front().url);
    EXPECT_NE(a.serial, make_identity(i, 43).serial);
    EXPECT_EQ(a.serial.size(), 17u);
  }
  EXPECT_NE(make_identity(0, 42).serial, make_identity(4, 42).serial);
}

TEST(Reading, SameSeedSameReadingsAtTheSameInstants) {
  AsicDevice a(make_identity(1, 9), t0());
  AsicDevice b(make_identity(1, 9), t0());
  for (int s : {5, 60, 600}) {
    const auto ra = reading_of(a, seconds(s));
    const auto rb = reading_of(b, seconds(s));
    EXPECT_EQ(ra.ghs_5s, rb.ghs_5s);
    EXPECT_EQ(ra.power_w, rb.power_w);
    EXPECT_EQ(ra.fans[0].rpm, rb.fans[0].rpm);
    EXPECT_EQ(ra.boards[2].hot(), rb.boards[2].hot());
    EXPECT_EQ(ra.accepted, rb.accepted);
  }
}

TEST(Reading, MiningFiguresFollowTheModel) {
  AsicDevice d(identity_of(Family::kAntminer, "Antminer S19 Pro"), t0());
  const auto r = reading_of(d, seconds(1800));
  EXPECT_EQ(r.state, PowerState::kMining);
  EXPECT_NEAR(r.ghs_5s, 110000, 110000 * 0.06);
  EXPECT_NEAR(r.power_w, 3250, 3250 * 0.05);
  EXPECT_EQ(r.elapsed_s, 1800);
  ASSERT_EQ(r.boards.size(), 3u);
  ASSERT_EQ(r.fans.size(), 4u);
  for (const auto& b : r.boards) {
    EXPECT_EQ(b.chips_present, 114);
    EXPECT_GT(b.hot(), 55);
    EXPECT_LT(b.hot(), 85);
    EXPECT_GT(b.chip_hot(), b.hot());
  }
  for (const auto& f : r.fans) EXPECT_GT(f.rpm, 1000);
  EXPECT_GT(r.accepted, 0);
  EXPECT_GT(r.total_mh, 0);
  // Hashrate wobbles from one 5 s window to the next, but stays near nominal.
  const auto later = reading_of(d, seconds(1805));
  EXPECT_NE(later.ghs_5s, r.ghs_5s);
  EXPECT_GE(later.hw_errors, r.hw_errors);
}

TEST(StateMachine, SleepStopsHashingAfterADelayAndWakeRampsBack) {
  Delays delays;  // real delays: the test moves the clock, not the wall
  AsicDevice d(identity_of(Family::kLuxos, "Antminer S19k Pro"), t0(), delays);
  reading_of(d, seconds(100));
  d.sleep(t0() + seconds(100));
  EXPECT_EQ(reading_of(d, seconds(102)).state, PowerState::kMining) << "curtail takes a moment";
  const auto asleep = reading_of(d, seconds(100 + 6));
  EXPECT_EQ(asleep.state, PowerState::kSleeping);
  EXPECT_TRUE(asleep.curtailed);
  EXPECT_EQ(asleep.ghs_5s, 0);
  EXPECT_LT(asleep.power_w, 50);
  const auto cooled = reading_of(d, seconds(100 + 400));
  EXPECT_LT(cooled.temp_max(), asleep.temp_max()) << "boards cool when idle";
  d.wake(t0() + seconds(500));
  const auto starting = reading_of(d, seconds(500 + 30));
  EXPECT_EQ(starting.state, PowerState::kStarting);
  EXPECT_GT(starting.ghs_5s, 0);
  EXPECT_LT(starting.ghs_5s, 0.6 * starting.ghs_ideal);
  const auto mining = reading_of(d, seconds(500 + 120));
  EXPECT_EQ(mining.state, PowerState::kMining);
  EXPECT_NEAR(mining.ghs_5s, mining.ghs_ideal, 0.08 * mining.ghs_ideal);
}

TEST(StateMachine, RebootIsUnreachableThenRestartsUptimeAndKeepsACurtailment) {
  AsicDevice d(identity_of(Family::kAntminer, "Antminer S21"), t0());
  reading_of(d, seconds(1000));
  d.sleep(t0() + seconds(1000));
  d.reboot(t0() + seconds(1010));
  EXPECT_FALSE(d.reachable(t0() + seconds(1030)));
  EXPECT_TRUE(d.reachable(t0() + seconds(1080)));
  const auto after = reading_of(d, seconds(1090));
  EXPECT_EQ(after.state, PowerState::kSleeping) << "a curtailment survives the reboot";
  EXPECT_EQ(after.elapsed_s, 20);
  d.wake(t0() + seconds(1100));
  d.reboot(t0() + seconds(1200));
  const auto booted = reading_of(d, seconds(1270));
  EXPECT_EQ(booted.state, PowerState::kStarting);
  EXPECT_EQ(booted.elapsed_s, 10);
}

TEST(StateMachine, PowerTargetProfileAndPoolChangeTheReadings) {
  AsicDevice d(identity_of(Family::kBraiins, "Antminer S19j Pro"), t0());
  const auto before = reading_of(d, seconds(100));
  d.set_power_target(t0() + seconds(100), 2000.0);
  const auto limited = reading_of(d, seconds(200));
  EXPECT_EQ(limited.power_limit_w, 2000);
  EXPECT_NEAR(limited.power_w, 2000, 2000 * 0.05);
  EXPECT_LT(limited.ghs_5s, 0.8 * before.ghs_5s);
  EXPECT_TRUE(d.set_profile(t0() + seconds(200), "425MHz"));
  EXPECT_FALSE(d.set_profile(t0() + seconds(200), "9000MHz"));
  const auto profiled = reading_of(d, seconds(300));
  EXPECT_EQ(profiled.profile.name, "425MHz");
  EXPECT_EQ(profiled.boards[0].freq_mhz, 425);
  d.set_pool(t0() + seconds(300), {"stratum+tcp://new.pool.invalid:3333", "me.w1"});
  const auto pooled = reading_of(d, seconds(301));
  EXPECT_EQ(pooled.pools[0].url, "stratum+tcp://new.pool.invalid:3333");
  EXPECT_TRUE(pooled.pools[0].active);
}

TEST(HealthFaults, ShowUpInTheReadings) {
  AsicDevice d(identity_of(Family::kAntminer, "Antminer S19 Pro"), t0());
  const auto healthy = reading_of(d, seconds(600));
  HealthEffects e;
  e.fan_failed[2] = true;
  e.chips_missing[0] = 12;
  e.board_dead[1] = true;
  e.labels = {"fan_fail:2", "chips_missing:0:12", "board_dead:1"};
  const auto sick = reading_of(d, seconds(605), e);
  EXPECT_EQ(sick.fans[2].rpm, 0);
  EXPECT_GT(sick.fans[0].rpm, 0);
  EXPECT_EQ(sick.boards[0].chips_present, 102);
  EXPECT_LT(sick.boards[0].ghs, healthy.boards[0].ghs * 0.95);
  EXPECT_FALSE(sick.boards[1].alive);
  EXPECT_EQ(sick.boards[1].ghs, 0);
  EXPECT_EQ(sick.boards[1].chips_present, 0);
  EXPECT_GT(sick.boards[2].ghs, 0);

  HealthEffects hot;
  hot.overheat_c = 30;
  const auto warm = reading_of(d, seconds(700), hot);
  const auto hotter = reading_of(d, seconds(1000), hot);
  EXPECT_GT(hotter.temp_max(), warm.temp_max()) << "temperatures follow with a lag";
  EXPECT_GT(hotter.temp_max(), healthy.temp_max() + 20);

  HealthEffects slow;
  slow.hashrate_factor = 0.5;
  const auto halved = reading_of(d, seconds(1300), slow);
  EXPECT_NEAR(halved.ghs_5s, healthy.ghs_5s * 0.5, healthy.ghs_5s * 0.05);
  EXPECT_LT(halved.power_w, healthy.power_w);
}

}  // namespace
}  // namespace rigkeeper::drivers::sim::test
