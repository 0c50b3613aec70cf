// control_request against no daemon and against servers that misbehave; the reply helpers.
#include <unistd.h>

#include <gtest/gtest.h>

#include "agent/control/control_protocol.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/control/raw_unix_socket.h"

namespace rigkeeper::test {
namespace {

using agent::control_request;
using nlohmann::json;
using std::chrono::milliseconds;

TEST(ControlClient, NoSocketIsUnreachable) {
  TempDir dir;
  auto reply = control_request(dir / "none.sock", {{"cmd", "status"}});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, Errc::kUnreachable);
  EXPECT_NE(reply.error().message.find("none.sock"), std::string::npos) << reply.error().message;
  EXPECT_NE(reply.error().message.find("not running"), std::string::npos) << reply.error().message;
}

TEST(ControlClient, StaleSocketIsUnreachable) {
  TempDir dir;
  const int fd = unix_listen(dir / "stale.sock");
  ASSERT_GE(fd, 0);
  ::close(fd);
  auto reply = control_request(dir / "stale.sock", {{"cmd", "status"}});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, Errc::kUnreachable);
}

TEST(ControlClient, ServerThatNeverAnswersTimesOut) {
  TempDir dir;
  // Listening but never accepting: the kernel completes the connection and takes the request.
  const int fd = unix_listen(dir / "mute.sock");
  ASSERT_GE(fd, 0);
  auto reply = control_request(dir / "mute.sock", {{"cmd", "status"}}, milliseconds(300));
  ::close(fd);
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, Errc::kTimeout) << reply.error().message;
}

struct BadReply {
  const char* name;
  std::string bytes;
};

class ControlClientBadReply : public ::testing::TestWithParam<BadReply> {};

TEST_P(ControlClientBadReply, IsAProtocolError) {
  TempDir dir;
  const std::string bytes = GetParam().bytes;
  RawServer server(dir / "bad.sock", [bytes](int fd) {
    send_bytes(fd, bytes);
    ::close(fd);
  });
  ASSERT_TRUE(server.listening());
  auto reply = control_request(dir / "bad.sock", {{"cmd", "status"}}, std::chrono::seconds(10));
  ASSERT_FALSE(reply) << reply->dump();
  EXPECT_EQ(reply.error().code, Errc::kProtocol) << reply.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Replies, ControlClientBadReply,
    ::testing::Values(BadReply{"empty", ""}, BadReply{"garbage", "\x01\x02garbage\n"},
                      BadReply{"truncated", "{\"ok\":tr"}, BadReply{"array", "[1,2]\n"},
                      BadReply{"oversize", std::string(agent::kMaxReplyBytes + 10, ' ')}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(ControlClient, OnlyTheFirstLineIsTheReply) {
  TempDir dir;
  RawServer server(dir / "two.sock", [](int fd) {
    send_bytes(fd, "{\"ok\":true,\"n\":1}\n{\"ok\":false}\n");
    ::close(fd);
  });
  auto reply = control_request(dir / "two.sock", {{"cmd", "status"}});
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ((*reply)["n"], 1);
}

TEST(ControlClient, OversizeRequestIsRefusedBeforeSending) {
  TempDir dir;
  auto reply =
      control_request(dir / "x.sock", {{"blob", std::string(agent::kMaxRequestBytes, 'x')}});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, Errc::kInvalidArgument);
}

TEST(ControlReply, ErrorReplyRoundTrips) {
  const json reply = agent::control_error_reply(Errc::kUnsupported, "no such command");
  EXPECT_EQ(reply["ok"], false);
  EXPECT_EQ(reply["error"]["code"], "unsupported");
  const auto err = agent::control_reply_error(reply);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->code, Errc::kUnsupported);
  EXPECT_EQ(err->message, "no such command");
}

TEST(ControlReply, OkReplyHasNoError) {
  EXPECT_FALSE(agent::control_reply_error(json{{"ok", true}, {"site", "s"}}));
}

TEST(ControlReply, MalformedRepliesAreErrors) {
  const auto no_ok = agent::control_reply_error(json{{"site", "s"}});
  ASSERT_TRUE(no_ok);
  EXPECT_EQ(no_ok->code, Errc::kProtocol);
  const auto unknown =
      agent::control_reply_error(json{{"ok", false}, {"error", {{"code", "weird"}}}});
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->code, Errc::kInternal);
  const auto not_obj = agent::control_reply_error(json::array());
  ASSERT_TRUE(not_obj);
  EXPECT_EQ(not_obj->code, Errc::kProtocol);
}

}  // namespace
}  // namespace rigkeeper::test
