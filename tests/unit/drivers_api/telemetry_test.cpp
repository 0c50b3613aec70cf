// The device snapshot (contract schema 1): JSON round trip, nulls for unknowns, derived fields.
#include "drivers/api/telemetry.h"

#include <limits>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace rigkeeper::drivers {
namespace {

using nlohmann::json;

DeviceSnapshot full_snapshot() {
  DeviceSnapshot s;
  s.ts = from_unix_ms(1763778069123);
  s.device_id = "r1-s19-07";
  s.host = "10.1.2.7";
  s.kind = DeviceKind::kAsic;
  s.make = "Bitmain";
  s.model = "Antminer S19 Pro";
  s.firmware = "stock";
  s.firmware_version = "49.0.1.3";
  s.state = DeviceState::kMining;
  s.hashrate_ths = 110.57;
  s.hashrate_nominal_ths = 110.0;
  s.power_w = 3250.0;
  s.power_limit_w = 3300.0;
  s.temp_max_c = 73.0;
  s.fans_rpm = {5880, 5760, 5820, 5880};
  s.boards.push_back(HashBoard{0, 36.8, 114, 114, 58.0, 73.0, 12, "ok"});
  s.boards.push_back(HashBoard{1, std::nullopt, std::nullopt, 114, std::nullopt, std::nullopt,
                               std::nullopt, "missing"});
  GpuInfo g;
  g.index = 3;
  g.uuid = "GPU-1234";
  g.temp_c = 61.0;
  g.ecc_uncorrected = 0;
  g.xid_last = 79;
  g.throttle_reasons = {"sw_power_cap"};
  s.gpus.push_back(g);
  s.pool = PoolInfo{"stratum+tcp://pool.example:3333", "acct.worker7", "alive"};
  s.uptime_s = 50474;
  s.errors = {"fan 2 slow"};
  return s;
}

TEST(Telemetry, RoundTripKeepsEveryField) {
  const DeviceSnapshot s = full_snapshot();
  const json j = to_json(s);
  auto back = snapshot_from_json(j);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(to_json(*back), j);
  EXPECT_EQ(back->boards.at(1).hashrate_ths, std::nullopt);
  EXPECT_EQ(back->gpus.at(0).xid_last, 79);
  EXPECT_EQ(back->pool->user, "acct.worker7");
  EXPECT_EQ(back->ts, s.ts);
  // Through the string form as well (what MQTT carries).
  auto reparsed = snapshot_from_json(json::parse(to_json_string(s)));
  ASSERT_TRUE(reparsed);
  EXPECT_EQ(to_json(*reparsed), j);
}

TEST(Telemetry, UnknownValuesAreNullAndEveryKeyIsPresent) {
  DeviceSnapshot s;
  s.device_id = "d";
  const json j = to_json(s);
  for (const char* key : {"schema",
                          "ts",
                          "device_id",
                          "host",
                          "kind",
                          "make",
                          "model",
                          "firmware",
                          "firmware_version",
                          "state",
                          "hashrate_ths",
                          "hashrate_nominal_ths",
                          "power_w",
                          "power_limit_w",
                          "efficiency_jth",
                          "temp_max_c",
                          "fans_rpm",
                          "boards",
                          "gpus",
                          "pool",
                          "uptime_s",
                          "errors"})
    EXPECT_TRUE(j.contains(key)) << key;
  for (const char* key : {"firmware_version", "hashrate_ths", "power_w", "efficiency_jth",
                          "temp_max_c", "pool", "uptime_s"})
    EXPECT_TRUE(j.at(key).is_null()) << key;
  EXPECT_EQ(j.at("schema"), 1);
  EXPECT_EQ(j.at("state"), "offline");
  const json board = to_json(full_snapshot()).at("boards").at(1);
  EXPECT_TRUE(board.at("hashrate_ths").is_null());
  EXPECT_TRUE(board.at("chips").is_null());
  EXPECT_EQ(board.at("chips_expected"), 114);
}

TEST(Telemetry, NullsReadBackAsUnknownNotZero) {
  json j = to_json(full_snapshot());
  j["power_w"] = nullptr;
  j["boards"][0]["temp_chip_c"] = nullptr;
  j.erase("uptime_s");  // absent is unknown too
  auto s = snapshot_from_json(j);
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->power_w.has_value());
  EXPECT_FALSE(s->boards[0].temp_chip_c.has_value());
  EXPECT_FALSE(s->uptime_s.has_value());
  EXPECT_EQ(s->hashrate_ths, 110.57);
}

