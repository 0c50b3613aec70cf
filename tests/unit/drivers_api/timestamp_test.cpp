// RFC 3339 UTC timestamps with milliseconds, as the contract writes them.
#include "drivers/api/timestamp.h"

#include <gtest/gtest.h>

namespace rigkeeper {
namespace {

TEST(Timestamp, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(format_rfc3339(from_unix_ms(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339(from_unix_ms(1763778069123)), "2025-11-22T02:21:09.123Z");
  EXPECT_EQ(format_rfc3339(from_unix_ms(951782400007)), "2000-02-29T00:00:00.007Z");  // leap day
  EXPECT_EQ(format_rfc3339(from_unix_ms(-1)), "1969-12-31T23:59:59.999Z");
  // Past 2038: a 32-bit time_t (armhf) cannot hold these; the calendar code must.
  EXPECT_EQ(format_rfc3339(from_unix_ms(2147483648000)), "2038-01-19T03:14:08.000Z");
  EXPECT_EQ(format_rfc3339(from_unix_ms(4102444799999)), "2099-12-31T23:59:59.999Z");
}

TEST(Timestamp, ParsesWhatItFormats) {
  for (int64_t ms :
       {int64_t{0}, int64_t{1763778069123}, int64_t{951782400007}, int64_t{4102444799999}}) {
    auto t = parse_rfc3339(format_rfc3339(from_unix_ms(ms)));
    ASSERT_TRUE(t) << ms;
    EXPECT_EQ(to_unix_ms(*t), ms);
  }
  const Timestamp now = now_ms();
  EXPECT_EQ(parse_rfc3339(format_rfc3339(now)).value(), now);
}

TEST(Timestamp, AppliesOffsets) {
  const int64_t utc = to_unix_ms(parse_rfc3339("2025-11-22T02:21:09.123Z").value());
  EXPECT_EQ(to_unix_ms(parse_rfc3339("2025-11-22T04:21:09.123+02:00").value()), utc);
  EXPECT_EQ(to_unix_ms(parse_rfc3339("2025-11-21T20:51:09.123-05:30").value()), utc);
  EXPECT_EQ(to_unix_ms(parse_rfc3339("2025-11-22T02:21:09.123+00:00").value()), utc);
  EXPECT_EQ(to_unix_ms(parse_rfc3339("2025-11-22t02:21:09.123z").value()), utc);
}

TEST(Timestamp, FractionsOfAnyLength) {
  EXPECT_EQ(to_unix_ms(parse_rfc3339("1970-01-01T00:00:01Z").value()), 1000);
  EXPECT_EQ(to_unix_ms(parse_rfc3339("1970-01-01T00:00:01.5Z").value()), 1500);
  EXPECT_EQ(to_unix_ms(parse_rfc3339("1970-01-01T00:00:01.25Z").value()), 1250);
  EXPECT_EQ(to_unix_ms(parse_rfc3339("1970-01-01T00:00:01.123456789Z").value()), 1123);
}

TEST(Timestamp, RefusesBadInput) {
  for (const char* bad :
       {"", "yesterday", "2025-11-22", "2025-11-22T02:21:09", "2025-11-22T02:21:09.Z",
        "2025-13-22T02:21:09Z", "2025-11-32T02:21:09Z", "2025-11-22T24:00:00Z",
        "2025-11-22T02:60:09Z", "2025-11-22T02:21:09+0200", "2025-11-22T02:21:09+02",
        "2025-11-22T02:21:09Zjunk", "2025/11/22T02:21:09Z", "２０２５-11-22T02:21:09Z",
        "2025-11-22T02:21:09.123Z ", "-025-11-22T02:21:09Z", "2025-02-29T00:00:00Z",
        "2025-04-31T00:00:00Z"}) {
    auto r = parse_rfc3339(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().code, Errc::kInvalidArgument) << bad;
    }
  }
}

TEST(Timestamp, ErrorQuotesTheInput) {
  auto r = parse_rfc3339("not-a-time");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not-a-time"), std::string::npos);
}

}  // namespace
}  // namespace rigkeeper
