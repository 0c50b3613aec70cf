#include "agent/config/suggest.h"

#include <gtest/gtest.h>

namespace rigkeeper::agent::config {
namespace {

TEST(Suggest, EditDistance) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("hsot", "host"), 1u);  // a transposition counts once
  EXPECT_EQ(edit_distance("Broker", "broker"), 0u);
}

TEST(Suggest, ClosestMatchOnlyWhenPlausible) {
  const std::vector<std::string> keys = {"poll_interval_s", "poll_timeout_s", "poll_jitter"};
  EXPECT_EQ(closest_match("poll_intervl_s", keys), "poll_interval_s");
  EXPECT_EQ(closest_match("poll_timeout", keys), "poll_timeout_s");
  EXPECT_EQ(closest_match("interval", keys), std::nullopt);
  EXPECT_EQ(closest_match("", keys), std::nullopt);
  EXPECT_EQ(closest_match(std::string(1000, 'a'), keys), std::nullopt);
  // Short words tolerate one edit only.
  EXPECT_EQ(closest_match("ix", {"id"}), "id");
  EXPECT_EQ(closest_match("xy", {"id"}), std::nullopt);
  EXPECT_EQ(did_you_mean("mqqt", {"agent", "mqtt"}), "; did you mean 'mqtt'?");
  EXPECT_EQ(did_you_mean("zzzz", {"agent", "mqtt"}), "");
}

}  // namespace
}  // namespace rigkeeper::agent::config
