// DigestRealm (declared in http_server.h): the server side of RFC 7616 digest with MD5 and
// qop=auth, as lighttpd's mod_auth on stock Antminers does it.
#include <openssl/evp.h>

#include <cctype>
#include <map>

#include "drivers/sim/http_server.h"

namespace rigkeeper::drivers::sim {

namespace {

std::string md5_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

// Parses `Digest k=v, k="v", ...` into a map (keys lower-cased). Empty when not Digest.
std::map<std::string, std::string> parse_digest(std::string_view header) {
  std::map<std::string, std::string> out;
  if (header.size() < 7) return out;
  for (size_t i = 0; i < 6; ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != "digest"[i]) return out;
  }
  size_t i = 6;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',')) ++i;
    const size_t eq = header.find('=', i);
    if (eq == std::string_view::npos) break;
    std::string key;
    for (size_t k = i; k < eq; ++k) {
      if (header[k] != ' ') key.push_back(static_cast<char>(std::tolower(header[k])));
    }
    i = eq + 1;
    std::string value;
    if (i < header.size() && header[i] == '"') {
      ++i;
      while (i < header.size() && header[i] != '"') {
        if (header[i] == '\\' && i + 1 < header.size()) ++i;
        value.push_back(header[i++]);
      }
      ++i;
    } else {
      while (i < header.size() && header[i] != ',') value.push_back(header[i++]);
      while (!value.empty() && value.back() == ' ') value.pop_back();
    }
    out[key] = value;
  }
  return out;
}

std::string nonce_for(const DigestRealm& realm, int64_t bucket) {
  return md5_hex(realm.secret + ":" + std::to_string(bucket) + ":" + realm.realm);
}

int64_t bucket_of(const DigestRealm& realm, int64_t now_unix) {
  return now_unix / std::max(1, realm.nonce_ttl_s);
}

}  // namespace

bool DigestRealm::authorized(const HttpRequest& request, int64_t now_unix) const {
  const auto header = request.header("authorization");
  if (!header) return false;
  auto p = parse_digest(*header);
  if (p.empty() || p["username"] != user || p["realm"] != realm) return false;
  // Any nonce from this bucket or the previous one: valid for nonce_ttl_s at least.
  const int64_t bucket = bucket_of(*this, now_unix);
  const std::string& nonce = p["nonce"];
  if (nonce != nonce_for(*this, bucket) && nonce != nonce_for(*this, bucket - 1)) return false;
  const std::string& uri = p["uri"];
  if (uri != request.target && uri != request.path()) return false;
  const std::string algorithm = p.count("algorithm") ? p["algorithm"] : "MD5";
  if (algorithm != "MD5" && algorithm != "md5") return false;
  const std::string ha1 = md5_hex(user + ":" + realm + ":" + password);
  const std::string ha2 = md5_hex(request.method + ":" + uri);
  std::string expected;
  if (p.count("qop")) {
    if (p["qop"] != "auth") return false;
    expected = md5_hex(ha1 + ":" + nonce + ":" + p["nc"] + ":" + p["cnonce"] + ":auth:" + ha2);
  } else {
    expected = md5_hex(ha1 + ":" + nonce + ":" + ha2);
  }
  return !expected.empty() && p["response"] == expected;
}

HttpReply DigestRealm::challenge(int64_t now_unix) const {
  HttpReply reply = HttpReply::text(401, "401 - Unauthorized\n", "text/html");
  reply.headers.emplace_back("WWW-Authenticate", "Digest realm=\"" + realm + "\", nonce=\"" +
                                                     nonce_for(*this, bucket_of(*this, now_unix)) +
                                                     "\", qop=\"auth\"");
  return reply;
}

}  // namespace rigkeeper::drivers::sim
