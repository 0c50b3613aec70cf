// The Avalon parser on every capture, with the expected values read off the files by hand,
// and on broken variants of them.

#include <gtest/gtest.h>
#include <algorithm>

#include "drivers/asic/avalon/parser.h"
#include "tests/support/fixtures.h"

namespace rigkeeper::drivers::avalon {
namespace {

using nlohmann::json;

json capture(const std::string& name) {
  return json::parse(test::read_fixture("asic/avalon/" + name));
}

asic::Replies replies(std::initializer_list<std::pair<const char*, const char*>> files) {
  asic::Replies r;
  for (const auto& [cmd, file] : files) r[cmd] = capture(file);
  return r;
}

TEST(AvalonParser, Avalon1246Stats) {
  auto s = parse_replies(replies({{"stats", "stats_avalon_1246.json"}}));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->firmware, "avalon");
  EXPECT_EQ(s->make, "Canaan");
  EXPECT_EQ(s->model, "AvalonMiner 1246");  // from Ver[1246-83-...]: no version reply
  EXPECT_EQ(s->firmware_version, "21072802_4ec6bb0_211fc46");
  EXPECT_DOUBLE_EQ(*s->hashrate_ths, 81.07268);          // GHSspd[81072.68]
  EXPECT_DOUBLE_EQ(*s->hashrate_nominal_ths, 83.92304);  // GHSmm[83923.04]
  EXPECT_EQ(s->power_w, 3189);                           // PS[0 1214 1316 242 3189 1320 3504]
  EXPECT_EQ(s->power_limit_w, 3200);                     // MPO[3200]
  EXPECT_EQ(s->fans_rpm, (std::vector<double>{5344, 5392, 5349, 5309}));
  EXPECT_EQ(s->temp_max_c, 77);   // TMax[77]
  EXPECT_EQ(s->uptime_s, 24684);  // Elapsed[24684]
  EXPECT_NEAR(*s->efficiency_jth, 3189 / 81.07268, 1e-9);
  EXPECT_EQ(s->state, DeviceState::kMining);
  ASSERT_EQ(s->boards.size(), 3u);
  const double mghs[] = {26907.01, 26025.06, 26724.56};
  const double sum = mghs[0] + mghs[1] + mghs[2];  // = GHSavg 79656.63
  const double mtmax[] = {77, 77, 76}, mtavg[] = {66, 65, 64};
  for (size_t i = 0; i < 3; ++i) {
    const auto& b = s->boards[i];
    EXPECT_EQ(b.index, static_cast<int>(i));
    EXPECT_NEAR(*b.hashrate_ths, mghs[i] / sum * 81.07268, 1e-9);
    EXPECT_EQ(b.chips, 120);  // PVT_T<i>: 120 non-zero readings
    EXPECT_EQ(b.chips_expected, 120);
    EXPECT_EQ(b.temp_chip_c, mtmax[i]);
    EXPECT_EQ(b.temp_board_c, mtavg[i]);
    EXPECT_EQ(b.status, "ok");
  }
  EXPECT_EQ(s->pool, std::nullopt);
}

TEST(AvalonParser, Ava100EstatsFromLibminer) {
  auto s = parse_replies(
      replies({{"estats", "estats_ava100_libminer.json"}, {"version", "version_libminer.json"}}));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->model, "AvalonMiner 1246");  // PROD "AvalonMiner 1246-81"
  EXPECT_EQ(s->firmware_version, "21030201_4ec6bb0_09b1765");
  EXPECT_DOUBLE_EQ(*s->hashrate_ths, 80.5211);
  EXPECT_DOUBLE_EQ(*s->hashrate_nominal_ths, 86.56408);
  EXPECT_EQ(s->power_w, 3239);  // PS[0 1197 1240 261 3239 1240]: six values, no max
  EXPECT_EQ(s->power_limit_w, 3200);
  EXPECT_EQ(s->fans_rpm, (std::vector<double>{3337, 3302, 3302, 3288}));
  EXPECT_EQ(s->temp_max_c, 88);
  EXPECT_EQ(s->uptime_s, 1750);
  ASSERT_EQ(s->boards.size(), 3u);
  EXPECT_EQ(s->boards[0].temp_chip_c, 88);
  EXPECT_EQ(s->boards[1].temp_board_c, 62);
  EXPECT_EQ(s->boards[2].chips, 120);
  EXPECT_EQ(s->state, DeviceState::kMining);
}

