// Every repair rule of json_repair.h: broken input -> the JSON it must become, and the
// guarantees around them (valid JSON untouched, unrepairable input -> kProtocol).
#include "drivers/api/json_repair.h"

#include <gtest/gtest.h>

namespace rigkeeper::drivers {
namespace {

using nlohmann::json;
using namespace std::string_literals;

struct Rule {
  const char* name;
  std::string input;
  const char* expected;  // strict JSON
};

// The firmware defects, one case each (docs/drivers/cgminer-api.md has the sources).
const Rule kRules[] = {
    {"trailing_nul", "{\"a\":1}\0"s, R"({"a":1})"},
    {"several_trailing_nuls_and_newline", "{\"a\":1}\n\0\0\0"s, R"({"a":1})"},
    {"comma_before_brace", R"({"STATUS":"S","Msg":{"a":1,},})", R"({"STATUS":"S","Msg":{"a":1}})"},
    {"comma_before_bracket", R"({"x":[1,2,],"y":[{"a":1} , ]})", R"({"x":[1,2],"y":[{"a":1}]})"},
    {"newline_inside_string", "{\"Msg\":\"power\nsupply\r\n ok\"}", R"({"Msg":"powersupply ok"})"},
    {"tab_inside_string", "{\"Msg\":\"a\tb\x01\"}", R"({"Msg":"a\tb\u0001"})"},
    {"missing_comma_between_objects",
     R"({"STATS":[{"BMMiner":"1.0.0"}{"STATS":0,"ID":"BTM_SOC0"}]})",
     R"({"STATS":[{"BMMiner":"1.0.0"},{"STATS":0,"ID":"BTM_SOC0"}]})"},
    {"missing_comma_between_sections", R"({"STATUS":[{"STATUS":"S"}]"SUMMARY":[{"Elapsed":5}]})",
     R"({"STATUS":[{"STATUS":"S"}],"SUMMARY":[{"Elapsed":5}]})"},
    {"comma_after_bracket", R"({"DEVS":[,{"ASC":0},{"ASC":1}]})",
     R"({"DEVS":[{"ASC":0},{"ASC":1}]})"},
    {"btminer_missing_comma_before_temp0",
     R"({"SUMMARY":[{"Power Mode":"Normal""temp0":71.5,"temp1":70}]})",
     R"({"SUMMARY":[{"Power Mode":"Normal","temp0":71.5,"temp1":70}]})"},
    {"btminer_empty_value_before_temp0", R"({"a":"""temp0":1})", R"({"a":"","temp0":1})"},
    {"bare_inf_nan", R"({"a":inf,"b":-inf,"c":nan,"d":NaN,"e":-nan,"f":Infinity,"g":1})",
     R"({"a":null,"b":null,"c":null,"d":null,"e":null,"f":null,"g":1})"},
    {"quoted_inf_nan_in_broken_reply", R"({"MM ID0":"x","GHSmm":"inf","Temp":"nan",})",
     R"({"MM ID0":"x","GHSmm":null,"Temp":null})"},
    {"quoted_inf_nan_in_valid_reply", R"({"GHSmm":"inf","Temp":"NaN","TMax":"-inf","Ver":"nano"})",
     R"({"GHSmm":null,"Temp":null,"TMax":null,"Ver":"nano"})"},
    {"number_beyond_double", R"({"big":1e999,"ok":2.5})", R"({"big":null,"ok":2.5})"},
    {"reply_starting_with_comma", R"(,"id":1})", R"({"id":1})"},
    {"reply_starting_with_comma_and_sections", R"(,"STATUS":[{"STATUS":"S"}],"id":1})",
     R"({"STATUS":[{"STATUS":"S"}],"id":1})"},
    {"whatsminer_error_code_dict_in_brackets",
     R"({"STATUS":"S","Msg":{"error_code":["110":"2023-01-01 10:00:00","2010":"2023-01-02 11:00:00"]}})",
     R"({"STATUS":"S","Msg":{"error_code":{"110":"2023-01-01 10:00:00","2010":"2023-01-02 11:00:00"}}})"},
    {"truncated_inside_number",
     R"({"STATUS":[{"STATUS":"S"}],"SUMMARY":[{"Elapsed":50474,"GHS 5s":1105)",
     R"({"STATUS":[{"STATUS":"S"}],"SUMMARY":[{"Elapsed":50474}]})"},
    {"truncated_inside_key", R"({"STATUS":[{"STATUS":"S"}],"SUMMARY":[{"Elapsed":50474,"GHS)",
     R"({"STATUS":[{"STATUS":"S"}],"SUMMARY":[{"Elapsed":50474}]})"},
    {"truncated_after_colon", R"({"a":1,"b":)", R"({"a":1})"},
    {"truncated_inside_escape", R"({"a":[1,2],"b":"x\)", R"({"a":[1,2]})"},
    {"truncated_inside_utf8", "{\"a\":true,\"b\":\"\xc2", R"({"a":true})"},
    {"truncated_right_after_open", R"({"STATUS":[{)", R"({"STATUS":[{}]})"},
    {"truncated_long_error_list",
     R"({"STATUS":"S","Msg":{"error_code":[{"110":"x"},{"111":"y"},{"11)",
     R"({"STATUS":"S","Msg":{"error_code":[{"110":"x"},{"111":"y"},{}]}})"},
    {"missing_value", R"({"a":,"b":1,"c":})", R"({"a":null,"b":1,"c":null})"},
    {"key_without_value", R"({"a","b":1})", R"({"a":null,"b":1})"},
    {"extra_commas", R"([1,,2,,,3])", R"([1,2,3])"},
    {"invalid_escape_kept_as_backslash", R"({"path":"C:\miner\'x'","ok":1,})",
     R"({"path":"C:\\miner\\'x'","ok":1})"},
    {"latin1_byte_in_string",
     "{\"unit\":\"\xb0"
     "C\",}",
     R"({"unit":"\ufffdC"})"},
    {"unpaired_surrogate", R"({"a":"\ud800x",})", R"({"a":"\ufffdx"})"},
    {"nul_between_tokens", "{\"a\":1,\0\"b\":2}"s, R"({"a":1,"b":2})"},
    {"nul_inside_string", "{\"a\":\"x\0y\",}"s, R"({"a":"x\u0000y"})"},
    {"trailing_junk_after_reply", R"({"a":1}{"b":2})", R"({"a":1})"},
};

