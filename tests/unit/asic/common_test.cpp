// Shared cgminer-API helpers: number coercion, units, sensor strings, pools, models, rules.
#include <gtest/gtest.h>

#include "drivers/asic/common/antminer_stats.h"
#include "drivers/asic/common/device_state.h"
#include "drivers/asic/common/hashrate.h"
#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/model_specs.h"
#include "drivers/asic/common/numbers.h"
#include "drivers/asic/common/pools.h"
#include "drivers/asic/common/slow_replies.h"

namespace rigkeeper::drivers::asic {
namespace {

TEST(Numbers, CoercesNumbersAndNumericStrings) {
  EXPECT_DOUBLE_EQ(*to_number(json(37603.30)), 37603.30);
  EXPECT_DOUBLE_EQ(*to_number(json("37603.30")), 37603.30);
  EXPECT_DOUBLE_EQ(*to_number(json(" 12 ")), 12.0);
  EXPECT_DOUBLE_EQ(*to_number(json("-273")), -273.0);
  EXPECT_FALSE(to_number(json("")));
  EXPECT_FALSE(to_number(json("12abc")));
  EXPECT_FALSE(to_number(json("inf")));
  EXPECT_FALSE(to_number(json("nan")));
  EXPECT_FALSE(to_number(json(true)));
  EXPECT_FALSE(to_number(json(nullptr)));
  EXPECT_FALSE(to_number(json::object()));
}

TEST(Numbers, FieldAccessToleratesWrongShapes) {
  const json obj = {{"a", "5"}, {"b", json::array()}, {"c", 7.6}, {"big", 1e30}, {"s", "text"}};
  EXPECT_EQ(*integer_at(&obj, "a"), 5);
  EXPECT_EQ(*integer_at(&obj, "c"), 8);
  EXPECT_FALSE(integer_at(&obj, "b"));
  EXPECT_FALSE(integer_at(&obj, "big"));
  EXPECT_FALSE(int_at(&obj, "missing"));
  EXPECT_EQ(*string_at(&obj, "s"), "text");
  EXPECT_EQ(*string_at(&obj, "a"), "5");
  EXPECT_FALSE(string_at(&obj, "c"));
  const json arr = json::array({1, 2});
  EXPECT_FALSE(number_at(&arr, "a"));
  EXPECT_FALSE(number_at(nullptr, "a"));
  const json typo = {{"Tenperature", 61.5}};
  EXPECT_DOUBLE_EQ(*number_at_any(&typo, {"Temperature", "Tenperature"}), 61.5);
}

TEST(Numbers, FlagsInTheirFirmwareSpellings) {
  const json obj = {{"a", "Y"}, {"b", "N"}, {"c", true}, {"d", "false"}, {"e", 1}, {"f", "maybe"}};
  EXPECT_TRUE(*flag_at(&obj, "a"));
  EXPECT_FALSE(*flag_at(&obj, "b"));
  EXPECT_TRUE(*flag_at(&obj, "c"));
  EXPECT_FALSE(*flag_at(&obj, "d"));
  EXPECT_TRUE(*flag_at(&obj, "e"));
  EXPECT_FALSE(flag_at(&obj, "f"));
}

TEST(Numbers, TemperatureSentinelsAreNotReadings) {
  EXPECT_FALSE(plausible_temp(0.0));
  EXPECT_FALSE(plausible_temp(-273.0));
  EXPECT_FALSE(plausible_temp(255.0));
  EXPECT_DOUBLE_EQ(*plausible_temp(-5.0), -5.0);
  EXPECT_DOUBLE_EQ(*plausible_temp(78.0), 78.0);
}

TEST(Numbers, DashSeparatedSensorStrings) {
  auto v = dash_separated(json("73-45-64-65"));
  ASSERT_EQ(v.size(), 4u);
  EXPECT_DOUBLE_EQ(*v[0], 73);
  EXPECT_DOUBLE_EQ(*v[3], 65);
  EXPECT_DOUBLE_EQ(*hottest(v), 73);
  EXPECT_FALSE(hottest(dash_separated(json("0-0-0-0"))));
  EXPECT_TRUE(dash_separated(json("")).empty());
  auto bad = dash_separated(json("70--x-60"));
  ASSERT_EQ(bad.size(), 4u);
  EXPECT_FALSE(bad[1]);
  EXPECT_DOUBLE_EQ(*hottest(bad), 70);
  EXPECT_LE(dash_separated(json(std::string(100000, '-'))).size(), 64u);
}

TEST(Hashrate, UnitsFromKeysAndRateUnit) {
  EXPECT_EQ(parse_hash_unit("GH"), HashUnit::kGiga);
  EXPECT_EQ(parse_hash_unit("GH/s"), HashUnit::kGiga);
  EXPECT_EQ(parse_hash_unit("ths"), HashUnit::kTera);
  EXPECT_EQ(parse_hash_unit("MHS"), HashUnit::kMega);
  EXPECT_FALSE(parse_hash_unit("furlongs"));
  EXPECT_DOUBLE_EQ(to_ths(110000, HashUnit::kGiga), 110);
  EXPECT_DOUBLE_EQ(to_ths(61954200, HashUnit::kMega), 61.9542);
  EXPECT_DOUBLE_EQ(to_ths(5e9, HashUnit::kKilo), 5);

  const json e = {{"MHS av", 44539601.86}, {"MHS 5s", "0.00"}, {"GHS 1m", 5}};
  EXPECT_DOUBLE_EQ(*current_rate(&e), 0.0);  // 5s is preferred, and a reported 0 stays 0
  EXPECT_DOUBLE_EQ(*rate_for_window(&e, "av"), 44.53960186);
  EXPECT_DOUBLE_EQ(*rate_for_window(&e, "1m"), 0.005);
  const json th = {{"THS 5s", 101.5}};
  EXPECT_DOUBLE_EQ(*current_rate(&th), 101.5);
  const json none = {{"Elapsed", 5}};
  EXPECT_FALSE(current_rate(&none));

  const json mh = {{"total_rateideal", 110000000.0}, {"rate_unit", "MH"}};
  EXPECT_DOUBLE_EQ(*rate_in_entry_unit(&mh, "total_rateideal"), 110);
  const json unknown = {{"total_rateideal", 1.0}, {"rate_unit", "??"}};
  EXPECT_FALSE(rate_in_entry_unit(&unknown, "total_rateideal"));
  const json absent = {{"total_rateideal", 110000.0}};  // bmminer's unit is GH
  EXPECT_DOUBLE_EQ(*rate_in_entry_unit(&absent, "total_rateideal"), 110);
}

TEST(JsonAccess, SectionsAndStatus) {
  const json wrapped = json::array(
      {{{"STATUS", {{{"STATUS", "S"}, {"Code", 11}}}}, {"SUMMARY", {{{"Elapsed", 1}}}}}});
  Replies r{{"summary", wrapped}};
  const json* s = reply_of(r, "summary");
  ASSERT_NE(s, nullptr);
  EXPECT_NE(first_entry(s, "SUMMARY"), nullptr);
  EXPECT_TRUE(status_ok(s));
  EXPECT_EQ(reply_of(r, "stats"), nullptr);

  const json flat = {{"STATUS", "E"}, {"Code", 14}, {"Msg", "Invalid command"}};
  auto st = status_of(&flat);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->status, "E");
  EXPECT_EQ(*st->code, 14);
  EXPECT_FALSE(status_ok(&flat));
  const json odd = {{"SUMMARY", "not a list"}, {"STATUS", 5}};
  EXPECT_TRUE(entries(&odd, "SUMMARY").empty());
  EXPECT_FALSE(looks_like_cgminer_reply(&odd));
}

TEST(Pools, ActivePoolIsStratumActiveThenLowestPriorityAlive) {
  const json reply = {
      {"POOLS",
       {{{"POOL", 0}, {"URL", "a"}, {"User", "u0"}, {"Status", "Dead"}, {"Priority", 0}},
        {{"POOL", 1}, {"URL", "b"}, {"User", "u1"}, {"Status", "Alive"}, {"Priority", 2}},
        {{"POOL", 2}, {"URL", "c"}, {"User", "u2"}, {"Status", "Alive"}, {"Priority", 1}}}}};
  auto pools = read_pools(&reply);
  ASSERT_EQ(pools.size(), 3u);
  auto p = active_pool(pools);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->url, "c");
  EXPECT_EQ(p->status, "alive");
  std::vector<std::string> errors;
  pool_errors(pools, errors);
  EXPECT_EQ(errors, std::vector<std::string>{"pool 0 dead: a"});

