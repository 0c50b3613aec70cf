// The pure parts of the HTTP client: WWW-Authenticate parsing, Basic and Digest answers checked
// against the worked examples of RFC 7616 (section 3.9.1) and RFC 2617 (section 3.5), and URL
// parsing with credentials kept out of every message.
#include <gtest/gtest.h>

#include "drivers/api/http_auth.h"
#include "drivers/api/http_url.h"

namespace rigkeeper::test {
namespace {

namespace auth = drivers::http::auth;
namespace http = drivers::http;

// RFC 7616 section 3.9.1: the same request answered with SHA-256 and with MD5.
constexpr std::string_view kRfc7616Challenges =
    R"(Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, )"
    R"(nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", )"
    R"(opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", )"
    R"(Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, )"
    R"(nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", )"
    R"(opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS")";

auth::DigestRequest mufasa(std::string_view cnonce, std::string_view password) {
  return {.method = "GET",
          .uri = "/dir/index.html",
          .body = "",
          .username = "Mufasa",
          .password = password,
          .cnonce = cnonce,
          .nc = 1};
}

std::string param_of(const std::string& header, const std::string& name) {
  const auto challenges = auth::parse_challenges(header);
  if (challenges.empty()) return "<none>";
  return challenges.front().param(name).value_or("<absent>");
}

TEST(HttpAuth, ParsesSeveralChallengesInOneHeader) {
  const auto c = auth::parse_challenges(kRfc7616Challenges);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].scheme, "digest");
  EXPECT_EQ(c[0].param("algorithm"), "SHA-256");
  EXPECT_EQ(c[0].param("qop"), "auth, auth-int");
  EXPECT_EQ(c[1].param("algorithm"), "MD5");
  EXPECT_EQ(c[1].param("opaque"), "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");

  const auto mixed = auth::parse_challenges(R"(Basic realm="Braiins OS", Bearer, Digest nonce=x)");
  ASSERT_EQ(mixed.size(), 3u);
  EXPECT_EQ(mixed[0].param("realm"), "Braiins OS");
  EXPECT_EQ(mixed[1].scheme, "bearer");
  EXPECT_TRUE(mixed[1].params.empty());
  EXPECT_EQ(mixed[2].param("nonce"), "x");
}

