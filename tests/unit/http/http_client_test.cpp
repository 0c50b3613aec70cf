// The HTTP client against the simulator's HTTP server on loopback.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "tests/support/net.h"
#include "tests/unit/http/http_test_util.h"

namespace rigkeeper::test {
namespace {

using sim::HttpReply;
using sim::HttpRequest;

TEST(HttpClient, GetReturnsStatusBodyAndLowerCasedHeaders) {
  std::string seen_target;
  LoopbackHttp server([&](const HttpRequest& r) {
    seen_target = r.target;
    HttpReply reply = HttpReply::json(200, R"({"ok":true})");
    reply.headers.emplace_back("X-Firmware", "bmminer");
    return reply;
  });
  http::Request req;
  req.url = server.url("/cgi-bin/get_system_info.cgi?x=1");
  auto r = server.fetch(req);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(r->ok());
  EXPECT_EQ(r->body, R"({"ok":true})");
  EXPECT_EQ(r->header("x-firmware"), "bmminer");
  EXPECT_EQ(r->header("X-FIRMWARE"), "bmminer");
  EXPECT_EQ(r->header("content-type"), "application/json");
  for (const auto& [name, value] : r->headers) {
    for (char c : name) EXPECT_FALSE(c >= 'A' && c <= 'Z') << name;
  }
  EXPECT_EQ(seen_target, "/cgi-bin/get_system_info.cgi?x=1");
}

TEST(HttpClient, PostSendsBodyMethodAndHeaders) {
  HttpRequest seen;
  LoopbackHttp server([&](const HttpRequest& r) {
    seen = r;
    return HttpReply::text(201, "created");
  });
  http::Request req;
  req.method = "POST";
  req.url = server.url("/cgi-bin/set_miner_conf.cgi");
  req.headers = {{"Content-Type", "application/json"}};
  req.body = R"({"bitmain-work-mode":"1"})";
  auto r = server.fetch(req);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, "created");
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.path(), "/cgi-bin/set_miner_conf.cgi");
  EXPECT_EQ(seen.body, req.body);
  EXPECT_EQ(seen.header("content-type"), "application/json");
}

TEST(HttpClient, PutPatchDeleteReachTheServer) {
  std::vector<std::string> methods;
  LoopbackHttp server([&](const HttpRequest& r) {
    methods.push_back(r.method + ":" + r.body);
    return HttpReply::json(200, "{}");
  });
  for (const char* m : {"PUT", "PATCH", "DELETE"}) {
    http::Request req;
    req.method = m;
    req.url = server.url("/api/v1/x");
    req.body = std::string(m) == "DELETE" ? "" : "b";
    auto r = server.fetch(req);
    ASSERT_TRUE(r) << r.error().message;
  }
  EXPECT_EQ(methods, (std::vector<std::string>{"PUT:b", "PATCH:b", "DELETE:"}));
}

sim::DigestRealm antminer_realm() {
  return {"antMiner Configuration", "root", "root", "device-secret", 300};
}

TEST(HttpClient, DigestAuthSucceedsAndKeepsOnlyTheFinalHeaders) {
  const auto realm = antminer_realm();
  int challenges = 0;
  LoopbackHttp server([&](const HttpRequest& r) {
    if (!realm.authorized(r, 1'000'000)) {
      ++challenges;
      return realm.challenge(1'000'000);
    }
    return HttpReply::json(200, R"({"minertype":"Antminer S19"})");
  });
  http::Request req;
  req.url = server.url("/cgi-bin/get_system_info.cgi");
  req.auth = http::Auth::kDigest;
  req.username = "root";
  req.password = "root";
  auto r = server.fetch(req);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(challenges, 1);
  EXPECT_FALSE(r->header("www-authenticate"));  // the 401's headers are gone
  EXPECT_EQ(r->body, R"({"minertype":"Antminer S19"})");

  // A POST with a body authenticates the same way.
  req.method = "POST";
  req.body = "{}";
  auto p = server.fetch(req);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->status, 200);
}

