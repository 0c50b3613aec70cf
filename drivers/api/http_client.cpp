#include "drivers/api/http_client.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <tuple>

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "drivers/api/ascii.h"
#include "drivers/api/http_auth.h"
#include "drivers/api/http_url.h"

namespace rigkeeper::drivers::http {

namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Message = bhttp::request<bhttp::string_body>;

constexpr std::array<std::string_view, 6> kMethods = {"GET",   "POST",   "PUT",
                                                      "PATCH", "DELETE", "HEAD"};

// Idle keep-alive connections are kept this long for the next request to the same server: a
// device's poll asks its endpoints back to back (Braiins OS+ REST: five), then the connection
// is closed, so no per-device connection state stays between polls.
constexpr auto kIdleFor = std::chrono::seconds(2);
constexpr size_t kMaxIdle = 64;
constexpr size_t kMaxHeaderBytes = 64 * 1024;

struct TlsKey {
  std::string ca_file, client_cert, client_key;
  bool insecure = false;
  bool operator<(const TlsKey& o) const {
    return std::tie(ca_file, client_cert, client_key, insecure) <
           std::tie(o.ca_file, o.client_cert, o.client_key, o.insecure);
  }
};

// One connection to a server: plain TCP or TLS over TCP, and its read buffer (empty whenever
// the connection is idle: one with stray bytes after a reply is not kept).
struct Connection {
  std::string key;  ///< scheme, host, port and TLS settings: who may reuse it
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  std::shared_ptr<ssl::context> context;
  beast::flat_buffer buffer;
  Clock::time_point idle_since{};

  beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }
};

std::string connection_key(const Url& url, const Tls& tls) {
  std::string key = (url.tls ? "https|" : "http|") + url.host + "|" + std::to_string(url.port);
  if (url.tls) {
    key += "|" + tls.ca_file + "|" + tls.client_cert + "|" + tls.client_key + "|" +
           (tls.insecure ? "insecure" : "verify");
  }
  return key;
}

// Per io_context (an Asio service): the idle kept-alive connections and the TLS contexts. No
// wait is ever pending here, so an idle context still returns from run() (the CLI relies on
// it); expired connections are closed whenever a request takes or gives one.
//
// Threading: the io_context's thread only, like every request (fetch runs on it).
class Pool final : public asio::execution_context::service {
 public:
  static inline asio::execution_context::id id;

  explicit Pool(asio::execution_context& ctx) : service(ctx) {}

  std::unique_ptr<Connection> take(const std::string& key) {
    purge();
    for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
      if ((*it)->key != key) continue;
      std::unique_ptr<Connection> c = std::move(*it);
      idle_.erase(std::next(it).base());
      return c;
    }
    return nullptr;
  }

  void give(std::unique_ptr<Connection> c) {
    purge();
    if (idle_.size() >= kMaxIdle) idle_.erase(idle_.begin());
    c->idle_since = Clock::now();
    idle_.push_back(std::move(c));
  }

  /// The TLS context of these settings, made once: loading a CA bundle is milliseconds.
  Result<std::shared_ptr<ssl::context>> context(const Tls& tls, const std::string& shown) {
    TlsKey key{tls.ca_file, tls.client_cert, tls.client_key, tls.insecure};
    if (auto it = contexts_.find(key); it != contexts_.end()) return it->second;
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    boost::system::error_code ec;
    if (tls.insecure) {
      ctx->set_verify_mode(ssl::verify_none);
    } else {
      ctx->set_verify_mode(ssl::verify_peer);
      if (tls.ca_file.empty()) {
        ctx->set_default_verify_paths(ec);
      } else {
        ctx->load_verify_file(tls.ca_file, ec);
      }
      if (ec) {
        return fail(Errc::kProtocol,
                    "TLS verification failed for " + shown + ": cannot load the CA certificates " +
                        (tls.ca_file.empty() ? "of the system" : "in " + tls.ca_file) + " (" +
                        ec.message() + ")");
      }
    }
    if (!tls.client_cert.empty()) ctx->use_certificate_chain_file(tls.client_cert, ec);
    if (!ec && !tls.client_key.empty())
      ctx->use_private_key_file(tls.client_key, ssl::context::pem, ec);
    if (ec) {
      return fail(Errc::kProtocol, "TLS client certificate or key for " + shown +
                                       " cannot be used (" + ec.message() + ")");
    }
    contexts_.emplace(std::move(key), ctx);
    return ctx;
  }

 private:
  void shutdown() override {
    idle_.clear();  // while the socket services still exist
    contexts_.clear();
  }

  void purge() {
    const auto now = Clock::now();
    std::erase_if(idle_, [&](const auto& c) { return now - c->idle_since >= kIdleFor; });
  }

  std::vector<std::unique_ptr<Connection>> idle_;  ///< oldest first
  std::map<TlsKey, std::shared_ptr<ssl::context>> contexts_;
};

