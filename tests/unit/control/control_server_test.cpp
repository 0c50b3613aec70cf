// ControlServer: one request line in, one reply line out; bad input answered, silent clients
// dropped without holding up others, stale sockets replaced, live ones left alone.
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <fstream>

#include <gtest/gtest.h>

#include "agent/control/control_protocol.h"
#include "tests/support/fixtures.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/control/raw_unix_socket.h"
#include "tests/unit/control/server_thread.h"

namespace rigkeeper::test {
namespace {

using agent::control_request;
using nlohmann::json;

json echo(const json& request) { return {{"ok", true}, {"echo", request}}; }

/// Sends raw bytes and returns the parsed reply line (null json if none or not JSON).
json raw_exchange(const std::filesystem::path& path, const std::string& bytes) {
  const int fd = unix_connect(path);
  if (fd < 0) return nullptr;
  send_bytes(fd, bytes);
  auto reply = read_to_eof(fd, std::chrono::seconds(10));
  ::close(fd);
  if (!reply) return nullptr;
  return json::parse(*reply, nullptr, false);
}

TEST(ControlServer, RoundTripCallsHandlerAndReturnsItsReply) {
  TempDir dir;
  std::atomic<int> calls{0};
  ControlServerThread server(dir / "ctl.sock", [&](const json& req) {
    ++calls;
    return echo(req);
  });
  ASSERT_TRUE(server.start());
  const json request = {{"cmd", "status"}, {"detail", {1, 2, 3}}};
  auto reply = control_request(dir / "ctl.sock", request);
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ((*reply)["ok"], true);
  EXPECT_EQ((*reply)["echo"], request);
  EXPECT_EQ(calls.load(), 1);
  // The connection is one-shot, but the server keeps serving new ones.
  auto again = control_request(dir / "ctl.sock", {{"cmd", "status"}});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(calls.load(), 2);
}

TEST(ControlServer, BadJsonIsAnsweredWithProtocolError) {
  TempDir dir;
  std::atomic<bool> called{false};
  ControlServerThread server(dir / "ctl.sock", [&](const json& req) {
    called = true;
    return echo(req);
  });
  ASSERT_TRUE(server.start());
  const json reply = raw_exchange(dir / "ctl.sock", "{\"cmd\": status\n");
  ASSERT_TRUE(reply.is_object()) << reply;
  EXPECT_EQ(reply["ok"], false);
  EXPECT_EQ(reply["error"]["code"], "protocol");
  EXPECT_FALSE(called);
}

TEST(ControlServer, NonObjectRequestIsAProtocolError) {
  TempDir dir;
  ControlServerThread server(dir / "ctl.sock", echo);
  ASSERT_TRUE(server.start());
  const json reply = raw_exchange(dir / "ctl.sock", "[1,2,3]\n");
  EXPECT_EQ(reply["error"]["code"], "protocol") << reply;
}

TEST(ControlServer, RequestWithoutNewlineBeforeEofIsStillServed) {
  TempDir dir;
  ControlServerThread server(dir / "ctl.sock", echo);
  ASSERT_TRUE(server.start());
  const int fd = unix_connect(dir / "ctl.sock");
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(send_bytes(fd, R"({"cmd":"status"})"));
  ::shutdown(fd, SHUT_WR);
  auto text = read_to_eof(fd, std::chrono::seconds(10));
  ::close(fd);
  ASSERT_TRUE(text);
  EXPECT_EQ(json::parse(*text, nullptr, false)["echo"]["cmd"], "status") << *text;
}

TEST(ControlServer, OversizeRequestIsRefusedWithoutCallingHandler) {
  TempDir dir;
  std::atomic<bool> called{false};
  ControlServerThread server(dir / "ctl.sock", [&](const json& req) {
    called = true;
    return echo(req);
  });
  ASSERT_TRUE(server.start());
  // A valid JSON string, far too long, never terminated by a newline.
  const std::string big = "{\"cmd\":\"" + std::string(agent::kMaxRequestBytes + 100, 'a');
  const json reply = raw_exchange(dir / "ctl.sock", big);
  ASSERT_TRUE(reply.is_object()) << "no reply to an oversize request";
  EXPECT_EQ(reply["error"]["code"], "protocol");
  EXPECT_NE(reply["error"]["message"].get<std::string>().find("exceeds"), std::string::npos);
  EXPECT_FALSE(called);
}

TEST(ControlServer, HandlerExceptionBecomesInternalError) {
  TempDir dir;
  ControlServerThread server(dir / "ctl.sock",
                             [](const json&) -> json { throw std::runtime_error("boom"); });
  ASSERT_TRUE(server.start());
  auto reply = control_request(dir / "ctl.sock", {{"cmd", "status"}});
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ((*reply)["ok"], false);
  EXPECT_EQ((*reply)["error"]["code"], "internal");
  EXPECT_NE((*reply)["error"]["message"].get<std::string>().find("boom"), std::string::npos);
}

TEST(ControlServer, SilentClientIsDroppedWithoutBlockingOthers) {
  TempDir dir;
  ControlServerThread server(dir / "ctl.sock", echo);
  ASSERT_TRUE(server.start());
  const int silent = unix_connect(dir / "ctl.sock");
  ASSERT_GE(silent, 0);
  // Served while the silent client is still connected: a server that waited for it would only
  // get to this request after its 5 s deadline, past this request's 3 s timeout.
  auto reply = control_request(dir / "ctl.sock", {{"cmd", "status"}}, std::chrono::seconds(3));
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ((*reply)["ok"], true);
  // The silent client is then disconnected by the server (EOF, no reply).
  auto rest = read_to_eof(silent, std::chrono::seconds(20));
  ::close(silent);
  ASSERT_TRUE(rest.has_value()) << "silent client was never dropped";
  EXPECT_EQ(*rest, "");
}

TEST(ControlServer, SocketHasMode0660) {
  TempDir dir;
  ControlServerThread server(dir / "ctl.sock", echo);
  ASSERT_TRUE(server.start());
  struct stat st {};
  ASSERT_EQ(::stat((dir / "ctl.sock").c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0660u);
}

TEST(ControlServer, StaleSocketFileIsReplaced) {
  TempDir dir;
  const auto path = dir / "ctl.sock";
  const int stale = unix_listen(path);  // a crashed daemon: the file stays, no one listens
  ASSERT_GE(stale, 0);
  ::close(stale);
  ASSERT_TRUE(std::filesystem::exists(path));
  ControlServerThread server(path, echo);
  auto started = server.start();
  ASSERT_TRUE(started) << started.error().message;
  auto reply = control_request(path, {{"cmd", "status"}});
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ((*reply)["ok"], true);
}

TEST(ControlServer, LiveSocketIsNotTakenOver) {
  TempDir dir;
  const auto path = dir / "ctl.sock";
  ControlServerThread first(path, [](const json&) { return json{{"ok", true}, {"who", "first"}}; });
  ASSERT_TRUE(first.start());
  ControlServerThread second(path, [](const json&) {
    return json{{"ok", true}, {"who", "second"}};
  });
  auto started = second.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, Errc::kConfig);
  EXPECT_NE(started.error().message.find("another rigkeeperd is running"), std::string::npos)
      << started.error().message;
  auto reply = control_request(path, {{"cmd", "status"}});
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ((*reply)["who"], "first");
}

TEST(ControlServer, RegularFileAtPathIsLeftAlone) {
  TempDir dir;
  const auto path = dir / "ctl.sock";
  std::ofstream(path) << "not a socket";
  ControlServerThread server(path, echo);
  auto started = server.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, Errc::kConfig);
  EXPECT_EQ(read_file(path), "not a socket");
}

TEST(ControlServer, MissingDirectoryIsAConfigError) {
  TempDir dir;
  ControlServerThread server(dir / "no" / "such" / "ctl.sock", echo);
  auto started = server.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, Errc::kConfig);
  EXPECT_NE(started.error().message.find("ctl.sock"), std::string::npos);
}

TEST(ControlServer, StopRemovesSocketAndClosesService) {
  TempDir dir;
  const auto path = dir / "ctl.sock";
  ControlServerThread server(path, echo);
  ASSERT_TRUE(server.start());
  server.stop();
  EXPECT_FALSE(std::filesystem::exists(path));
  auto reply = control_request(path, {{"cmd", "status"}});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, Errc::kUnreachable);
}

TEST(ControlServer, ManyClientsInTurnAreAllServed) {
  TempDir dir;
  std::atomic<int> calls{0};
  ControlServerThread server(dir / "ctl.sock", [&](const json& req) {
    ++calls;
    return echo(req);
  });
  ASSERT_TRUE(server.start());
  for (int i = 0; i < 50; ++i) {
    auto reply = control_request(dir / "ctl.sock", {{"cmd", "status"}, {"n", i}});
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ((*reply)["echo"]["n"], i);
  }
  EXPECT_EQ(calls.load(), 50);
}

}  // namespace
}  // namespace rigkeeper::test
