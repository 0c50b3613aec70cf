// The RANGE argument of `rigkeeper scan`: every accepted form, the caps, and the errors.
#include <gtest/gtest.h>

#include "agent/cli/address_range.h"

namespace rigkeeper::cli {
namespace {

AddressRange ok(const char* text) {
  auto r = parse_address_range(text);
  EXPECT_TRUE(r) << text << ": " << (r ? "" : r.error().message);
  return r ? *r : AddressRange{};
}

Error bad(const char* text) {
  auto r = parse_address_range(text);
  EXPECT_FALSE(r) << text << " was accepted";
  return r ? Error{Errc::kInternal, ""} : r.error();
}

TEST(AddressRange, CidrSkipsNetworkAndBroadcast) {
  const auto r = ok("10.0.0.0/22");
  EXPECT_EQ(r.size(), 1022u);
  EXPECT_EQ(r.at(0), "10.0.0.1");
  EXPECT_EQ(r.at(r.size() - 1), "10.0.3.254");
}

TEST(AddressRange, CidrFromAHostAddressUsesItsNetwork) {
  const auto r = ok("192.168.1.77/24");
  EXPECT_EQ(r.at(0), "192.168.1.1");
  EXPECT_EQ(r.size(), 254u);
}

TEST(AddressRange, SmallPrefixesKeepEveryAddress) {
  EXPECT_EQ(ok("10.0.0.8/32").size(), 1u);
  EXPECT_EQ(ok("10.0.0.8/32").at(0), "10.0.0.8");
  EXPECT_EQ(ok("10.0.0.8/31").size(), 2u);
  EXPECT_EQ(ok("10.0.0.8/30").size(), 2u);  // .9 and .10
  EXPECT_EQ(ok("10.0.0.8/30").at(0), "10.0.0.9");
}

TEST(AddressRange, SixteenIsTheCap) {
  EXPECT_EQ(ok("10.1.0.0/16").size(), 65534u);
  const auto e = bad("10.0.0.0/15");
  EXPECT_EQ(e.code, Errc::kInvalidArgument);
  EXPECT_NE(e.message.find("131072"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("65536"), std::string::npos) << e.message;
  EXPECT_EQ(bad("0.0.0.0/0").code, Errc::kInvalidArgument);
  EXPECT_EQ(bad("10.0.0.0-10.2.0.0").code, Errc::kInvalidArgument);
  EXPECT_EQ(ok("10.0.0.0-10.0.255.255").size(), 65536u);
}

TEST(AddressRange, FirstLastInclusiveAcrossOctets) {
  const auto r = ok("10.0.0.250-10.0.1.5");
  EXPECT_EQ(r.size(), 12u);
  EXPECT_EQ(r.at(0), "10.0.0.250");
  EXPECT_EQ(r.at(6), "10.0.1.0");
  EXPECT_EQ(r.at(11), "10.0.1.5");
}

TEST(AddressRange, LastOctetShortForm) {
  const auto r = ok("10.0.0.1-254");
  EXPECT_EQ(r.size(), 254u);
  EXPECT_EQ(r.at(253), "10.0.0.254");
  EXPECT_EQ(ok("10.0.0.5-5").size(), 1u);
}

TEST(AddressRange, SingleHost) {
  const auto r = ok("127.0.0.1");
  EXPECT_EQ(r.size(), 1u);
  EXPECT_EQ(r.at(0), "127.0.0.1");
}

TEST(AddressRange, MalformedInputsAreUsageErrors) {
  for (const char* text : {"",           "10.0.0",       "10.0.0.256",  "10.0.0.1.2",
                           "10.0.0.-1",  "10..0.1",      "a.b.c.d",     "10.0.0.0/33",
                           "10.0.0.0/",  "/24",          "10.0.0.0/2x", "10.0.0.9-10.0.0.1",
                           "10.0.0.9-3", "10.0.0.1-256", "10.0.0.1-",   "-10.0.0.1",
                           " 10.0.0.1",  "10.0.0.1 ",    "+10.0.0.1",   "miner-01",
                           "::1"}) {
    const auto e = bad(text);
    EXPECT_EQ(e.code, Errc::kInvalidArgument) << text;
    EXPECT_NE(e.message.find("bad range"), std::string::npos) << text << ": " << e.message;
  }
}

TEST(AddressRange, Ipv4RoundTrip) {
  EXPECT_EQ(parse_ipv4("0.0.0.0"), 0u);
  EXPECT_EQ(parse_ipv4("255.255.255.255"), 0xffffffffu);
  EXPECT_EQ(format_ipv4(*parse_ipv4("10.20.30.40")), "10.20.30.40");
  EXPECT_FALSE(parse_ipv4("1.2.3.4.5"));
  EXPECT_FALSE(parse_ipv4("1234.1.1.1"));
}

}  // namespace
}  // namespace rigkeeper::cli