Error timeout_error(const Url& url, const Request& req) {
  return {Errc::kTimeout,
          "no reply from " + url.shown + " within " + std::to_string(req.timeout.count()) + " ms"};
}

// An error of the connection once it is open: writing the request or reading the response.
Error exchange_error(const boost::system::error_code& ec, const Url& url, const Request& req) {
  if (ec == beast::error::timeout) return timeout_error(url, req);
  if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit ||
      ec == bhttp::error::buffer_overflow) {
    return {Errc::kProtocol, "reply from " + url.shown + " larger than " +
                                 std::to_string(req.max_response_bytes) + " bytes"};
  }
  if (ec == bhttp::error::end_of_stream) {
    return {Errc::kProtocol, url.shown + " closed the connection without a reply"};
  }
  if (ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category()) {
    // the reply is not HTTP: a bad status line, header or chunk
    return {Errc::kProtocol, "malformed reply from " + url.shown + ": " + ec.message()};
  }
  return {Errc::kUnreachable, "connection to " + url.shown + " failed: " + ec.message()};
}

// The reply of one exchange, or why there is none and whether any of it arrived (a kept-alive
// connection the server closed while idle fails before a single byte and is retried afresh).
struct Exchanged {
  Response response;
  bool keep_alive = false;
};
struct ExchangeFailure {
  Error error;
  bool nothing_received = false;
};

