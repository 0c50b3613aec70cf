#pragma once
/// The cryptography of the Whatsminer (btminer) APIs, on OpenSSL's EVP interface:
///  - API v2 (port 4028): md5-crypt ("$1$" hashes, which OpenSSL 3 has no public API for),
///    the token derived from `get_token`, and AES-256-ECB with zero padding and base64 for
///    the `{"enc":1,"data":...}` envelope of privileged commands;
///  - API v3 (port 4433): the 8-character token of `set.*` commands.
/// The algorithms follow pyasic (pyasic/rpc/btminer.py); docs/drivers/whatsminer.md derives
/// them step by step.
///
/// Thread-safety: pure functions. Errors: decryption of untrusted bytes returns nullopt,
/// never throws.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rigkeeper::drivers::whatsminer {

/// md5-crypt (FreeBSD "$1$" scheme): "$1$<salt>$<22 chars>". The salt is cut at its first
/// '$' and at 8 characters, as crypt(3) does.
std::string md5_crypt(std::string_view password, std::string_view salt);

/// The part of an md5-crypt result after its third '$' (what btminer calls the hash).
std::string md5_crypt_hash(std::string_view password, std::string_view salt);

/// SHA-256 of `data`, 32 raw bytes.
std::string sha256(std::string_view data);

std::string base64_encode(std::string_view bytes);
/// Decodes standard base64 (newlines and trailing '=' tolerated); nullopt for anything else.
std::optional<std::string> base64_decode(std::string_view text);

/// AES-256-ECB of `plain` zero-padded to a multiple of 16 bytes; `key` must be 32 bytes.
std::string aes256_ecb_encrypt(std::string_view key, std::string_view plain);
/// The inverse, with the trailing zero padding removed; nullopt when the length is not a
/// multiple of 16 or the key is not 32 bytes.
std::optional<std::string> aes256_ecb_decrypt(std::string_view key, std::string_view cipher);

/// What `get_token` gives a v2 client: the password hash (AES key material) and the sign.
struct V2Token {
  std::string passwd_md5;  ///< md5_crypt_hash(password, salt)
  std::string sign;        ///< md5_crypt_hash(passwd_md5 + time, newsalt): the "token" field
  std::string aes_key;     ///< sha256(passwd_md5): 32 bytes
};

/// Derives the v2 token from `get_token`'s Msg {salt, newsalt, time} and the admin password.
V2Token derive_v2_token(std::string_view password, std::string_view salt, std::string_view newsalt,
                        std::string_view time);

/// `{"enc":1,"data":base64(aes(json))}` for the privileged command `json` (which already
/// carries "token").
std::string seal_v2_command(const V2Token& token, std::string_view json);

/// The plaintext of an encrypted v2 payload (the base64 text of "enc" or "data"), zero
/// padding removed; nullopt when it does not decrypt to text.
std::optional<std::string> open_v2_payload(std::string_view aes_key, std::string_view b64);

/// The v3 token of a `set.*` command: the first 8 characters of
/// base64(sha256(cmd + password + salt + decimal(ts))).
std::string v3_token(std::string_view cmd, std::string_view password, std::string_view salt,
                     int64_t ts);

}  // namespace rigkeeper::drivers::whatsminer