  pools[1].stratum_active = true;
  EXPECT_EQ(active_pool(pools)->url, "b");

  for (auto& q : pools) q.status = "dead";
  for (auto& q : pools) q.stratum_active = false;
  EXPECT_EQ(active_pool(pools)->url, "a");
  errors.clear();
  pool_errors(pools, errors);
  EXPECT_EQ(errors.back(), "no pool alive");
  errors.clear();
  pool_errors({}, errors);
  EXPECT_EQ(errors, std::vector<std::string>{"no pool configured"});
  EXPECT_FALSE(active_pool({}));
}

TEST(ModelSpecs, MatchIgnoringCaseSpacesAndSuffix) {
  ASSERT_NE(find_model_spec("Antminer S19 Pro"), nullptr);
  EXPECT_EQ(find_model_spec("antminer s19pro")->chips_per_board, 114);
  EXPECT_EQ(find_model_spec("Antminer S19k Pro")->chips_per_board, 77);
  EXPECT_EQ(find_model_spec("Antminer S19 Pro (88)")->chips_per_board, 114);
  EXPECT_EQ(find_model_spec("Antminer S19 Pro Hydro")->boards, 4);
  EXPECT_EQ(find_model_spec("Antminer X99"), nullptr);
  EXPECT_EQ(find_model_spec(""), nullptr);
  EXPECT_EQ(clean_model("Antminer S19 Pro (88)"), "Antminer S19 Pro");
  EXPECT_EQ(clean_model("Bitmain Antminer S19"), "Antminer S19");
  EXPECT_EQ(make_of_model("Antminer S21"), "Bitmain");
  EXPECT_EQ(make_of_model("M30S+VE40"), "MicroBT");
  EXPECT_EQ(make_of_model("Avalon Q"), "Canaan");
  EXPECT_EQ(make_of_model("Mystery 1"), "");
}

