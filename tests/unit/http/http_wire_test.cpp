// The HTTP client against a scripted server on raw sockets, for what the simulator's server
// does not do: replies chunked or delimited by the server closing, kept-alive connections
// (counted), a server closing an idle kept-alive connection without saying so, and garbage.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "drivers/api/http_client.h"

namespace rigkeeper::test {
namespace {

namespace http = drivers::http;
using tcp = asio::ip::tcp;

class RawHttpServer {
 public:
  struct Reply {
    std::string bytes;
    bool close = false;  ///< close the connection after sending, whatever the reply says
  };
  using Script = std::function<Reply(const std::string& head)>;

  explicit RawHttpServer(Script script)
      : script_(std::move(script)),
        acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    asio::co_spawn(io_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~RawHttpServer() {
    io_.stop();
    thread_.join();
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + path;
  }
  int connections() const { return connections_; }
  int requests() const { return requests_; }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket s =
          co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      ++connections_;
      asio::co_spawn(io_, serve(std::move(s)), asio::detached);
    }
  }
  asio::awaitable<void> serve(tcp::socket s) {
    std::string buffer;
    for (;;) {
      boost::system::error_code ec;
      const size_t n =
          co_await asio::async_read_until(s, asio::dynamic_buffer(buffer), "\r\n\r\n",
                                          asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      const std::string head = buffer.substr(0, n);
      buffer.erase(0, n);
      ++requests_;
      const Reply reply = script_(head);
      co_await asio::async_write(s, asio::buffer(reply.bytes),
                                 asio::redirect_error(asio::use_awaitable, ec));
      if (ec || reply.close) co_return;
    }
  }

  Script script_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
};

RawHttpServer::Reply ok(std::string body) {
  return {"HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
              "\r\nContent-Type: application/json\r\n\r\n" + body,
          false};
}

// Runs the requests one after the other on one io_context with io_context::run(): it must
// return by itself once they are done (no wait left pending: the CLI relies on it).
std::vector<Result<http::Response>> run_in_turn(std::vector<http::Request> requests) {
  asio::io_context io;
  std::vector<Result<http::Response>> out;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        for (auto& r : requests) out.push_back(co_await http::fetch(r));
      },
      asio::detached);
  std::atomic<bool> finished{false};
  std::thread watchdog([&] {
    for (int i = 0; i < 200 && !finished; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!finished) io.stop();
  });
  io.run();
  finished = true;
  watchdog.join();
  EXPECT_EQ(out.size(), requests.size()) << "io_context::run() did not return by itself";
  return out;
}

http::Request get(const std::string& url) {
  http::Request r;
  r.url = url;
  r.timeout = std::chrono::seconds(5);
  return r;
}

TEST(HttpWire, BackToBackRequestsShareOneKeptAliveConnection) {
  RawHttpServer server([](const std::string&) { return ok("{}"); });
  std::vector<http::Request> reqs;
  for (const char* path : {"/details", "/stats", "/hashboards", "/cooling", "/pools"})
    reqs.push_back(get(server.url(path)));
  const auto out = run_in_turn(reqs);
  for (const auto& r : out) {
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, 200);
  }
  EXPECT_EQ(server.requests(), 5);
  EXPECT_EQ(server.connections(), 1);
}

TEST(HttpWire, AKeptAliveConnectionTheServerClosedIsReplacedWithoutAnError) {
  // HTTP/1.1 without "Connection: close", then the server closes: the client keeps the
  // connection for the next request, finds it dead before any reply byte and opens another.
  RawHttpServer server([](const std::string&) {
    auto r = ok("{}");
    r.close = true;
    return r;
  });
  const auto out =
      run_in_turn({get(server.url("/a")), get(server.url("/b")), get(server.url("/c"))});
  for (const auto& r : out) {
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, 200);
  }
  EXPECT_EQ(server.requests(), 3);
  EXPECT_EQ(server.connections(), 3);
}

TEST(HttpWire, AReplyThatBrokeOffIsNotRetried) {
  // A reply that started and broke is an error: only a connection dead before any byte is
  // retried, so a request the server may have acted on is never sent twice.
  RawHttpServer server([](const std::string&) {
    return RawHttpServer::Reply{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial", true};
  });
  const auto out = run_in_turn({get(server.url("/x"))});
  ASSERT_FALSE(out[0]);
  EXPECT_EQ(server.requests(), 1);
  EXPECT_NE(out[0].error().message.find(server.url("/x")), std::string::npos)
      << out[0].error().message;
}

TEST(HttpWire, ChunkedReplyOverTheCapIsAProtocolError) {
  RawHttpServer server([](const std::string&) {
    std::string bytes = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 20; ++i) bytes += "3e8\r\n" + std::string(1000, 'x') + "\r\n";
    return RawHttpServer::Reply{bytes + "0\r\n\r\n", false};
  });
  auto req = get(server.url("/big"));
  req.max_response_bytes = 4096;
  const auto out = run_in_turn({req});
  ASSERT_FALSE(out[0]);
  EXPECT_EQ(out[0].error().code, Errc::kProtocol);
  EXPECT_NE(out[0].error().message.find("larger than 4096 bytes"), std::string::npos)
      << out[0].error().message;
}