TEST(HttpAuth, QuotedEscapesAndBrokenInputNeverThrow) {
  EXPECT_EQ(param_of(R"(Digest realm="a \"quoted\" \\ realm")", "realm"), R"(a "quoted" \ realm)");
  EXPECT_EQ(param_of(R"(Digest realm="unterminated)", "realm"), "<absent>");
  EXPECT_EQ(param_of("Digest REALM=Lab,,nonce=n", "realm"), "Lab");
  EXPECT_EQ(param_of("Digest REALM=Lab,,nonce=n", "nonce"), "n");
  // Truncations of a real challenge at every length, and junk: no throw, no hang.
  const std::string real(kRfc7616Challenges);
  for (size_t n = 0; n <= real.size(); ++n) (void)auth::parse_challenges(real.substr(0, n));
  for (const char* junk : {"", ",,,", "=\"", "Digest =", "\"\"\"", "Negotiate abc==", "\x01\x02"})
    (void)auth::parse_challenges(junk);
}

TEST(HttpAuth, DigestAnswersMatchTheRfc7616Example) {
  const auto c = auth::parse_challenges(kRfc7616Challenges);
  const std::string cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
  const auto sha = auth::digest_authorization(c[0], mufasa(cnonce, "Circle of Life"));
  ASSERT_TRUE(sha);
  EXPECT_EQ(param_of(*sha, "response"),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
  EXPECT_EQ(param_of(*sha, "qop"), "auth");
  EXPECT_EQ(param_of(*sha, "nc"), "00000001");
  EXPECT_EQ(param_of(*sha, "opaque"), "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
  EXPECT_EQ(param_of(*sha, "uri"), "/dir/index.html");
  const auto md5 = auth::digest_authorization(c[1], mufasa(cnonce, "Circle of Life"));
  ASSERT_TRUE(md5);
  EXPECT_EQ(param_of(*md5, "response"), "8ca523f5e9506fed4657c9700eebdbec");
  // SHA-256 is preferred when both are offered, in either order.
  EXPECT_EQ(auth::pick_digest(c), &c[0]);
  const std::vector<auth::Challenge> reversed = {c[1], c[0]};
  EXPECT_EQ(auth::pick_digest(reversed), &reversed[1]);
}

TEST(HttpAuth, DigestAnswerMatchesTheRfc2617Example) {
  const auto c = auth::parse_challenges(
      R"(Digest realm="testrealm@host.com", qop="auth,auth-int", )"
      R"(nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41")");
  ASSERT_EQ(c.size(), 1u);
  const auto answer = auth::digest_authorization(c[0], mufasa("0a4f113b", "Circle Of Life"));
  ASSERT_TRUE(answer);
  EXPECT_EQ(param_of(*answer, "response"), "6629fae49393a05397450978507c4ef1");
  EXPECT_EQ(param_of(*answer, "algorithm"), "<absent>");  // not in the challenge: not echoed
}

TEST(HttpAuth, DigestWithoutQopUsesTheRfc2069Form) {
  // RFC 2069: response = MD5(HA1:nonce:HA2), no nc/cnonce.
  const auto c = auth::parse_challenges(R"(Digest realm="r", nonce="n")");
  const auto answer = auth::digest_authorization(c[0], mufasa("ignored", "p"));
  ASSERT_TRUE(answer);
  EXPECT_EQ(param_of(*answer, "qop"), "<absent>");
  EXPECT_EQ(param_of(*answer, "cnonce"), "<absent>");
  // MD5(MD5("Mufasa:r:p") ":n:" MD5("GET:/dir/index.html")), computed with md5sum.
  EXPECT_EQ(param_of(*answer, "response"), "9751d92a32ff61a7c3716b4554ed66dd");
}

TEST(HttpAuth, UnanswerableChallengesAreRefused) {
  for (const char* header : {
           R"(Digest realm="r")",                                    // no nonce
           R"(Digest realm="r", nonce="n", algorithm=SHA-512-256)",  // not implemented
           R"(Digest realm="r", nonce="n", qop="auth-conf")",        // no known qop
           R"(Digest realm="r", nonce="n", userhash=true)",          // userhash not implemented
           R"(Basic realm="r")",
       }) {
    const auto c = auth::parse_challenges(header);
    ASSERT_EQ(c.size(), 1u) << header;
    EXPECT_FALSE(auth::digest_authorization(c[0], mufasa("c", "p"))) << header;
    EXPECT_EQ(auth::pick_digest(c), nullptr) << header;
  }
}

TEST(HttpAuth, BasicIsBase64OfUserColonPassword) {
  // RFC 7617 section 2.
  EXPECT_EQ(auth::basic_authorization("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  EXPECT_EQ(auth::basic_authorization("", ""), "Basic Og==");
}

TEST(HttpAuth, ClientNoncesDiffer) {
  const auto a = auth::make_cnonce();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, auth::make_cnonce());
}

TEST(HttpUrl, SplitsHostPortAndTarget) {
  auto u = http::parse_url("http://10.0.0.5:8080/api/v1/summary?x=1#frag");
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->host, "10.0.0.5");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->target, "/api/v1/summary?x=1");
  EXPECT_EQ(u->authority, "10.0.0.5:8080");

  u = http::parse_url("HTTPS://[fe80::1]/redfish/v1");
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "fe80::1");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->authority, "[fe80::1]");

  u = http::parse_url("http://bmc.lab?q");
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_EQ(u->port, 80);
  EXPECT_EQ(u->target, "/?q");
}

TEST(HttpUrl, CredentialsAreNeverShown) {
  auto u = http::parse_url("http://admin:s3cr3t@10.0.0.5/x");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "10.0.0.5");
  EXPECT_EQ(u->shown, "http://10.0.0.5/x");
  const auto bad = http::parse_url("http://admin:s3cr3t@10.0.0.5:99999/x");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message.find("s3cr3t"), std::string::npos) << bad.error().message;
  EXPECT_EQ(http::without_credentials("ftp://u:p@h/x"), "ftp://h/x");
}

TEST(HttpUrl, MalformedUrlsAreInvalidArguments) {
  for (const char* url : {"", "not a url", "ftp://h/", "http://", "http://:80/", "http://h:0/",
                          "http://h:x/", "http://[::1/", "http://[::1]x/", "http://h/a b",
                          "http://h/\r\nX: y", "file:///etc/passwd"}) {
    const auto u = http::parse_url(url);
    ASSERT_FALSE(u) << url;
    EXPECT_EQ(u.error().code, Errc::kInvalidArgument) << url;
  }
}

}  // namespace
}  // namespace rigkeeper::test