class RepairRule : public ::testing::TestWithParam<Rule> {};

TEST_P(RepairRule, ParsesToTheExpectedJson) {
  const Rule& rule = GetParam();
  auto parsed = parse_cgminer_json(rule.input);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, json::parse(rule.expected)) << parsed->dump();
  // repair_cgminer_json gives text that parses to the same (strictly, no second repair).
  const std::string repaired = repair_cgminer_json(rule.input);
  auto strict = json::parse(repaired, nullptr, false);
  ASSERT_FALSE(strict.is_discarded()) << repaired;
  auto again = parse_cgminer_json(repaired);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *parsed);
}

INSTANTIATE_TEST_SUITE_P(Firmware, RepairRule, ::testing::ValuesIn(kRules),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(JsonRepair, ValidJsonIsNeverRewritten) {
  // Every pattern a repair looks for, inside string literals of a valid reply.
  const std::string valid =
      R"({"Msg":"a,}b,]c}{d[,{e\"\"temp0 inf nan ,\"x\":1","error_code":["110","2010"],)"
      R"("Description":"cgminer 4.9.2\n","list":[{"k":"v"},{"k":"w"}],"n":-0.5e-3})";
  EXPECT_EQ(repair_cgminer_json(valid), valid);
  EXPECT_EQ(repair_cgminer_json(valid + '\0'), valid);
  auto parsed = parse_cgminer_json(valid);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, json::parse(valid));
  EXPECT_TRUE((*parsed)["error_code"].is_array());  // a real list of strings stays a list
}

TEST(JsonRepair, TopLevelScalarsAreJson) {
  EXPECT_EQ(parse_cgminer_json("\"RESTART\"").value(), "RESTART");
  EXPECT_EQ(parse_cgminer_json("[]").value(), json::array());
}

struct Refused {
  const char* name;
  std::string input;
  const char* in_message;
};

const Refused kRefused[] = {
    {"empty", "", "empty reply"},
    {"only_nuls", "\0\0"s, "no JSON"},
    {"html", "<html><body>404 Not Found</body></html>", "<html><body>404"},
    {"binary", "\x89PNG\r\n\x1a\n\x00\x01"s, "\\x89PNG"},
    {"quotes_removed", "{STATUS: [{STATUS: S}]}", "expected a key"},
    {"bare_word", R"({"a":yes})", "unreadable value 'yes'"},
    {"single_quotes", R"({'a':1})", "unexpected '''"},
    {"mismatched_close", R"({"a":[1,2}})", "mismatched"},
    {"truncated_scalar", R"("RESTA)", "incomplete"},
    {"colon_in_list", R"({"a":["x","y":1]})", "unexpected ':'"},
};

class RefusedInput : public ::testing::TestWithParam<Refused> {};

TEST_P(RefusedInput, IsAProtocolErrorShowingTheBytes) {
  const Refused& r = GetParam();
  auto parsed = parse_cgminer_json(r.input);
  ASSERT_FALSE(parsed) << parsed->dump();
  EXPECT_EQ(parsed.error().code, Errc::kProtocol);
  EXPECT_NE(parsed.error().message.find(r.in_message), std::string::npos) << parsed.error().message;
  for (char c : parsed.error().message)
    EXPECT_TRUE(c >= 0x20 && c < 0x7f) << parsed.error().message;
}

INSTANTIATE_TEST_SUITE_P(Garbage, RefusedInput, ::testing::ValuesIn(kRefused),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(JsonRepair, NestingIsBounded) {
  const std::string ok = std::string(64, '[') + std::string(64, ']');
  EXPECT_TRUE(parse_cgminer_json(ok));
  for (const std::string& deep : {std::string(65, '[') + std::string(65, ']'),
                                  std::string(200000, '['), "{\"a\":" + std::string(100000, '[')}) {
    auto r = parse_cgminer_json(deep);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kProtocol);
    EXPECT_NE(r.error().message.find("nesting"), std::string::npos) << r.error().message;
  }
}

TEST(JsonRepair, LargeBrokenReplyIsRepairedInOnePass) {
  // 20000 members with the bmminer defects: linear work, not one rescan per defect.
  std::string big = "{\"STATS\":[";
  for (int i = 0; i < 20000; ++i) big += "{\"id\":" + std::to_string(i) + ",\"t\":nan,}";
  big += ",]}";
  big.push_back('\0');
  auto parsed = parse_cgminer_json(big);
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ((*parsed)["STATS"].size(), 20000u);
  EXPECT_EQ((*parsed)["STATS"][19999]["id"], 19999);
  EXPECT_TRUE((*parsed)["STATS"][7]["t"].is_null());
}

}  // namespace
}  // namespace rigkeeper::drivers
