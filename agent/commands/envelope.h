#pragma once
/// Signed command envelopes (contract: `{"v":1,"key_id","sig","body"}`): Ed25519 over the exact
/// UTF-8 bytes of `body`, verified with OpenSSL against a folder of trusted keys, and the
/// signing side used by `rigkeeper keygen` / `rigkeeper sign`.
///
/// Key files: `KEY_ID.pub` is either a PEM public key (`-----BEGIN PUBLIC KEY-----`, what
/// `rigkeeper keygen` and `openssl pkey -pubout` write) or one line holding the base64 of the raw
/// 32-byte Ed25519 public key. `KEY_ID.key` is a PEM PKCS#8 private key, mode 0600.
/// The key id is the file name less `.pub`.
///
/// Threading: a KeyRing is immutable after load(); verify() may be called from any thread.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "drivers/api/result.h"

namespace rigkeeper::agent::commands {

class KeyRing {
 public:
  KeyRing();
  ~KeyRing();
  KeyRing(KeyRing&&) noexcept;
  KeyRing& operator=(KeyRing&&) noexcept;

  /// Loads every `*.pub` in `dir`. Errc::kConfig naming the file when one is unreadable or not
  /// an Ed25519 key, or when the folder cannot be read or holds no key.
  static Result<KeyRing> load(const std::filesystem::path& dir);

  bool empty() const { return keys_.empty(); }
  std::size_t size() const { return keys_.size(); }

  /// Adds one key from the text of a `.pub` file (tests; load() uses it).
  Result<void> add(const std::string& key_id, std::string_view pub_text);

  /// True when `sig` (raw 64 bytes) is key_id's Ed25519 signature of `message`.
  bool verify(const std::string& key_id, std::string_view message, std::string_view sig) const;
  bool has(const std::string& key_id) const { return keys_.count(key_id) > 0; }

 private:
  struct Key;
  std::map<std::string, std::shared_ptr<Key>> keys_;
};

/// What opening a payload gave: the command body to parse, or the reason to reject it.
struct Opened {
  std::string body;
  std::string reason;  ///< empty on success
};

/// With keys: the payload must be a v1 envelope whose key is trusted and whose signature
/// verifies; the body is returned. Without keys: a plain command is returned as is, and an
/// envelope is rejected (nothing to verify it with).
Opened open_payload(std::string_view payload, const KeyRing& keys);

/// Whether a payload looks like an envelope (a JSON object with "sig" and "body").
bool is_envelope(std::string_view payload);

/// Writes `dir/KEY_ID.key` (PEM PKCS#8, 0600) and `dir/KEY_ID.pub` (PEM). Refuses to
/// overwrite (kInvalidArgument); kStorage when the files cannot be written.
Result<void> generate_key(const std::string& key_id, const std::filesystem::path& dir);

/// The signed envelope of `body` with the private key in `key_file`; the key id is the file
/// name less `.key`.
Result<std::string> sign_body(const std::filesystem::path& key_file, std::string_view body);

std::string base64_encode(std::string_view bytes);
/// nullopt when `text` is not base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace rigkeeper::agent::commands