ChainReading chain(int n, std::optional<int> chips, std::optional<double> rate) {
  ChainReading c;
  c.chain = n;
  c.chips = chips;
  c.rate_ths = rate;
  return c;
}

TEST(Boards, WindowDropsEmptySlotsBeyondTheModelAndKeepsMissingOnesInside) {
  std::vector<std::string> errors;
  auto boards = boards_from_chains(
      {chain(1, 114, 37), chain(2, 0, std::nullopt), chain(3, 114, 37), chain(4, 0, std::nullopt)},
      3, 114, errors);
  ASSERT_EQ(boards.size(), 3u);
  assess_boards(boards, true, errors);
  EXPECT_EQ(boards[0].status, "ok");
  EXPECT_EQ(boards[1].status, "missing");
  EXPECT_EQ(errors, std::vector<std::string>{"board 1: 0 of 114 chips"});

  errors.clear();
  auto offset =
      boards_from_chains({chain(6, 63, 4.5), chain(7, 63, 4.5), chain(8, 63, 4.5)}, 3, 63, errors);
  ASSERT_EQ(offset.size(), 3u);
  EXPECT_EQ(offset[0].index, 0);
  EXPECT_EQ(*offset[2].hashrate_ths, 4.5);

  auto unknown = boards_from_chains({chain(1, 50, 1), chain(2, 50, 1), chain(3, 0, std::nullopt)},
                                    std::nullopt, std::nullopt, errors);
  EXPECT_EQ(unknown.size(), 2u);
  EXPECT_TRUE(boards_from_chains({}, std::nullopt, std::nullopt, errors).empty());
  EXPECT_EQ(boards_from_chains({}, 3, 114, errors).size(), 3u);  // all three missing
}