template <class Stream>
asio::awaitable<tl::expected<Exchanged, ExchangeFailure>> exchange(Stream& stream, Connection& conn,
                                                                   const Message& msg,
                                                                   const Request& req,
                                                                   const Url& url,
                                                                   Clock::time_point deadline) {
  boost::system::error_code ec;
  conn.lowest().expires_at(deadline);
  co_await bhttp::async_write(stream, msg, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return tl::unexpected(ExchangeFailure{exchange_error(ec, url, req), true});

  // An interim 1xx reply (a 100 Continue nobody asked for) is skipped: the final one follows.
  std::optional<bhttp::response_parser<bhttp::string_body>> parser;
  bool interim = false;
  for (;;) {
    parser.emplace();
    parser->body_limit(req.max_response_bytes);
    parser->header_limit(static_cast<uint32_t>(std::min(req.max_response_bytes, kMaxHeaderBytes)));
    const bool head = msg.method() == bhttp::verb::head;
    if (head) parser->skip(true);
    // The header first: Beast 1.74 lets a Content-Length over body_limit() through when the
    // body arrives in the same read as the header, so the declared length is checked here.
    co_await bhttp::async_read_header(stream, conn.buffer, *parser,
                                      asio::redirect_error(asio::use_awaitable, ec));
    if (!ec && !head && parser->content_length() &&
        *parser->content_length() > req.max_response_bytes)
      ec = bhttp::error::body_limit;
    if (!ec && !parser->is_done()) {
      co_await bhttp::async_read(stream, conn.buffer, *parser,
                                 asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec) {
      const bool nothing = !interim && !parser->got_some() && ec != beast::error::timeout;
      co_return tl::unexpected(ExchangeFailure{exchange_error(ec, url, req), nothing});
    }
    const unsigned status = parser->get().result_int();
    if (status < 100 || status >= 200 || status == 101) break;
    interim = true;
  }
  auto res = parser->release();
  Exchanged out;
  // Reused only when nothing past the reply arrived: stray bytes would be read as the next one.
  out.keep_alive = res.keep_alive() && conn.buffer.size() == 0;
  out.response.status = static_cast<long>(res.result_int());
  for (const auto& field : res) {
    const auto name = field.name_string();
    out.response.headers.emplace_back(ascii_lower({name.data(), name.size()}),
                                      std::string(field.value()));
  }
  out.response.body = std::move(res.body());
  co_return out;
}

// Opens a connection: the address (resolved when the host is a name), TCP, and for https the
// TLS handshake with the server's certificate checked against the host or IP of the URL.
asio::awaitable<Result<std::unique_ptr<Connection>>> open(Pool& pool, const Url& url,
                                                          const Request& req,
                                                          const std::string& key,
                                                          Clock::time_point deadline) {
  auto executor = co_await asio::this_coro::executor;
  boost::system::error_code ec;
  beast::tcp_stream tcp_stream(executor);
  boost::system::error_code not_an_address;
  const auto address = asio::ip::make_address(url.host, not_an_address);
  if (!not_an_address) {
    const tcp::endpoint endpoint(address, url.port);
    tcp_stream.expires_at(deadline);
    co_await tcp_stream.async_connect(endpoint, asio::redirect_error(asio::use_awaitable, ec));
  } else {
    tcp::resolver resolver(executor);
    const std::string port = std::to_string(url.port);
    auto endpoints = co_await resolver.async_resolve(url.host, port,
                                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return fail(Errc::kUnreachable, "cannot resolve the host of " + url.shown);
    tcp_stream.expires_at(deadline);
    co_await tcp_stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  }
  if (ec == beast::error::timeout) co_return tl::unexpected(timeout_error(url, req));
  if (ec)
    co_return fail(Errc::kUnreachable, "cannot connect to " + url.shown + ": " + ec.message());
  boost::system::error_code ignored;
  tcp_stream.socket().set_option(tcp::no_delay(true), ignored);

  auto conn = std::make_unique<Connection>();
  conn->key = key;
  if (!url.tls) {
    conn->plain.emplace(std::move(tcp_stream));
    co_return conn;
  }
  auto context = pool.context(req.tls, url.shown);
  if (!context) co_return tl::unexpected(context.error());
  conn->context = *context;
  conn->secure.emplace(std::move(tcp_stream), **context);
  SSL* handle = conn->secure->native_handle();
  const bool is_name = static_cast<bool>(not_an_address);
  if (is_name) SSL_set_tlsext_host_name(handle, url.host.c_str());
  if (!req.tls.insecure) {
    X509_VERIFY_PARAM* param = SSL_get0_param(handle);
    const int set = is_name ? X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), 0)
                            : X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str());
    if (set != 1) co_return fail(Errc::kInternal, "cannot check the certificate of " + url.shown);
  }
  conn->lowest().expires_at(deadline);
  co_await conn->secure->async_handshake(ssl::stream_base::client,
                                         asio::redirect_error(asio::use_awaitable, ec));
  if (ec == beast::error::timeout) co_return tl::unexpected(timeout_error(url, req));
  if (ec) {
    const long verify = SSL_get_verify_result(handle);
    if (!req.tls.insecure && verify != X509_V_OK) {
      co_return fail(Errc::kProtocol, "TLS verification failed for " + url.shown + ": " +
                                          X509_verify_cert_error_string(verify));
    }
    co_return fail(Errc::kProtocol, "TLS handshake with " + url.shown + " failed: " + ec.message());
  }
  co_return conn;
}

// One request and its response, on an idle kept-alive connection to the same server when
// there is one (retried once on a new connection if that one turns out to be closed).
asio::awaitable<Result<Exchanged>> round_trip(Pool& pool, const Url& url, const Request& req,
                                              const std::string& key, const Message& msg,
                                              Clock::time_point deadline) {
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<Connection> conn = attempt == 0 ? pool.take(key) : nullptr;
    const bool reused = conn != nullptr;
    if (!conn) {
      auto opened = co_await open(pool, url, req, key, deadline);
      if (!opened) co_return tl::unexpected(opened.error());
      conn = std::move(*opened);
    }
    tl::expected<Exchanged, ExchangeFailure> r;
    if (conn->secure) {
      r = co_await exchange(*conn->secure, *conn, msg, req, url, deadline);
    } else {
      r = co_await exchange(*conn->plain, *conn, msg, req, url, deadline);
    }
    if (!r) {
      if (reused && r.error().nothing_received && Clock::now() < deadline) continue;
      co_return tl::unexpected(std::move(r.error().error));
    }
    if (r->keep_alive) {
      conn->lowest().expires_never();
      pool.give(std::move(conn));
    }
    co_return std::move(*r);
  }
}