TEST(HttpClient, DigestWrongPasswordReturnsThe401WithItsRealm) {
  const auto realm = antminer_realm();
  LoopbackHttp server([&](const HttpRequest& r) {
    if (!realm.authorized(r, 1'000'000)) return realm.challenge(1'000'000);
    return HttpReply::json(200, "{}");
  });
  http::Request req;
  req.url = server.url("/cgi-bin/get_miner_conf.cgi");
  req.auth = http::Auth::kDigest;
  req.username = "root";
  req.password = "wrong";
  auto r = server.fetch(req);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 401);
  EXPECT_FALSE(r->ok());
  EXPECT_EQ(http::challenge_realm(*r), "antMiner Configuration");
}

TEST(HttpClient, DigestNonceFromAnExpiredBucketIsRefused) {
  const auto realm = antminer_realm();
  LoopbackHttp server([&](const HttpRequest& r) {
    // The challenge is issued at t=0; the answer arrives "an hour later".
    if (!r.header("authorization")) return realm.challenge(0);
    if (!realm.authorized(r, 3600)) return realm.challenge(3600);
    return HttpReply::json(200, "{}");
  });
  http::Request req;
  req.url = server.url("/");
  req.auth = http::Auth::kDigest;
  req.username = "root";
  req.password = "root";
  auto r = server.fetch(req);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 401);
}

TEST(HttpClient, AnyAuthAnswersADigestChallenge) {
  const auto realm = antminer_realm();
  LoopbackHttp server([&](const HttpRequest& r) {
    if (!realm.authorized(r, 50)) return realm.challenge(50);
    return HttpReply::json(200, "{}");
  });
  http::Request req;
  req.url = server.url("/");
  req.auth = http::Auth::kAny;
  req.username = "root";
  req.password = "root";
  auto r = server.fetch(req);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200);
}

TEST(HttpClient, ChallengeRealmParsesQuotedAndBareRealms) {
  http::Response r;
  EXPECT_FALSE(http::challenge_realm(r));
  r.headers = {{"www-authenticate", R"(Basic realm="Braiins OS")"}};
  EXPECT_EQ(http::challenge_realm(r), "Braiins OS");
  r.headers = {{"www-authenticate", "Digest realm=lab, nonce=\"x\""}};
  EXPECT_EQ(http::challenge_realm(r), "lab");
  r.headers = {{"www-authenticate", "Digest realm=\"unterminated"}};
  EXPECT_FALSE(http::challenge_realm(r));
}

TEST(HttpClient, ServerThatNeverAnswersTimesOut) {
  LoopbackHttp server([](const HttpRequest&) {
    HttpReply r;
    r.mode = sim::ServerResponse::Mode::kHang;
    return r;
  });
  http::Request req;
  req.url = server.url("/hang");
  req.timeout = std::chrono::milliseconds(300);
  auto r = server.fetch(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kTimeout) << r.error().message;
  EXPECT_NE(r.error().message.find(server.url("/hang")), std::string::npos) << r.error().message;
}

TEST(HttpClient, OversizeReplyIsAProtocolErrorNamingTheCap) {
  LoopbackHttp server(
      [](const HttpRequest&) { return HttpReply::text(200, std::string(50000, 'x')); });
  http::Request req;
  req.url = server.url("/big");
  req.max_response_bytes = 4096;
  auto r = server.fetch(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kProtocol);
  EXPECT_NE(r.error().message.find("larger than 4096 bytes"), std::string::npos)
      << r.error().message;
}

TEST(HttpClient, ResetConnectionIsAnErrorNotAHang) {
  LoopbackHttp server([](const HttpRequest&) {
    HttpReply r;
    r.mode = sim::ServerResponse::Mode::kReset;
    return r;
  });
  http::Request req;
  req.url = server.url("/reset");
  req.timeout = std::chrono::seconds(10);
  auto r = server.fetch(req);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().code == Errc::kUnreachable || r.error().code == Errc::kProtocol)
      << r.error().message;
}

