// The simulator's HTTP server: request size cap, keep-alive, stop() closing open connections.
#include <gtest/gtest.h>

#include "tests/unit/http/http_test_util.h"

namespace rigkeeper::test {
namespace {

using sim::HttpReply;
using sim::HttpRequest;

TEST(SimHttpServer, OversizeRequestBodyIsRefusedWith413) {
  int calls = 0;
  LoopbackHttp server([&](const HttpRequest&) {
    ++calls;
    return HttpReply::json(200, "{}");
  });
  http::Request req;
  req.method = "POST";
  req.url = server.url("/cgi-bin/set_miner_conf.cgi");
  req.body = std::string(200 * 1024, 'a');
  auto r = server.fetch(req);
  // The server answers 413 and closes; libcurl may see the reply or the closed socket.
  if (r) {
    EXPECT_EQ(r->status, 413);
  }
  EXPECT_EQ(calls, 0);
}

TEST(SimHttpServer, KeepAliveServesSequentialRequests) {
  int calls = 0;
  LoopbackHttp server([&](const HttpRequest&) {
    ++calls;
    return HttpReply::json(200, "{\"n\":" + std::to_string(calls) + "}");
  });
  for (int i = 1; i <= 5; ++i) {
    http::Request req;
    req.url = server.url("/x");
    auto r = server.fetch(req);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->body, "{\"n\":" + std::to_string(i) + "}");
  }
}

TEST(SimHttpServer, StopRefusesNewConnectionsAndStartReopensOnTheSamePort) {
  LoopbackHttp server([](const HttpRequest&) { return HttpReply::json(200, "{}"); });
  const uint16_t port = server.server().port();
  http::Request req;
  req.url = server.url("/");
  ASSERT_TRUE(server.fetch(req));
  server.server().stop();
  EXPECT_FALSE(server.server().listening());
  auto refused = server.fetch(req);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::kUnreachable) << refused.error().message;
  ASSERT_TRUE(server.server().start());
  EXPECT_EQ(server.server().port(), port);
  auto again = server.fetch(req);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->status, 200);
}

TEST(SimHttpServer, DelayedReplyArrives) {
  LoopbackHttp server([](const HttpRequest&) {
    HttpReply r = HttpReply::json(200, "{}");
    r.delay = std::chrono::milliseconds(100);
    return r;
  });
  http::Request req;
  req.url = server.url("/");
  auto r = server.fetch(req);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200);
}

}  // namespace
}  // namespace rigkeeper::test