Result<Message> make_message(const Request& req, const Url& url) {
  Message msg{bhttp::string_to_verb(req.method), url.target, 11};
  msg.set(bhttp::field::host, url.authority);
  msg.set(bhttp::field::user_agent, "rigkeeper");
  for (const auto& [name, value] : req.headers) {
    // A value from a device (a session token) must not smuggle in header lines of its own.
    const auto unsafe = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
    if (std::any_of(name.begin(), name.end(), unsafe) ||
        std::any_of(value.begin(), value.end(), unsafe) || name.empty()) {
      return fail(Errc::kInvalidArgument,
                  "header '" + name + "' of a request to " + url.shown + " has a line break");
    }
    msg.set(name, value);
  }
  if (req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
      (req.method == "DELETE" && !req.body.empty())) {
    msg.body() = req.body;
  }
  msg.prepare_payload();
  return msg;
}

bool offers_basic(const std::vector<auth::Challenge>& challenges) {
  return std::any_of(challenges.begin(), challenges.end(),
                     [](const auto& c) { return c.scheme == "basic"; });
}

}  // namespace

std::optional<std::string> Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (ascii_iequals(key, name)) return value;
  }
  return std::nullopt;
}

asio::awaitable<Result<Response>> fetch(Request request) {
  try {
    auto url = parse_url(request.url);
    if (!url) co_return tl::unexpected(url.error());
    if (std::find(kMethods.begin(), kMethods.end(), request.method) == kMethods.end()) {
      co_return fail(Errc::kInvalidArgument,
                     "unsupported HTTP method '" + request.method + "' for " + url->shown);
    }
    auto msg = make_message(request, *url);
    if (!msg) co_return tl::unexpected(msg.error());
    const auto executor = co_await asio::this_coro::executor;
    Pool& pool = asio::use_service<Pool>(asio::query(executor, asio::execution::context));
    const auto deadline = Clock::now() + std::max(request.timeout, std::chrono::milliseconds(1));
    const std::string key = connection_key(*url, request.tls);
    if (request.auth == Auth::kBasic) {
      msg->set(bhttp::field::authorization,
               auth::basic_authorization(request.username, request.password));
    }
    auto first = co_await round_trip(pool, *url, request, key, *msg, deadline);
    if (!first) co_return tl::unexpected(std::move(first.error()));
    const bool answers_challenges = request.auth == Auth::kDigest || request.auth == Auth::kAny;
    if (first->response.status != 401 || !answers_challenges) co_return std::move(first->response);

    // One answer to the server's challenge, as a browser does; a second 401 is the reply.
    std::vector<auth::Challenge> challenges;
    for (const auto& [name, value] : first->response.headers) {
      if (name != "www-authenticate") continue;
      for (auto& c : auth::parse_challenges(value)) challenges.push_back(std::move(c));
    }
    std::optional<std::string> answer;
    if (const auth::Challenge* digest = auth::pick_digest(challenges)) {
      const std::string cnonce = auth::make_cnonce();
      answer = auth::digest_authorization(*digest, {.method = request.method,
                                                    .uri = url->target,
                                                    .body = msg->body(),
                                                    .username = request.username,
                                                    .password = request.password,
                                                    .cnonce = cnonce,
                                                    .nc = 1});
    } else if (request.auth == Auth::kAny && url->tls && offers_basic(challenges)) {
      answer = auth::basic_authorization(request.username, request.password);
    }
    if (!answer) co_return std::move(first->response);
    msg->set(bhttp::field::authorization, *answer);
    auto second = co_await round_trip(pool, *url, request, key, *msg, deadline);
    if (!second) co_return tl::unexpected(std::move(second.error()));
    co_return std::move(second->response);
  } catch (const std::exception& e) {  // std::bad_alloc, or a library surprise
    co_return fail(Errc::kInternal,
                   "request to " + without_credentials(request.url) + " failed: " + e.what());
  }
}

void fetch_async(asio::any_io_executor executor, Request request,
                 std::function<void(Result<Response>)> done) {
  asio::co_spawn(executor, fetch(std::move(request)),
                 [done = std::move(done)](std::exception_ptr e, Result<Response> r) {
                   if (e) r = fail(Errc::kInternal, "HTTP request failed unexpectedly");
                   done(std::move(r));
                 });
}

std::optional<std::string> challenge_realm(const Response& response) {
  for (const auto& [key, value] : response.headers) {
    if (key != "www-authenticate") continue;
    for (const auto& c : auth::parse_challenges(value)) {
      if (auto realm = c.param("realm")) return realm;
    }
  }
  return std::nullopt;
}

}  // namespace rigkeeper::drivers::http
