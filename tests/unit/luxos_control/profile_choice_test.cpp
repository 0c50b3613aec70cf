// The pure half of LuxOS control against the captures: profiles, the choice of a profile for a
// power target (values read off shared/fixtures/asic/luxos/profiles.json by hand), config.
#include <gtest/gtest.h>

#include "drivers/asic/luxos/control.h"
#include "tests/support/fixtures.h"

namespace rigkeeper::drivers::luxos {
namespace {

nlohmann::json capture(const char* name) {
  return nlohmann::json::parse(test::read_fixture(std::string("asic/luxos/") + name));
}

std::vector<Profile> capture_profiles() {
  auto p = parse_profiles(capture("profiles.json"));
  EXPECT_TRUE(p) << p.error().message;
  return p ? *p : std::vector<Profile>{};
}

TEST(LuxosProfiles, CaptureListsTwentyFiveProfiles) {
  const auto p = capture_profiles();
  ASSERT_EQ(p.size(), 25u);
  EXPECT_EQ(p.front().name, "190MHz");
  EXPECT_EQ(p.front().watts, 784);
  EXPECT_EQ(p[16].name, "default");
  EXPECT_EQ(p[16].watts, 2794);
  EXPECT_EQ(p.back().name, "790MHz");
  EXPECT_EQ(p.back().watts, 4195);
}

TEST(LuxosProfiles, HighestProfileNotAboveTarget) {
  const auto p = capture_profiles();
  struct Case {
    double target;
    const char* name;
    double watts;
  };
  for (const auto& c :
       {Case{1100, "265MHz", 1080}, Case{1080, "265MHz", 1080}, Case{1079.9, "240MHz", 978},
        Case{2800, "default", 2794}, Case{3000, "615MHz", 2954}, Case{784, "190MHz", 784},
        Case{100000, "790MHz", 4195}}) {
    auto chosen = choose_profile(p, c.target);
    ASSERT_TRUE(chosen) << c.target;
    EXPECT_EQ(chosen->name, c.name) << c.target;
    EXPECT_EQ(chosen->watts, c.watts) << c.target;
  }
  EXPECT_FALSE(choose_profile(p, 783.9)) << "every profile draws more";
  EXPECT_FALSE(choose_profile({}, 3000));
}

TEST(LuxosProfiles, FindByName) {
  const auto p = capture_profiles();
  ASSERT_TRUE(find_profile(p, "290MHz"));
  EXPECT_EQ(find_profile(p, "290MHz")->watts, 1188);
  EXPECT_FALSE(find_profile(p, "291MHz"));
  EXPECT_FALSE(find_profile(p, ""));
}

TEST(LuxosProfiles, BrokenRepliesAreProtocolErrorsOrSkipped) {
  auto j = capture("profiles.json");
  j["PROFILES"][0].erase("Watts");
  j["PROFILES"][1]["Watts"] = "lots";
  j["PROFILES"][2]["Watts"] = -5;
  j["PROFILES"][3].erase("Profile Name");
  auto p = parse_profiles(j);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->size(), 21u);
  EXPECT_EQ(choose_profile(*p, 1200)->name, "290MHz");
  EXPECT_EQ(choose_profile(*p, 1100), std::nullopt) << "190..265MHz are gone, not 0 W";

  EXPECT_EQ(parse_profiles(nlohmann::json::object()).error().code, Errc::kProtocol);
  EXPECT_EQ(parse_profiles(nlohmann::json::parse(R"({"PROFILES":"x"})")).error().code,
            Errc::kProtocol);
  EXPECT_EQ(parse_profiles(nlohmann::json::parse(R"({"PROFILES":[]})")).error().code,
            Errc::kProtocol);
  for (const auto& v : test::broken_variants(test::read_fixture("asic/luxos/profiles.json"))) {
    auto parsed = nlohmann::json::parse(v.bytes, nullptr, false);
    if (parsed.is_discarded()) continue;
    (void)parse_profiles(parsed);  // never throws or crashes
  }
}

TEST(LuxosConfig, ControlStateFromCapture) {
  auto s = parse_control_state(capture("config.json"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->curtail_mode, "None");
  EXPECT_FALSE(s->sleeping());
  EXPECT_EQ(s->profile, "290MHz");
  EXPECT_EQ(s->atm_enabled, true);
  EXPECT_EQ(s->red_led, "auto");

  auto j = capture("config.json");
  j["CONFIG"][0]["CurtailMode"] = "Sleep";
  j["CONFIG"][0].erase("Profile");
  j["CONFIG"][0]["IsAtmEnabled"] = "maybe";
  s = parse_control_state(j);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->sleeping());
  EXPECT_EQ(s->profile, std::nullopt);
  EXPECT_EQ(s->atm_enabled, std::nullopt);
  EXPECT_EQ(parse_control_state(capture("power.json")).error().code, Errc::kProtocol);
}

TEST(LuxosParameters, SessionFirstAndNoCommas) {
  EXPECT_EQ(*privileged_parameter("abc", {}), "abc");
  EXPECT_EQ(*privileged_parameter("abc", {"red", "blink"}), "abc,red,blink");
  EXPECT_EQ(privileged_parameter("abc", {"stratum+tcp://a,b"}).error().code,
            Errc::kInvalidArgument);
  EXPECT_EQ(privileged_parameter("abc", {std::string("x\ny")}).error().code,
            Errc::kInvalidArgument);
}

}  // namespace
}  // namespace rigkeeper::drivers::luxos