TEST(HttpClient, RefusedPortIsUnreachableAndCredentialsNeverAppear) {
  const uint16_t port = free_port();
  http::Request req;
  req.url = "http://admin:s3cr3tpw@127.0.0.1:" + std::to_string(port) + "/x";
  req.auth = http::Auth::kBasic;
  req.username = "admin";
  req.password = "an0ther";
  auto r = fetch_blocking(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kUnreachable) << r.error().message;
  EXPECT_NE(r.error().message.find("127.0.0.1:" + std::to_string(port)), std::string::npos);
  EXPECT_EQ(r.error().message.find("s3cr3tpw"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find("an0ther"), std::string::npos);
  EXPECT_EQ(r.error().message.find("admin"), std::string::npos);
}

TEST(HttpClient, BadUrlsAndMethodsAreInvalidArguments) {
  for (const char* url : {"ftp://127.0.0.1/x", "not a url", "file:///etc/passwd", ""}) {
    http::Request req;
    req.url = url;
    auto r = fetch_blocking(req);
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument) << url;
  }
  http::Request req;
  req.url = "http://127.0.0.1:1/";
  req.method = "TRACE";
  auto r = fetch_blocking(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
}

TEST(HttpClient, RedirectsAreNotFollowed) {
  int hits = 0;
  LoopbackHttp server([&](const HttpRequest&) {
    ++hits;
    HttpReply r = HttpReply::text(302, "");
    r.headers.emplace_back("Location", "http://127.0.0.2:9/elsewhere");
    return r;
  });
  http::Request req;
  req.url = server.url("/");
  auto r = server.fetch(req);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 302);
  EXPECT_EQ(hits, 1);
}

TEST(HttpClient, TwoHundredConcurrentRequestsAllComplete) {
  LoopbackHttp server([](const HttpRequest& r) {
    HttpReply reply = HttpReply::json(200, "{\"path\":\"" + std::string(r.path()) + "\"}");
    reply.delay = std::chrono::milliseconds(20);
    return reply;
  });
  constexpr int kCount = 200;
  int done = 0;
  int good = 0;
  for (int i = 0; i < kCount; ++i) {
    http::Request req;
    req.url = server.url("/n" + std::to_string(i));
    req.timeout = std::chrono::seconds(30);
    asio::co_spawn(
        server.io(),
        [&, i, req]() -> asio::awaitable<void> {
          auto r = co_await http::fetch(req);
          ++done;
          if (r && r->status == 200 && r->body == "{\"path\":\"/n" + std::to_string(i) + "\"}") {
            ++good;
          }
        },
        asio::detached);
  }
  server.io().restart();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (done < kCount && std::chrono::steady_clock::now() < deadline) {
    server.io().run_one_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(done, kCount);
  EXPECT_EQ(good, kCount);
}

TEST(HttpClient, BackToBackRequestsOnAKeptAliveConnectionAllComplete) {
  // Each request is started from the previous one's completion handler: the loop's multi
  // handle goes idle in between (timer and socket waits dropped so that run() could return) and
  // libcurl reuses the kept-alive connection. A socket or timeout not waited for again would
  // leave a request to its deadline, a kTimeout here.
  LoopbackHttp server([](const HttpRequest& r) { return HttpReply::json(200, r.target); });
  constexpr int kCount = 20;
  int good = 0;
  int done = 0;
  std::vector<std::string> errors;
  std::function<void(int)> next = [&](int i) {
    http::Request req;
    req.url = server.url("/seq" + std::to_string(i));
    req.timeout = std::chrono::seconds(3);
    http::fetch_async(server.io().get_executor(), req, [&, i](Result<http::Response> r) {
      ++done;
      if (!r)
        errors.push_back(r.error().message);
      else if (r->status == 200 && r->body == "/seq" + std::to_string(i))
        ++good;
      if (i + 1 < kCount) next(i + 1);
    });
  };
  next(0);
  server.io().restart();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (done < kCount && std::chrono::steady_clock::now() < deadline)
    server.io().run_one_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(good, kCount);
}

TEST(HttpClient, FetchAsyncCompletesOnTheGivenExecutor) {
  LoopbackHttp server([](const HttpRequest&) { return HttpReply::json(200, "{}"); });
  http::Request req;
  req.url = server.url("/");
  std::optional<Result<http::Response>> out;
  const auto caller = std::this_thread::get_id();
  std::thread::id completed_on;
  http::fetch_async(server.io().get_executor(), req, [&](Result<http::Response> r) {
    completed_on = std::this_thread::get_id();
    out = std::move(r);
  });
  server.io().restart();
  while (!out) server.io().run_one_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(*out);
  EXPECT_EQ((*out)->status, 200);
  EXPECT_TRUE(completed_on == caller);
}

}  // namespace
}  // namespace rigkeeper::test
