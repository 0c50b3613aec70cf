#pragma once
/// HTTP authentication for the client side of drivers/api/http_client: parsing the challenges
/// of a `WWW-Authenticate` header (RFC 7235 section 4.1) and answering them with Basic
/// (RFC 7617) or Digest (RFC 7616: MD5 and SHA-256, their -sess forms, qop=auth and auth-int,
/// and the qop-less RFC 2069 form that old embedded web servers still send).
///
/// Pure functions apart from the client nonce, which the caller passes in. Every input comes
/// from a device: a malformed challenge yields no challenge (or no parameter), never a throw.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rigkeeper::drivers::http::auth {

/// One challenge: `Digest realm="x", nonce="y", qop="auth"`.
struct Challenge {
  std::string scheme;  ///< lower-cased: "digest", "basic", "bearer", ...
  std::vector<std::pair<std::string, std::string>> params;  ///< names lower-cased, values unquoted

  /// The value of parameter `name` (lower-case), or nullopt.
  std::optional<std::string> param(std::string_view name) const;
};

/// The challenges of one `WWW-Authenticate` value (it may carry several, comma-separated).
/// A parameter whose quoted value is not terminated is dropped; a token68 form (`Negotiate
/// abc==`) is kept as the scheme without parameters.
std::vector<Challenge> parse_challenges(std::string_view value);

/// `Basic <base64(user:password)>`.
std::string basic_authorization(std::string_view user, std::string_view password);

/// What one digest answer is computed over.
struct DigestRequest {
  std::string_view method;    ///< "GET", "POST", ...
  std::string_view uri;       ///< the request target, as sent
  std::string_view body;      ///< hashed for qop=auth-int only
  std::string_view username;  ///< never logged
  std::string_view password;  ///< never logged
  std::string_view cnonce;    ///< client nonce: fresh random hex per answer
  uint32_t nc = 1;            ///< nonce count
};

/// The `Authorization` value answering a Digest challenge, or nullopt when the challenge is
/// not Digest, has no nonce, or asks for an algorithm or qop this client does not implement
/// (userhash, or neither auth nor auth-int among several qop options).
std::optional<std::string> digest_authorization(const Challenge& challenge,
                                                const DigestRequest& request);

/// The Digest challenge to answer among `challenges`: SHA-256 before MD5 (RFC 7616 section
/// 3.7), the first of equals; nullptr when none can be answered.
const Challenge* pick_digest(const std::vector<Challenge>& challenges);

/// 16 random bytes as hex, for DigestRequest::cnonce.
std::string make_cnonce();

}  // namespace rigkeeper::drivers::http::auth