TEST(AvalonParser, AvalonQSoftOff) {
  auto s = parse_replies(replies({{"stats", "stats_avalon_q_softoff.json"},
                                  {"version", "version.json"},
                                  {"summary", "summary.json"},
                                  {"pools", "pools.json"}}));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->model, "Avalon Q");
  EXPECT_EQ(s->firmware_version, "25052801_14a19a2");  // CGVERSION: the Q has no VERSION
  EXPECT_EQ(s->state, DeviceState::kSleeping);         // SoftOFF[4], Work: In Idle
  EXPECT_EQ(s->hashrate_ths, 0.0);                     // GHSspd[0.00]
  EXPECT_DOUBLE_EQ(*s->hashrate_nominal_ths, 55.03279);
  EXPECT_EQ(s->power_w, 0);  // PS[0 1222 4 0 0 2245 146]: the PSU is off
  EXPECT_EQ(s->power_limit_w, 800);
  EXPECT_EQ(s->fans_rpm, (std::vector<double>{0, 0, 0, 0}));
  EXPECT_EQ(s->uptime_s, 37714);  // summary Elapsed
  ASSERT_EQ(s->boards.size(), 1u);
  const auto& b = s->boards[0];
  EXPECT_EQ(b.chips, 160);  // HBinfo PVT_T0
  EXPECT_EQ(b.chips_expected, 160);
  EXPECT_EQ(b.hashrate_ths, 0.0);
  EXPECT_EQ(b.temp_board_c, 27);  // HBOTemp[27]
  EXPECT_EQ(b.temp_chip_c, 71);   // hottest PVT_T0 reading (no MTmax on the Q)
  EXPECT_EQ(s->temp_max_c, 71);   // TMax[0] is no reading
  ASSERT_TRUE(s->pool);
  EXPECT_EQ(s->pool->url, "stratum+tcp://pool.example.com:4444");
  EXPECT_EQ(s->pool->user, "worker1");
}

TEST(AvalonParser, LitestatsAloneIsEnough) {
  auto s = parse_replies(replies({{"stats", "litestats.json"}}));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->model, "Avalon Q");  // from Ver[Q-...]
  EXPECT_EQ(s->state, DeviceState::kSleeping);
  EXPECT_EQ(s->uptime_s, 37977);
  ASSERT_EQ(s->boards.size(), 1u);
  EXPECT_EQ(s->boards[0].chips, std::nullopt) << "litestats has no per-chip readings";
}

TEST(AvalonParser, SummaryAndDevsWithoutStats) {
  auto s = parse_replies(replies({{"summary", "summary.json"}, {"devs", "devs.json"}}));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->hashrate_ths, 0.0);  // MHS 5s 0.00
  EXPECT_EQ(s->power_w, std::nullopt);
  EXPECT_TRUE(s->boards.empty());
  EXPECT_NE(
      std::find(s->errors.begin(), s->errors.end(), "stats module string missing or unreadable"),
      s->errors.end());
}

TEST(AvalonParser, NothingReadableIsProtocolError) {
  EXPECT_EQ(parse_replies({}).error().code, Errc::kProtocol);
  EXPECT_EQ(parse_replies(replies({{"version", "version.json"}})).error().code, Errc::kProtocol);
}

TEST(AvalonParser, BrokenModuleStrings) {
  auto stats = capture("stats_avalon_1246.json");
  const std::string mm = stats["STATS"][0]["MM ID0"].get<std::string>();
  // Truncated in the middle of the PVT_T0 list: what came before is read, the rest is null.
  auto cut = stats;
  cut["STATS"][0]["MM ID0"] = mm.substr(0, mm.find("PVT_T0[") + 40);
  auto s = parse_replies({{"stats", cut}});
  ASSERT_TRUE(s);
  EXPECT_DOUBLE_EQ(*s->hashrate_ths, 81.07268);
  EXPECT_EQ(s->boards[0].chips, std::nullopt);
  EXPECT_EQ(s->power_limit_w, std::nullopt);  // MPO came after the cut
  // Garbage numbers and missing fields.
  auto bad = stats;
  std::string g = mm;
  g.replace(g.find("GHSspd[81072.68]"), 16, "GHSspd[fast]");
  g.replace(g.find("PS[0 1214 1316 242 3189 1320 3504]"), 34, "PS[0 1214]");
  g.replace(g.find("MGHS["), 5, "XGHS[");
  bad["STATS"][0]["MM ID0"] = g;
  s = parse_replies({{"stats", bad}});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->hashrate_ths, std::nullopt) << "no summary, GHSspd garbage: null, not 0";
  EXPECT_EQ(s->power_w, std::nullopt);
  ASSERT_EQ(s->boards.size(), 3u);  // PVT_T0..2 and the model spec still say three
  EXPECT_EQ(s->boards[0].hashrate_ths, std::nullopt);
  // Wrong types: the module string a number, STATS an object.
  auto wrong = stats;
  wrong["STATS"][0]["MM ID0"] = 42;
  EXPECT_EQ(parse_replies({{"stats", wrong}}).error().code, Errc::kProtocol);
  wrong["STATS"] = json::object();
  EXPECT_EQ(parse_replies({{"stats", wrong}}).error().code, Errc::kProtocol);
}

TEST(AvalonParser, ByteLevelVariantsNeverCrash) {
  for (const char* f : {"stats_avalon_1246.json", "stats_avalon_q_softoff.json",
                        "estats_ava100_libminer.json", "litestats.json", "summary.json"}) {
    for (const auto& v :
         test::broken_variants(test::read_fixture(std::string("asic/avalon/") + f))) {
      auto j = json::parse(v.bytes, nullptr, false);
      if (j.is_discarded()) continue;
      (void)parse_replies({{"stats", j}, {"summary", j}});
    }
  }
}

TEST(AvalonParser, ModelNames) {
  EXPECT_EQ(model_name(nullptr, nullptr), "");
  const json prod = {{"PROD", "AvalonMiner 1166Pro-S-75"}};
  EXPECT_EQ(model_name(&prod, nullptr), "AvalonMiner 1166Pro-S");
  const json q = {{"PROD", "Avalon Q"}};
  EXPECT_EQ(model_name(&q, nullptr), "Avalon Q");
}

}  // namespace
}  // namespace rigkeeper::drivers::avalon
