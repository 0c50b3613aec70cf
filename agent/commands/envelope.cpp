#include "agent/commands/envelope.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

namespace rigkeeper::agent::commands {
namespace fs = std::filesystem;

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return std::string(s);
}

std::optional<std::string> read_small_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text(16 * 1024, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

Result<void> write_file(const fs::path& p, const std::string& text, mode_t mode) {
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return fail(Errc::kStorage, "cannot create " + p.string());
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::fchmod(fd, mode);
  ::close(fd);
  if (!ok) return fail(Errc::kStorage, "cannot write " + p.string());
  return {};
}

}  // namespace

struct KeyRing::Key {
  PkeyPtr pkey;
};

KeyRing::KeyRing() = default;
KeyRing::~KeyRing() = default;
KeyRing::KeyRing(KeyRing&&) noexcept = default;
KeyRing& KeyRing::operator=(KeyRing&&) noexcept = default;

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string t = trim(text);
  if (t.empty() || t.size() % 4 != 0 || t.size() > 1 << 20) return std::nullopt;
  std::string out(3 * t.size() / 4, '\0');
  const int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(t.data()), static_cast<int>(t.size()));
  if (n < 0) return std::nullopt;
  std::size_t pad = 0;
  if (t.back() == '=') ++pad;
  if (t.size() > 1 && t[t.size() - 2] == '=') ++pad;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

Result<void> KeyRing::add(const std::string& key_id, std::string_view pub_text) {
  PkeyPtr key;
  if (pub_text.find("-----BEGIN") != std::string_view::npos) {
    std::unique_ptr<BIO, BioFree> bio(
        BIO_new_mem_buf(pub_text.data(), static_cast<int>(pub_text.size())));
    key.reset(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  } else if (auto raw = base64_decode(pub_text); raw && raw->size() == 32) {
    key.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                          reinterpret_cast<const unsigned char*>(raw->data()), 32));
  }
  if (!key || EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519)
    return fail(Errc::kConfig, "command key '" + key_id +
                                   "' is not an Ed25519 public key (PEM, or base64 of 32 bytes)");
  auto k = std::make_shared<Key>();
  k->pkey = std::move(key);
  keys_[key_id] = std::move(k);
  return {};
}

Result<KeyRing> KeyRing::load(const fs::path& dir) {
  KeyRing ring;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec)
    return fail(Errc::kConfig,
                "cannot read command key folder " + dir.string() + ": " + ec.message());
  for (const auto& entry : it) {
    if (entry.path().extension() != ".pub") continue;
    auto text = read_small_file(entry.path());
    if (!text) return fail(Errc::kConfig, "cannot read command key " + entry.path().string());
    if (auto r = ring.add(entry.path().stem().string(), *text); !r)
      return fail(Errc::kConfig, entry.path().string() + ": " + r.error().message);
  }
  if (ring.empty())
    return fail(Errc::kConfig, "command key folder " + dir.string() + " holds no *.pub key");
  return ring;
}

bool KeyRing::verify(const std::string& key_id, std::string_view message,
                     std::string_view sig) const {
  auto it = keys_.find(key_id);
  if (it == keys_.end() || sig.size() != 64) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx) return false;
  bool ok =
      EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, it->second->pkey.get()) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

bool is_envelope(std::string_view payload) {
  const auto j = nlohmann::json::parse(payload, nullptr, false);
  return j.is_object() && j.contains("sig") && j.contains("body");
}

Opened open_payload(std::string_view payload, const KeyRing& keys) {
  Opened out;
  if (keys.empty()) {
    if (is_envelope(payload))
      out.reason = "signed envelope received but this rack trusts no command key";
    else
      out.body = std::string(payload);
    return out;
  }
  const auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object() || !j.contains("sig") || !j.contains("body")) {
    out.reason = "unsigned command: this rack requires a signed envelope";
    return out;
  }
  if (j.value("v", nlohmann::json()) != 1) {
    out.reason = "envelope version must be 1";
    return out;
  }
  if (!j["body"].is_string() || !j["sig"].is_string() || !j.contains("key_id") ||
      !j["key_id"].is_string()) {
    out.reason = "envelope needs string key_id, sig and body";
    return out;
  }
  const auto key_id = j["key_id"].get<std::string>();
  if (!keys.has(key_id)) {
    out.reason = "unknown command key '" + key_id.substr(0, 64) + "'";
    return out;
  }
  const auto sig = base64_decode(j["sig"].get<std::string>());
  const auto& body = j["body"].get_ref<const std::string&>();
  if (!sig || !keys.verify(key_id, body, *sig)) {
    out.reason = "bad signature for key '" + key_id + "'";
    return out;
  }
  out.body = body;
  return out;
}

Result<void> generate_key(const std::string& key_id, const fs::path& dir) {
  if (key_id.empty() || key_id.find('/') != std::string::npos || key_id[0] == '.')
    return fail(Errc::kInvalidArgument, "key id '" + key_id + "' is not a plain file name");
  const fs::path priv = dir / (key_id + ".key");
  const fs::path pub = dir / (key_id + ".pub");
  if (fs::exists(priv) || fs::exists(pub))
    return fail(Errc::kInvalidArgument,
                priv.string() + " or " + pub.string() + " already exists; not overwriting a key");
  std::error_code ec;
  fs::create_directories(dir, ec);
  EVP_PKEY* raw = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  const bool ok = ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &raw) == 1;
  EVP_PKEY_CTX_free(ctx);
  PkeyPtr key(raw);
  if (!ok) return fail(Errc::kInternal, "Ed25519 key generation failed");
  std::unique_ptr<BIO, BioFree> priv_bio(BIO_new(BIO_s_mem())), pub_bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(priv_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  PEM_write_bio_PUBKEY(pub_bio.get(), key.get());
  auto text_of = [](BIO* b) {
    char* data = nullptr;
    const long n = BIO_get_mem_data(b, &data);
    return std::string(data, static_cast<std::size_t>(n));
  };
  if (auto r = write_file(priv, text_of(priv_bio.get()), 0600); !r) return r;
  return write_file(pub, text_of(pub_bio.get()), 0644);
}

Result<std::string> sign_body(const fs::path& key_file, std::string_view body) {
  auto text = read_small_file(key_file);
  if (!text) return fail(Errc::kInvalidArgument, "cannot read key " + key_file.string());
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(text->data(), static_cast<int>(text->size())));
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key || EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519)
    return fail(Errc::kInvalidArgument, key_file.string() + " is not an Ed25519 private key");
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::string sig(64, '\0');
  std::size_t len = sig.size();
  const bool ok =
      ctx && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key.get()) == 1 &&
      EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(body.data()), body.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return fail(Errc::kInternal, "signing failed");
  sig.resize(len);
  nlohmann::json env{{"v", 1},
                     {"key_id", key_file.stem().string()},
                     {"sig", base64_encode(sig)},
                     {"body", std::string(body)}};
  return env.dump();
}

}  // namespace rigkeeper::agent::commands