TEST(Telemetry, BadSnapshotsAreRefusedNamingTheProblem) {
  json j = to_json(full_snapshot());
  j["power_w"] = "lots";
  auto bad_type = snapshot_from_json(j);
  ASSERT_FALSE(bad_type);
  EXPECT_EQ(bad_type.error().code, Errc::kInvalidArgument);
  EXPECT_NE(bad_type.error().message.find("power_w"), std::string::npos);

  EXPECT_FALSE(snapshot_from_json(json::array()));
  json schema2 = to_json(full_snapshot());
  schema2["schema"] = 2;
  EXPECT_FALSE(snapshot_from_json(schema2));
  json state = to_json(full_snapshot());
  state["state"] = "dancing";
  EXPECT_FALSE(snapshot_from_json(state));
  json ts = to_json(full_snapshot());
  ts["ts"] = "yesterday";
  EXPECT_FALSE(snapshot_from_json(ts));
  json missing_id = to_json(full_snapshot());
  missing_id.erase("device_id");
  auto r = snapshot_from_json(missing_id);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
}

TEST(Telemetry, DeriveFieldsFillsOnlyWhatFollows) {
  DeviceSnapshot s;
  s.power_w = 3250.0;
  s.hashrate_ths = 100.0;
  s.boards.push_back(HashBoard{0, 33.0, 76, 76, 55.0, 71.5, 0, "ok"});
  s.boards.push_back(HashBoard{1, 33.0, 76, 76, 80.0, std::nullopt, 0, "ok"});
  derive_fields(s);
  EXPECT_DOUBLE_EQ(*s.efficiency_jth, 32.5);
  EXPECT_DOUBLE_EQ(*s.temp_max_c, 80.0);

  DeviceSnapshot reported = s;
  reported.efficiency_jth = 30.0;
  reported.temp_max_c = 90.0;
  derive_fields(reported);
  EXPECT_DOUBLE_EQ(*reported.efficiency_jth, 30.0);
  EXPECT_DOUBLE_EQ(*reported.temp_max_c, 90.0);

  DeviceSnapshot idle;  // no hashrate, no temperatures: nothing invented
  idle.power_w = 20.0;
  idle.hashrate_ths = 0.0;
  derive_fields(idle);
  EXPECT_FALSE(idle.efficiency_jth.has_value());
  EXPECT_FALSE(idle.temp_max_c.has_value());
}

TEST(Telemetry, EnumNamesRoundTrip) {
  for (auto k : {DeviceKind::kAsic, DeviceKind::kGpuNode})
    EXPECT_EQ(parse_device_kind(to_string(k)), k);
  for (auto st :
       {DeviceState::kMining, DeviceState::kSleeping, DeviceState::kIdle, DeviceState::kServing,
        DeviceState::kStarting, DeviceState::kFault, DeviceState::kOffline})
    EXPECT_EQ(parse_device_state(to_string(st)), st);
  EXPECT_EQ(parse_device_kind("ASIC"), std::nullopt);
  EXPECT_EQ(parse_device_state(""), std::nullopt);
}

TEST(TelemetryJson, InvalidUtf8FromADeviceIsReplacedNotThrown) {
  DeviceSnapshot s;
  s.device_id = "asic-001";
  s.model = std::string("S19\xff\xfe Pro");  // a firmware sending Latin-1 or garbage bytes
  s.errors.push_back(std::string("fan \xb0") + "C");
  std::string out;
  ASSERT_NO_THROW(out = to_json_string(s));
  auto back = nlohmann::json::parse(out);
  EXPECT_EQ(back["model"].get<std::string>().substr(0, 3), "S19");
  EXPECT_EQ(back["errors"].size(), 1u);
}
TEST(TelemetryJson, DirectWriterGivesTheSameBytesAsTheTree) {
  // to_json_string writes without building the tree; what it writes must not drift from it.
  auto dom = [](const DeviceSnapshot& s) {
    return to_json(s).dump(-1, ' ', false, json::error_handler_t::replace);
  };
  DeviceSnapshot odd = full_snapshot();
  odd.model = std::string("S19\xff\xfe \"Pro\"\n\t\\");
  odd.hashrate_ths = std::numeric_limits<double>::quiet_NaN();
  odd.power_w = std::numeric_limits<double>::infinity();
  odd.temp_max_c = -0.0;
  odd.uptime_s = std::numeric_limits<int64_t>::max();
  odd.fans_rpm = {0.1, 1e300, -5};
  odd.boards.at(0).chips = std::numeric_limits<int>::min();
  odd.gpus.at(0).throttle_reasons.clear();
  odd.pool.reset();
  odd.errors = {"", std::string("\x01\x7f\xc3\xa9\xe2\x82")};
  DeviceSnapshot gpu_node = full_snapshot();
  gpu_node.kind = DeviceKind::kGpuNode;
  gpu_node.state = DeviceState::kServing;
  gpu_node.gpus.push_back(GpuInfo{});
  gpu_node.boards.clear();
  for (const DeviceSnapshot& s : {full_snapshot(), DeviceSnapshot{}, odd, gpu_node})
    EXPECT_EQ(to_json_string(s), dom(s));
}

}  // namespace
}  // namespace rigkeeper::drivers
