#include "drivers/api/http_auth.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstring>

#include "drivers/api/ascii.h"

namespace rigkeeper::drivers::http::auth {

namespace {

// RFC 9110 section 5.6.2 token characters.
bool is_tchar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

std::string hex(const unsigned char* data, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 0xf]);
  }
  return out;
}

std::string hash_hex(const EVP_MD* md, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, md, nullptr) != 1) return {};
  return hex(digest, len);
}

// A quoted-string with '"' and '\' escaped.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

struct Algorithm {
  const EVP_MD* md = nullptr;
  bool session = false;
  int preference = 0;  ///< higher is stronger
};

std::optional<Algorithm> algorithm_of(const Challenge& c) {
  const std::string name = c.param("algorithm").value_or("MD5");
  if (ascii_iequals(name, "MD5")) return Algorithm{EVP_md5(), false, 1};
  if (ascii_iequals(name, "MD5-sess")) return Algorithm{EVP_md5(), true, 1};
  if (ascii_iequals(name, "SHA-256")) return Algorithm{EVP_sha256(), false, 2};
  if (ascii_iequals(name, "SHA-256-sess")) return Algorithm{EVP_sha256(), true, 2};
  return std::nullopt;  // SHA-512-256 and unknown names: not offered by mining firmware or BMCs
}

// "auth" when offered, else "auth-int"; "" when the challenge has no qop (RFC 2069 form);
// nullopt when it offers only options this client does not know.
std::optional<std::string> qop_of(const Challenge& c) {
  const auto offered = c.param("qop");
  if (!offered) return std::string();
  bool auth = false, auth_int = false;
  size_t start = 0;
  while (start <= offered->size()) {
    size_t end = offered->find(',', start);
    if (end == std::string::npos) end = offered->size();
    std::string_view item(offered->data() + start, end - start);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front())))
      item.remove_prefix(1);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back())))
      item.remove_suffix(1);
    auth = auth || ascii_iequals(item, "auth");
    auth_int = auth_int || ascii_iequals(item, "auth-int");
    start = end + 1;
  }
  if (auth) return std::string("auth");
  if (auth_int) return std::string("auth-int");
  return std::nullopt;
}

bool answerable(const Challenge& c) {
  return c.scheme == "digest" && c.param("nonce") && algorithm_of(c) && qop_of(c) &&
         !ascii_iequals(c.param("userhash").value_or("false"), "true");
}

}  // namespace

std::optional<std::string> Challenge::param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::vector<Challenge> parse_challenges(std::string_view v) {
  std::vector<Challenge> out;
  size_t i = 0;
  const auto skip_ws = [&] {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
  };
  const auto token = [&] {
    const size_t begin = i;
    while (i < v.size() && is_tchar(v[i])) ++i;
    return v.substr(begin, i - begin);
  };
  while (i < v.size()) {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) ++i;
    const std::string_view scheme = token();
    if (scheme.empty()) {
      if (i < v.size()) ++i;  // a stray character: step over it
      continue;
    }
    Challenge c;
    c.scheme = ascii_lower(scheme);
    while (i < v.size()) {
      skip_ws();
      const size_t item_start = i;
      const std::string_view name = token();
      skip_ws();
      if (name.empty()) {
        if (i < v.size() && v[i] == ',') {
          ++i;  // an empty list element
          continue;
        }
        break;  // a token68 remainder or garbage: this challenge ends here
      }
      if (i >= v.size() || v[i] != '=') {
        i = item_start;  // a bare token: the next challenge's scheme
        break;
      }
      ++i;
      skip_ws();
      std::string value;
      bool complete = true;
      if (i < v.size() && v[i] == '"') {
        complete = false;
        ++i;
        while (i < v.size()) {
          const char ch = v[i++];
          if (ch == '\\' && i < v.size()) {
            value.push_back(v[i++]);
          } else if (ch == '"') {
            complete = true;
            break;
          } else {
            value.push_back(ch);
          }
        }
      } else {
        // Unquoted: a token by the grammar; firmware also sends bare values with '/', '=' ...
        while (i < v.size() && v[i] != ',' && v[i] != ' ' && v[i] != '\t') value.push_back(v[i++]);
      }
      if (complete) c.params.emplace_back(ascii_lower(name), std::move(value));
      skip_ws();
      if (i < v.size() && v[i] == ',') ++i;
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string basic_authorization(std::string_view user, std::string_view password) {
  std::string plain;
  plain.reserve(user.size() + password.size() + 1);
  plain.append(user).append(":").append(password);
  std::string encoded(4 * ((plain.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                reinterpret_cast<const unsigned char*>(plain.data()),
                                static_cast<int>(plain.size()));
  encoded.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return "Basic " + encoded;
}

std::optional<std::string> digest_authorization(const Challenge& c, const DigestRequest& r) {
  if (!answerable(c)) return std::nullopt;
  const Algorithm alg = *algorithm_of(c);
  const std::string qop = *qop_of(c);
  const std::string realm = c.param("realm").value_or("");
  const std::string nonce = *c.param("nonce");
  const auto h = [&](std::string_view s) { return hash_hex(alg.md, s); };

  std::string ha1 = h(std::string(r.username) + ":" + realm + ":" + std::string(r.password));
  if (alg.session) ha1 = h(ha1 + ":" + nonce + ":" + std::string(r.cnonce));
  std::string a2 = std::string(r.method) + ":" + std::string(r.uri);
  if (qop == "auth-int") a2 += ":" + h(r.body);
  const std::string ha2 = h(a2);
  std::array<char, 9> nc{};
  std::snprintf(nc.data(), nc.size(), "%08x", r.nc);
  const std::string response = qop.empty() ? h(ha1 + ":" + nonce + ":" + ha2)
                                           : h(ha1 + ":" + nonce + ":" + nc.data() + ":" +
                                               std::string(r.cnonce) + ":" + qop + ":" + ha2);
  if (ha1.empty() || ha2.empty() || response.empty()) return std::nullopt;  // no digest provider

  std::string out = "Digest username=" + quoted(r.username) + ", realm=" + quoted(realm) +
                    ", nonce=" + quoted(nonce) + ", uri=" + quoted(r.uri);
  if (const auto name = c.param("algorithm")) out += ", algorithm=" + *name;
  out += ", response=" + quoted(response);
  if (!qop.empty()) {
    out += ", qop=" + qop + ", nc=" + nc.data() + ", cnonce=" + quoted(r.cnonce);
  }
  if (const auto opaque = c.param("opaque")) out += ", opaque=" + quoted(*opaque);
  return out;
}

const Challenge* pick_digest(const std::vector<Challenge>& challenges) {
  const Challenge* best = nullptr;
  int best_preference = 0;
  for (const auto& c : challenges) {
    if (!answerable(c)) continue;
    const int preference = algorithm_of(c)->preference;
    if (preference > best_preference) {
      best = &c;
      best_preference = preference;
    }
  }
  return best;
}

std::string make_cnonce() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // No entropy source: a digest answer still works with a predictable client nonce, it only
    // loses the protection against chosen-plaintext servers that the cnonce adds.
    for (size_t i = 0; i < sizeof bytes; ++i) bytes[i] = static_cast<unsigned char>(i * 37 + 11);
  }
  return hex(bytes, sizeof bytes);
}

}  // namespace rigkeeper::drivers::http::auth
