// Validation of the contract's command JSON: every rejection reason, and what a valid
// command becomes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "agent/commands/command.h"

namespace rigkeeper::agent::commands {
namespace {

using nlohmann::json;
using std::chrono::seconds;

const Timestamp kNow = from_unix_ms(1'800'000'000'000);

json valid() {
  return {{"id", "c-1"},
          {"type", "curtail"},
          {"issued_at", format_rfc3339(kNow - seconds(2))},
          {"expires_at", format_rfc3339(kNow + seconds(3600))},
          {"targets", {{"all", true}}},
          {"params", {{"mode", "sleep"}}}};
}

std::string reason_of(const json& j, ParseLimits limits = {}) {
  auto r = parse_command(j.dump(), kNow, limits);
  EXPECT_FALSE(r.command.has_value()) << j.dump();
  return r.reason;
}

TEST(CommandParse, ValidCurtailBecomesACommand) {
  auto r = parse_command(valid().dump(), kNow, {});
  ASSERT_TRUE(r.command) << r.reason;
  EXPECT_EQ(r.command->id, "c-1");
  EXPECT_EQ(r.command->type, "curtail");
  EXPECT_TRUE(r.command->targets.all);
  ASSERT_TRUE(r.command->expires_at);
  EXPECT_EQ(*r.command->expires_at, kNow + seconds(3600));
  EXPECT_EQ(r.command->body, valid().dump());
}

TEST(CommandParse, ExpiresAtMayBeNullOrAbsent) {
  auto j = valid();
  j["expires_at"] = nullptr;
  EXPECT_TRUE(parse_command(j.dump(), kNow, {}).command);
  j.erase("expires_at");
  EXPECT_TRUE(parse_command(j.dump(), kNow, {}).command);
}

TEST(CommandParse, RejectsPayloadsThatAreNotCommands) {
  EXPECT_NE(parse_command("{nope", kNow, {}).reason.find("not valid JSON"), std::string::npos);
  EXPECT_NE(parse_command("[1,2]", kNow, {}).reason.find("JSON object"), std::string::npos);
  ParseLimits small;
  small.max_bytes = 10;
  EXPECT_NE(parse_command(valid().dump(), kNow, small).reason.find("bytes"), std::string::npos);
}

TEST(CommandParse, RejectsBadIds) {
  auto j = valid();
  j.erase("id");
  EXPECT_NE(reason_of(j).find("id must be"), std::string::npos);
  j["id"] = 7;
  EXPECT_NE(reason_of(j).find("id must be"), std::string::npos);
  j["id"] = "";
  EXPECT_NE(reason_of(j).find("id must be"), std::string::npos);
  j["id"] = std::string(200, 'x');
  EXPECT_NE(reason_of(j).find("longer than"), std::string::npos);
}

TEST(CommandParse, RejectionKeepsTheIdWhenThereIsOne) {
  auto j = valid();
  j["type"] = "explode";
  auto r = parse_command(j.dump(), kNow, {});
  EXPECT_EQ(r.id, "c-1");
  EXPECT_NE(r.reason.find("unknown command type 'explode'"), std::string::npos);
}

TEST(CommandParse, RejectsUnknownFields) {
  auto j = valid();
  j["priority"] = 1;
  EXPECT_NE(reason_of(j).find("unknown field 'priority'"), std::string::npos);
}

TEST(CommandParse, RejectsBadTimestamps) {
  auto j = valid();
  j["issued_at"] = "yesterday";
  EXPECT_NE(reason_of(j).find("issued_at is not an RFC 3339"), std::string::npos);
  j.erase("issued_at");
  EXPECT_NE(reason_of(j).find("issued_at must be"), std::string::npos);
  j = valid();
  j["issued_at"] = format_rfc3339(kNow + seconds(3600));
  EXPECT_NE(reason_of(j).find("clock skew"), std::string::npos);
  j = valid();
  j["expires_at"] = format_rfc3339(kNow - seconds(1));
  EXPECT_NE(reason_of(j).find("has passed"), std::string::npos);
  j = valid();
  j["expires_at"] = 5;
  EXPECT_NE(reason_of(j).find("expires_at must be"), std::string::npos);
}

TEST(CommandParse, ClockSkewIsConfigurable) {
  auto j = valid();
  j["issued_at"] = format_rfc3339(kNow + seconds(60));
  EXPECT_TRUE(parse_command(j.dump(), kNow, {}).command);  // default 300 s
  ParseLimits strict;
  strict.clock_skew = seconds(10);
  EXPECT_NE(reason_of(j, strict).find("clock skew of 10 s"), std::string::npos);
}

TEST(CommandParse, RejectsBadTargets) {
  const json bad[] = {json(nullptr),
                      json::object(),
                      json{{"all", false}},
                      json{{"all", true}, {"kind", "asic"}},
                      json{{"devices", json::array()}},
                      json{{"devices", {1, 2}}},
                      json{{"devices", "s19-1"}},
                      json{{"kind", "toaster"}},
                      json{{"rack", "r1"}}};
  for (const auto& t : bad) {
    auto j = valid();
    j["targets"] = t;
    EXPECT_NE(reason_of(j).find("targets"), std::string::npos) << t.dump();
  }
  auto j = valid();
  j.erase("targets");
  EXPECT_NE(reason_of(j).find("targets is missing"), std::string::npos);
}

TEST(CommandParse, TargetsByDeviceAndKind) {
  auto j = valid();
  j["targets"] = {{"devices", {"a", "b", "a"}}};
  auto r = parse_command(j.dump(), kNow, {});
  ASSERT_TRUE(r.command);
  EXPECT_EQ(r.command->targets.devices, (std::vector<std::string>{"a", "b"}));
  j["targets"] = {{"kind", "gpu_node"}};
  r = parse_command(j.dump(), kNow, {});
  ASSERT_TRUE(r.command);
  EXPECT_EQ(r.command->targets.kind, drivers::DeviceKind::kGpuNode);
}

struct ParamsCase {
  const char* type;
  json params;
  const char* reason;  ///< nullptr: valid
};

TEST(CommandParse, ParamsPerType) {
  const ParamsCase cases[] = {
      {"curtail", json{{"mode", "sleep"}, {"ramp_s", 30}}, nullptr},
      {"curtail", json{{"rack_power_w", 12000}}, nullptr},
      {"curtail", json::object(), "exactly one of"},
      {"curtail", json{{"mode", "sleep"}, {"rack_power_w", 1}}, "exactly one of"},
      {"curtail", json{{"mode", "off"}}, "params.mode"},
      {"curtail", json{{"rack_power_w", -5}}, "rack_power_w"},
      {"curtail", json{{"rack_power_w", "lots"}}, "rack_power_w"},
      {"curtail", json{{"mode", "sleep"}, {"ramp_s", -1}}, "ramp_s"},
      {"curtail", json{{"mode", "sleep"}, {"colour", 1}}, "unknown param 'colour'"},
      {"resume", json::object(), nullptr},
      {"resume", json{{"ramp_s", true}}, "ramp_s"},
      {"set_power", json{{"watts", 3000}}, nullptr},
      {"set_power", json::object(), "watts"},
      {"set_power", json{{"watts", 0}}, "watts"},
      {"set_power", json{{"watts", "3000"}}, "watts"},
      {"switch_pool", json{{"url", "stratum+tcp://p:3333"}, {"user", "u"}, {"password", ""}},
       nullptr},
      {"switch_pool", json{{"user", "u"}, {"password", "x"}}, "params.url"},
      {"switch_pool", json{{"url", "stratum+tcp://p"}, {"user", ""}, {"password", "x"}},
       "params.user"},
      {"switch_profile", json{{"profile", "eco"}}, nullptr},
      {"switch_profile", json{{"profile", ""}}, "params.profile"},
      {"switch_workload", json{{"workload", "ai"}}, nullptr},
      {"switch_workload", json{{"workload", "crypto"}}, "workload"},
      {"reboot", json::object(), nullptr},
      {"reboot", json{{"now", true}}, "unknown param"},
      {"locate", json{{"seconds", 30}}, nullptr},
      {"locate", json{{"seconds", 0}}, "seconds"},
      {"diagnose", json{{"level", 2}}, nullptr},
      {"diagnose", json{{"level", 2.5}}, "level"},
  };
  for (const auto& c : cases) {
    auto j = valid();
    j["type"] = c.type;
    j["params"] = c.params;
    auto r = parse_command(j.dump(), kNow, {});
    if (!c.reason) {
      EXPECT_TRUE(r.command) << c.type << " " << c.params.dump() << ": " << r.reason;
    } else {
      EXPECT_FALSE(r.command) << c.type << " " << c.params.dump();
      EXPECT_NE(r.reason.find(c.reason), std::string::npos)
          << c.type << " " << c.params.dump() << ": " << r.reason;
    }
  }
  auto j = valid();
  j["params"] = "sleep";
  EXPECT_NE(reason_of(j).find("params must be an object"), std::string::npos);
}

TEST(CommandParse, PeekIdReadsOnlyAStringId) {
  EXPECT_EQ(peek_id(R"({"id":"x","type":1})"), "x");
  EXPECT_EQ(peek_id(R"({"id":5})"), "");
  EXPECT_EQ(peek_id("garbage"), "");
}

TEST(CommandParse, OnlyHarmlessTypesAreRepeatedAfterARestart) {
  EXPECT_TRUE(repeatable("curtail"));
  EXPECT_TRUE(repeatable("resume"));
  EXPECT_TRUE(repeatable("set_power"));
  EXPECT_FALSE(repeatable("reboot"));
  EXPECT_FALSE(repeatable("switch_workload"));
  EXPECT_FALSE(repeatable("diagnose"));
}

}  // namespace
}  // namespace rigkeeper::agent::commands
