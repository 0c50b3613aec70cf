#include "drivers/asic/whatsminer/crypto.h"

#include <array>
#include <cstdlib>
#include <memory>

#include <openssl/evp.h>

namespace rigkeeper::drivers::whatsminer {

namespace {

using Md = std::array<unsigned char, 16>;

struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

// One MD5 digest being built; EVP failures only happen on allocation failure, which is a
// broken invariant for a 16-byte digest (abort rather than return a wrong hash).
class Md5 {
 public:
  Md5() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_md5(), nullptr) != 1) std::abort();
  }
  Md5& add(std::string_view s) {
    EVP_DigestUpdate(ctx_.get(), s.data(), s.size());
    return *this;
  }
  Md5& add(const Md& m, size_t n = 16) {
    EVP_DigestUpdate(ctx_.get(), m.data(), n);
    return *this;
  }
  Md done() {
    Md out{};
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_.get(), out.data(), &len);
    return out;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx_;
};

constexpr std::string_view kItoa64 =
    "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

void to64(std::string& out, uint32_t v, int n) {
  while (n-- > 0) {
    out.push_back(kItoa64[v & 0x3f]);
    v >>= 6;
  }
}

std::string_view crypt_salt(std::string_view salt) {
  if (salt.substr(0, 3) == "$1$") salt.remove_prefix(3);
  if (auto end = salt.find('$'); end != std::string_view::npos) salt = salt.substr(0, end);
  return salt.substr(0, 8);
}

std::optional<std::string> aes_run(std::string_view key, std::string_view in, bool encrypt) {
  if (key.size() != 32 || in.size() % 16 != 0) return std::nullopt;
  std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return std::nullopt;
  const auto* k = reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_ecb(), nullptr, k, nullptr, encrypt ? 1 : 0) != 1)
    return std::nullopt;
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);  // btminer pads with zeros, not PKCS#7
  std::string out(in.size() + 16, '\0');
  int n1 = 0;
  int n2 = 0;
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (EVP_CipherUpdate(ctx.get(), o, &n1, reinterpret_cast<const unsigned char*>(in.data()),
                       static_cast<int>(in.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), o + n1, &n2) != 1)
    return std::nullopt;
  out.resize(static_cast<size_t>(n1 + n2));
  return out;
}

}  // namespace

std::string md5_crypt(std::string_view pw, std::string_view salt_in) {
  constexpr std::string_view kMagic = "$1$";
  const auto salt = crypt_salt(salt_in);
  Md5 ctx;
  ctx.add(pw).add(kMagic).add(salt);
  const Md alt = Md5().add(pw).add(salt).add(pw).done();
  for (auto left = static_cast<int64_t>(pw.size()); left > 0; left -= 16)
    ctx.add(alt, static_cast<size_t>(left > 16 ? 16 : left));
  for (size_t i = pw.size(); i != 0; i >>= 1)
    ctx.add((i & 1) != 0 ? std::string_view("\0", 1) : pw.substr(0, 1));
  Md fin = ctx.done();
  for (int i = 0; i < 1000; ++i) {
    Md5 round;
    if ((i & 1) != 0)
      round.add(pw);
    else
      round.add(fin);
    if (i % 3 != 0) round.add(salt);
    if (i % 7 != 0) round.add(pw);
    if ((i & 1) != 0)
      round.add(fin);
    else
      round.add(pw);
    fin = round.done();
  }
  std::string out = std::string(kMagic) + std::string(salt) + "$";
  auto b = [&](int i) { return static_cast<uint32_t>(fin[static_cast<size_t>(i)]); };
  to64(out, (b(0) << 16) | (b(6) << 8) | b(12), 4);
  to64(out, (b(1) << 16) | (b(7) << 8) | b(13), 4);
  to64(out, (b(2) << 16) | (b(8) << 8) | b(14), 4);
  to64(out, (b(3) << 16) | (b(9) << 8) | b(15), 4);
  to64(out, (b(4) << 16) | (b(10) << 8) | b(5), 4);
  to64(out, b(11), 2);
  return out;
}

std::string md5_crypt_hash(std::string_view password, std::string_view salt) {
  const std::string full = md5_crypt(password, salt);
  return full.substr(full.rfind('$') + 1);
}

std::string sha256(std::string_view data) {
  std::string out(32, '\0');
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len,
                 EVP_sha256(), nullptr) != 1)
    std::abort();
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text)
    if (c != '\n' && c != '\r') clean.push_back(c);
  if (clean.empty() || clean.size() % 4 != 0) return std::nullopt;
  size_t pad = 0;
  while (pad < 2 && clean[clean.size() - 1 - pad] == '=') ++pad;
  std::string out(clean.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(clean.data()),
                                static_cast<int>(clean.size()));
  if (n < 0 || static_cast<size_t>(n) < pad) return std::nullopt;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string aes256_ecb_encrypt(std::string_view key, std::string_view plain) {
  std::string padded(plain);
  padded.resize((padded.size() + 15) / 16 * 16, '\0');
  if (padded.empty()) padded.assign(16, '\0');
  auto out = aes_run(key, padded, true);
  if (!out) std::abort();  // only a wrong key size gets here: a caller bug
  return *out;
}

std::optional<std::string> aes256_ecb_decrypt(std::string_view key, std::string_view cipher) {
  if (cipher.empty()) return std::nullopt;
  auto out = aes_run(key, cipher, false);
  if (!out) return std::nullopt;
  while (!out->empty() && out->back() == '\0') out->pop_back();
  return out;
}

V2Token derive_v2_token(std::string_view password, std::string_view salt, std::string_view newsalt,
                        std::string_view time) {
  V2Token t;
  t.passwd_md5 = md5_crypt_hash(password, salt);
  t.sign = md5_crypt_hash(t.passwd_md5 + std::string(time), newsalt);
  t.aes_key = sha256(t.passwd_md5);
  return t;
}

std::string seal_v2_command(const V2Token& token, std::string_view json) {
  return R"({"enc": 1, "data": ")" + base64_encode(aes256_ecb_encrypt(token.aes_key, json)) + "\"}";
}

std::optional<std::string> open_v2_payload(std::string_view aes_key, std::string_view b64) {
  auto raw = base64_decode(b64);
  if (!raw) return std::nullopt;
  return aes256_ecb_decrypt(aes_key, *raw);
}

std::string v3_token(std::string_view cmd, std::string_view password, std::string_view salt,
                     int64_t ts) {
  std::string text(cmd);
  text.append(password).append(salt).append(std::to_string(ts));
  return base64_encode(sha256(text)).substr(0, 8);
}

}  // namespace rigkeeper::drivers::whatsminer