TEST(HttpWire, ReplyEndedByCloseIsReadAndCappedToo) {
  RawHttpServer small([](const std::string&) {
    return RawHttpServer::Reply{"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello", true};
  });
  auto out = run_in_turn({get(small.url("/")), get(small.url("/"))});
  ASSERT_TRUE(out[0]) << out[0].error().message;
  EXPECT_EQ(out[0]->body, "hello");
  ASSERT_TRUE(out[1]) << out[1].error().message;
  EXPECT_EQ(small.connections(), 2);  // an HTTP/1.0 reply does not keep the connection

  RawHttpServer big([](const std::string&) {
    return RawHttpServer::Reply{"HTTP/1.0 200 OK\r\n\r\n" + std::string(50000, 'x'), true};
  });
  auto req = get(big.url("/"));
  req.max_response_bytes = 4096;
  out = run_in_turn({req});
  ASSERT_FALSE(out[0]);
  EXPECT_EQ(out[0].error().code, Errc::kProtocol);
  EXPECT_NE(out[0].error().message.find("larger than 4096 bytes"), std::string::npos);
}

TEST(HttpWire, AnInterimContinueIsSkippedForTheFinalReply) {
  RawHttpServer server([](const std::string&) {
    return RawHttpServer::Reply{
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false};
  });
  auto req = get(server.url("/api/v1/settings"));
  req.method = "POST";
  req.body = "{}";
  const auto out = run_in_turn({req});
  ASSERT_TRUE(out[0]) << out[0].error().message;
  EXPECT_EQ(out[0]->status, 200);
  EXPECT_EQ(out[0]->body, "ok");
}

TEST(HttpWire, GarbageInsteadOfHttpIsAProtocolErrorNamingTheUrl) {
  RawHttpServer server([](const std::string&) {
    return RawHttpServer::Reply{std::string("\x01\x02STATUS=S,When=1|\r\n\r\n", 22), true};
  });
  const auto out = run_in_turn({get(server.url("/api"))});
  ASSERT_FALSE(out[0]);
  EXPECT_EQ(out[0].error().code, Errc::kProtocol) << out[0].error().message;
  EXPECT_NE(out[0].error().message.find(server.url("/api")), std::string::npos);
}

TEST(HttpWire, DigestAnswerGoesOverTheSameConnection) {
  std::mutex mutex;  // the script runs on the server's thread
  std::vector<std::string> heads;
  RawHttpServer server([&](const std::string& head) {
    std::lock_guard lock(mutex);
    heads.push_back(head);
    if (head.find("Authorization: Digest ") == std::string::npos) {
      return RawHttpServer::Reply{
          "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"lab\", "
          "nonce=\"abc\", qop=\"auth\"\r\nContent-Length: 0\r\n\r\n",
          false};
    }
    return ok("{}");
  });
  auto req = get(server.url("/cgi-bin/get_system_info.cgi"));
  req.auth = http::Auth::kDigest;
  req.username = "root";
  req.password = "root";
  const auto out = run_in_turn({req});
  ASSERT_TRUE(out[0]) << out[0].error().message;
  EXPECT_EQ(out[0]->status, 200);
  EXPECT_EQ(server.connections(), 1);
  std::lock_guard lock(mutex);
  ASSERT_EQ(heads.size(), 2u);
  EXPECT_NE(heads[1].find("uri=\"/cgi-bin/get_system_info.cgi\""), std::string::npos) << heads[1];
  EXPECT_NE(heads[1].find("username=\"root\""), std::string::npos) << heads[1];
  EXPECT_EQ(heads[1].find("password"), std::string::npos);
}

TEST(HttpWire, AHeaderWithALineBreakIsRefusedBeforeAnythingIsSent) {
  RawHttpServer server([](const std::string&) { return ok("{}"); });
  auto req = get(server.url("/"));
  req.headers.emplace_back("Authorization", "Bearer tok\r\nX-Injected: 1");
  const auto out = run_in_turn({req});
  ASSERT_FALSE(out[0]);
  EXPECT_EQ(out[0].error().code, Errc::kInvalidArgument);
  EXPECT_EQ(server.connections(), 0);
}

}  // namespace
}  // namespace rigkeeper::test
