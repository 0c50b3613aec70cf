// Request handling above the socket: multi-commands in the real-firmware array form, the
// S19j Pro that rejects them, unknown commands, denied devdetails, text requests, framing.
#include <gtest/gtest.h>

#include "drivers/sim/cgminer_dispatch.h"
#include "drivers/sim/cgminer_request.h"
#include "tests/unit/sim/sim_test_util.h"

namespace rigkeeper::drivers::sim::test {
namespace {

using Json = nlohmann::ordered_json;

Json ask(Family family, std::string_view model, std::string_view request) {
  AsicDevice device(identity_of(family, model), t0());
  const auto r = reading_of(device, std::chrono::seconds(120));
  const std::string wire = answer(request, r, responder_for(family));
  EXPECT_FALSE(wire.empty());
  EXPECT_EQ(wire.back(), '\0') << "cgminer replies end with one NUL";
  EXPECT_EQ(wire.find('\0'), wire.size() - 1) << "and contain no other";
  return Json::parse(wire.substr(0, wire.size() - 1));
}

TEST(Dispatch, MultiCommandUsesTheArrayWrappedForm) {
  const Json j = ask(Family::kAntminer, "Antminer S19 Pro", R"({"command":"summary+stats+pools"})");
  EXPECT_EQ(key_list(j), (std::vector<std::string>{"summary", "stats", "pools", "id"}));
  EXPECT_EQ(j["id"], 1);
  for (const char* cmd : {"summary", "stats", "pools"}) {
    ASSERT_TRUE(j[cmd].is_array()) << cmd;
    ASSERT_EQ(j[cmd].size(), 1u) << cmd;
    EXPECT_EQ(j[cmd][0]["STATUS"][0]["STATUS"], "S") << cmd;
    EXPECT_EQ(j[cmd][0]["id"], 1) << cmd;
  }
  EXPECT_TRUE(j["summary"][0].contains("SUMMARY"));
  EXPECT_EQ(j["stats"][0]["STATS"].size(), 2u);
}

TEST(Dispatch, EachFamilyAnswersMultiCommands) {
  const std::pair<Family, const char*> devices[] = {{Family::kLuxos, "Antminer S19k Pro"},
                                                    {Family::kBraiins, "Antminer S19j Pro"},
                                                    {Family::kCgminer, "S9"}};
  for (const auto& [family, model] : devices) {
    const Json j = ask(family, model, R"({"command":"summary+devs+pools"})");
    for (const char* cmd : {"summary", "devs", "pools"}) {
      ASSERT_TRUE(j.contains(cmd)) << driver_name(family) << " " << cmd;
      EXPECT_EQ(j[cmd][0]["STATUS"][0]["STATUS"], "S") << driver_name(family) << " " << cmd;
    }
  }
}

TEST(Dispatch, AnUnknownSubCommandFailsOnlyItsOwnSection) {
  const Json j = ask(Family::kBraiins, "Antminer S19j Pro", R"({"command":"summary+bogus"})");
  EXPECT_EQ(j["summary"][0]["STATUS"][0]["STATUS"], "S");
  EXPECT_EQ(j["bogus"][0]["STATUS"][0]["STATUS"], "E");
  EXPECT_EQ(j["bogus"][0]["STATUS"][0]["Code"], 14);
}

TEST(Dispatch, StockDevdetailsInsideAMultiCommandIsDenied) {
  const Json j = ask(Family::kAntminer, "Antminer S19 Pro", R"({"command":"version+devdetails"})");
  EXPECT_EQ(j["version"][0]["STATUS"][0]["STATUS"], "S");
  EXPECT_EQ(j["devdetails"][0]["STATUS"][0]["Code"], 45);
}

TEST(Dispatch, TheS19jProRejectsMultiCommandsButAnswersSingleOnes) {
  const Json multi = ask(Family::kAntminer, "Antminer S19j Pro", R"({"command":"summary+stats"})");
  EXPECT_EQ(key_list(multi), (std::vector<std::string>{"STATUS", "id"}));
  EXPECT_EQ(multi["STATUS"][0]["STATUS"], "E");
  EXPECT_EQ(multi["STATUS"][0]["Code"], 14);
  EXPECT_EQ(multi["STATUS"][0]["Msg"], "Invalid command");
  const Json single = ask(Family::kAntminer, "Antminer S19j Pro", R"({"command":"summary"})");
  EXPECT_EQ(single["STATUS"][0]["STATUS"], "S");
  EXPECT_TRUE(single.contains("SUMMARY"));
}

TEST(Dispatch, OnlyTheS19jProRejectsMultiCommands) {
  for (const auto& m : models_of(Family::kAntminer)) {
    const Json j = ask(Family::kAntminer, m.name, R"({"command":"summary+pools"})");
    EXPECT_EQ(j.contains("summary"), m.name != std::string_view("Antminer S19j Pro")) << m.name;
  }
}

TEST(Dispatch, UnknownCommandIsCode14) {
  for (Family f :
       {Family::kAntminer, Family::kLuxos, Family::kBraiins, Family::kCgminer, Family::kAvalon}) {
    const auto model = models_of(f)[0].name;
    const Json j = ask(f, model, R"({"command":"frobnicate"})");
    EXPECT_EQ(j["STATUS"][0]["STATUS"], "E") << driver_name(f);
    EXPECT_EQ(j["STATUS"][0]["Code"], 14) << driver_name(f);
  }
}

TEST(Dispatch, DevdetailsDeniedOnStockOnly) {
  EXPECT_EQ(
      ask(Family::kAntminer, "Antminer S21", R"({"command":"devdetails"})")["STATUS"][0]["Code"],
      45);
  const Json bos = ask(Family::kBraiins, "Antminer S19j Pro", R"({"command":"devdetails"})");
  EXPECT_EQ(bos["STATUS"][0]["STATUS"], "S");
  EXPECT_EQ(bos["DEVDETAILS"][0]["Chips"], 126);
  EXPECT_EQ(bos["DEVDETAILS"][0]["Model"], "Bitmain Antminer S19j Pro");
  const Json generic = ask(Family::kCgminer, "S9", R"({"command":"devdetails"})");
  EXPECT_EQ(generic["STATUS"][0]["STATUS"], "S");
}

TEST(Dispatch, PlainTextRequestsAreAnsweredInJson) {
  const Json j = ask(Family::kAntminer, "Antminer S19 Pro", "summary\n");
  EXPECT_TRUE(j.contains("SUMMARY"));
  const Json bare = ask(Family::kLuxos, "Antminer S19k Pro", "summary");
  EXPECT_TRUE(bare.contains("SUMMARY"));
  const Json param = ask(Family::kLuxos, "Antminer S19k Pro", "voltageget|1");
  EXPECT_EQ(param["VOLTAGE"][0]["Board"], 1);
}

TEST(Dispatch, BrokenRequestsGetCgminerErrors) {
  EXPECT_EQ(ask(Family::kAntminer, "Antminer S19 Pro", R"({"command":)")["STATUS"][0]["Code"], 23);
  EXPECT_EQ(ask(Family::kAntminer, "Antminer S19 Pro", R"({"parameter":"x"})")["STATUS"][0]["Code"],
            24);
  EXPECT_EQ(ask(Family::kAntminer, "Antminer S19 Pro", R"({"command":42})")["STATUS"][0]["Code"],
            24);
  EXPECT_EQ(ask(Family::kAntminer, "Antminer S19 Pro", "\x01\x02garbage")["STATUS"][0]["Code"], 14);
  EXPECT_EQ(ask(Family::kAntminer, "Antminer S19 Pro", "")["STATUS"][0]["Code"], 14);
  EXPECT_EQ(
      ask(Family::kAntminer, "Antminer S19 Pro", std::string(20000, '{'))["STATUS"][0]["Code"], 23);
}

TEST(Dispatch, LuxosRejectsABoardItDoesNotHave) {
  const Json j =
      ask(Family::kLuxos, "Antminer S19k Pro", R"({"command":"healthchipget","parameter":"7"})");
  EXPECT_EQ(j["STATUS"][0]["STATUS"], "E");
  const Json bad = ask(Family::kLuxos, "Antminer S19k Pro",
                       "{\"command\":\"voltageget\",\"parameter\":\"\\u00ff\\ud800\"}");
  EXPECT_EQ(bad["STATUS"][0]["STATUS"], "E");
}

TEST(Request, ParsesMultiCommandsLikeCgminer) {
  const auto r = parse_cgminer_request(R"({"command":"+summary++devs+summary+","parameter":"3"})");
  ASSERT_FALSE(r.error_code);
  EXPECT_TRUE(r.multi);
  EXPECT_EQ(r.commands, (std::vector<std::string>{"summary", "devs"}));
  EXPECT_EQ(r.parameter, "3");
  const auto numeric = parse_cgminer_request(R"({"command":"asc","parameter":0})");
  EXPECT_EQ(numeric.parameter, "0");
  EXPECT_FALSE(numeric.multi);
}

TEST(Request, CompletenessFollowsJsonNestingAndTextTerminators) {
  EXPECT_FALSE(request_complete(R"({"command":"sum)"));
  EXPECT_FALSE(request_complete(R"({"command":"a}")"));
  EXPECT_TRUE(request_complete(R"({"command":"a}"})"));
  EXPECT_TRUE(request_complete(" {\"command\":\"summary\"}"));
  EXPECT_FALSE(request_complete("summary"));
  EXPECT_TRUE(request_complete("summary\n"));
  EXPECT_FALSE(request_complete("   "));
}

}  // namespace
}  // namespace rigkeeper::drivers::sim::test