TEST(Boards, ChipLossBadChipsAndIdleBoards) {
  std::vector<std::string> errors;
  ChainReading bad = chain(1, 114, 30);
  bad.bad_chips = 2;
  auto boards = boards_from_chains({bad, chain(2, 110, 36), chain(3, 114, 0.0)}, 3, 114, errors);
  assess_boards(boards, true, errors);
  EXPECT_EQ(boards[0].status, "fault");
  EXPECT_EQ(boards[1].status, "fault");
  EXPECT_EQ(boards[2].status, "fault");
  EXPECT_EQ(errors,
            (std::vector<std::string>{"board 0: 2 chips marked x", "board 1: 110 of 114 chips",
                                      "board 2: not hashing"}));
  // The same zero-rate board on a miner that hashes nowhere is not a board fault.
  errors.clear();
  auto idle = boards_from_chains({chain(1, 114, 0.0)}, 1, 114, errors);
  assess_boards(idle, false, errors);
  EXPECT_EQ(idle[0].status, "ok");
  EXPECT_TRUE(errors.empty());
}

TEST(State, RulesInOrder) {
  std::vector<HashBoard> ok(1), failed(2);
  ok[0].status = "ok";
  failed[0].status = "missing";
  failed[1].status = "fault";
  EXPECT_EQ(decide_state({100.0, 5, true, &ok}), DeviceState::kSleeping);
  EXPECT_EQ(decide_state({100.0, 5, false, &ok}), DeviceState::kMining);
  EXPECT_EQ(decide_state({0.0, 60, false, &failed}), DeviceState::kStarting);
  EXPECT_EQ(decide_state({0.0, 5000, false, &failed}), DeviceState::kFault);
  EXPECT_EQ(decide_state({0.0, 5000, false, &ok}), DeviceState::kIdle);
  EXPECT_EQ(decide_state({std::nullopt, std::nullopt, false, nullptr}), DeviceState::kIdle);
  std::vector<HashBoard> hashing(1);
  hashing[0].hashrate_ths = 3.0;
  EXPECT_EQ(decide_state({std::nullopt, 5000, false, &hashing}), DeviceState::kMining);
}

TEST(SlowReplies, AskedOncePerPeriodThenAgain) {
  using namespace std::chrono_literals;
  SlowReplies slow(60s);
  const auto t0 = SlowReplies::Clock::time_point{} + 1000s;
  EXPECT_TRUE(slow.due("info", t0));  // never asked
  EXPECT_FALSE(slow.cached("info"));
  slow.store("info", json{{"model", "S19"}, {"n", 3}}, t0);
  EXPECT_FALSE(slow.due("info", t0 + 59s));
  EXPECT_TRUE(slow.due("info", t0 + 60s));
  EXPECT_TRUE(slow.due("settings", t0 + 1s));  // each key on its own
  ASSERT_TRUE(slow.cached("info"));
  EXPECT_EQ(*slow.cached("info"), (json{{"model", "S19"}, {"n", 3}}));
  slow.store("info", json{{"model", "S21"}}, t0 + 61s);  // replaced, not added
  EXPECT_EQ(slow.cached("info")->at("model"), "S21");
  EXPECT_FALSE(slow.due("info", t0 + 62s));
  EXPECT_TRUE(slow.due("info", t0));  // a clock that went backwards asks again
  slow.forget();
  EXPECT_TRUE(slow.due("info", t0 + 62s));
  EXPECT_FALSE(slow.cached("info"));
}

TEST(SlowReplies, ALowerUptimeForgetsEverything) {
  SlowReplies slow;
  slow.store("version", json{{"v", 1}});
  slow.saw_uptime(100);
  slow.saw_uptime(std::nullopt);  // a poll that did not say: no decision
  slow.saw_uptime(160);
  EXPECT_TRUE(slow.cached("version"));
  slow.saw_uptime(5);  // restarted
  EXPECT_FALSE(slow.cached("version"));
  EXPECT_TRUE(slow.due("version"));
}

}  // namespace
}  // namespace rigkeeper::drivers::asic
