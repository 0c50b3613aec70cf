// check_cgminer_status(): both STATUS shapes, the success letters, and the error mapping.
#include <gtest/gtest.h>

#include "drivers/api/cgminer_client.h"

namespace rigkeeper::drivers {
namespace {

using nlohmann::json;

json listed(const char* letter, json code, const char* msg) {
  return {{"STATUS",
           {{{"STATUS", letter},
             {"When", 1755615295},
             {"Code", code},
             {"Msg", msg},
             {"Description", "cgminer 4.11.1"}}}},
          {"id", 1}};
}

TEST(CgminerStatus, SuccessLetters) {
  EXPECT_TRUE(check_cgminer_status(listed("S", 11, "Summary")));
  EXPECT_TRUE(check_cgminer_status(listed("I", 118, "ASC 0 set info: success softoff:1753434821")));
  EXPECT_TRUE(check_cgminer_status(listed("W", 99, "Pool 0 already enabled")));
}

TEST(CgminerStatus, WhatsminerFlatForm) {
  EXPECT_TRUE(check_cgminer_status(json::parse(
      R"({"Code":131,"Description":"whatsminer v1.4.0","Msg":{"btmineroff":"true"},"STATUS":"S","When":1})")));
  EXPECT_TRUE(check_cgminer_status(json::parse(R"({"STATUS":"S","Msg":"Summary"})")));
  auto denied = check_cgminer_status(
      json::parse(R"({"STATUS":"E","When":1,"Code":45,"Msg":"Access denied"})"));
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, Errc::kAuth);
}

TEST(CgminerStatus, AccessDeniedIsAuth) {
  auto r = check_cgminer_status(listed("E", 45, "Access denied to 'devdetails' command"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kAuth);
  EXPECT_NE(r.error().message.find("code 45"), std::string::npos);
  EXPECT_NE(r.error().message.find("Access denied to 'devdetails' command"), std::string::npos);
}

TEST(CgminerStatus, InvalidCommandIsUnsupported) {
  auto r = check_cgminer_status(listed("E", 14, "Invalid command"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnsupported);
  auto as_text = check_cgminer_status(listed("E", "14", "Invalid command"));  // Code as a string
  ASSERT_FALSE(as_text);
  EXPECT_EQ(as_text.error().code, Errc::kUnsupported);
}

TEST(CgminerStatus, OtherErrorsAreDeviceErrors) {
  for (const char* letter : {"E", "F"}) {
    auto r = check_cgminer_status(listed(letter, 23, "Invalid ASC id 5 - range is 0 - 0"));
    ASSERT_FALSE(r) << letter;
    EXPECT_EQ(r.error().code, Errc::kDeviceError);
    EXPECT_NE(r.error().message.find("Invalid ASC id 5"), std::string::npos);
  }
}

TEST(CgminerStatus, MalformedStatusIsAProtocolError) {
  for (const char* text :
       {R"({"SUMMARY":[]})", R"({"STATUS":[]})", R"({"STATUS":42})", R"({"STATUS":[{"Code":11}]})",
        R"({"STATUS":[{"STATUS":"Q"}]})", R"([1,2])", R"("S")"}) {
    auto r = check_cgminer_status(json::parse(text));
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, Errc::kProtocol) << text;
  }
}

TEST(CgminerStatus, DeviceTextIsMadePrintable) {
  auto r = check_cgminer_status(listed("E", 1, "bad\x01\xff message"));
  ASSERT_FALSE(r);
  for (char c : r.error().message) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << r.error().message;
}

}  // namespace
}  // namespace rigkeeper::drivers
