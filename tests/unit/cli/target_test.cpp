// TARGET parsing of `rigkeeper probe` and the --since/--until durations.
#include <gtest/gtest.h>

#include "agent/cli/target.h"
#include "agent/cli/time_arg.h"

namespace rigkeeper::cli {
namespace {

TEST(Target, HostAndPort) {
  auto t = parse_target("10.0.0.5:4029");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, Target::Kind::kHost);
  EXPECT_EQ(t->host, "10.0.0.5");
  EXPECT_EQ(t->port, 4029);
  t = parse_target("miner-01.rack");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->host, "miner-01.rack");
  EXPECT_FALSE(t->port);
}

TEST(Target, Ipv6InBracketsOrBare) {
  auto t = parse_target("[fe80::1%eth0]:4028");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->host, "fe80::1%eth0");
  EXPECT_EQ(t->port, 4028);
  t = parse_target("[::1]");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->host, "::1");
  EXPECT_FALSE(t->port);
  t = parse_target("2001:db8::5");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->host, "2001:db8::5");
  EXPECT_FALSE(t->port);
}

TEST(Target, Urls) {
  auto t = parse_target("https://admin@bmc.rack:8443/redfish/v1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, Target::Kind::kUrl);
  EXPECT_EQ(t->host, "bmc.rack");
  t = parse_target("HTTP://[::1]:9400/metrics");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, Target::Kind::kUrl);
  EXPECT_EQ(t->host, "::1");
}

TEST(Target, Malformed) {
  for (const char* bad : {"", "host:", "host:0", "host:65536", "host:12ab", "[::1", "[::1]4028",
                          "a b", "ftp://x", "http://", "host/path"}) {
    auto t = parse_target(bad);
    EXPECT_FALSE(t) << bad;
    if (!t) {
      EXPECT_EQ(t.error().code, Errc::kInvalidArgument);
    }
  }
}

TEST(Target, HostPortPrintsBracketsForV6) {
  EXPECT_EQ(host_port("10.0.0.5", 4028), "10.0.0.5:4028");
  EXPECT_EQ(host_port("::1", 4028), "[::1]:4028");
  EXPECT_EQ(host_port("h", std::nullopt), "h");
}

TEST(TimeArg, Durations) {
  using std::chrono::milliseconds;
  EXPECT_EQ(parse_duration("90s"), milliseconds(90'000));
  EXPECT_EQ(parse_duration("15m"), milliseconds(900'000));
  EXPECT_EQ(parse_duration("1h30m"), milliseconds(5'400'000));
  EXPECT_EQ(parse_duration("2d"), milliseconds(172'800'000));
  EXPECT_EQ(parse_duration("1w"), milliseconds(604'800'000));
  for (const char* bad : {"", "10", "h", "5x", "1h30", "-5m", "99999999999999999999s"})
    EXPECT_FALSE(parse_duration(bad)) << bad;
}

TEST(TimeArg, DurationBackFromNowOrTimestamp) {
  const Timestamp now = from_unix_ms(1'800'000'000'000);
  EXPECT_EQ(parse_time_arg("2h", now), now - std::chrono::hours(2));
  const auto ts = parse_time_arg("2026-11-22T02:21:09.123Z", now);
  ASSERT_TRUE(ts);
  EXPECT_EQ(format_rfc3339(*ts), "2026-11-22T02:21:09.123Z");
  EXPECT_FALSE(parse_time_arg("2026-13-45", now));
}

}  // namespace
}  // namespace rigkeeper::cli
