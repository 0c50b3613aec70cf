// The Whatsminer crypto against known answers: md5-crypt vectors produced by OpenSSL's
// `openssl passwd -1 -salt S P` (apps/passwd.c, the reference md5-crypt), AES-256 from
// FIPS-197 appendix C.3, and the v2/v3 token derivations checked step by step against
// vectors computed with the openssl and sha256sum command-line tools following pyasic's
// algorithm (pyasic/rpc/btminer.py: get_token, create_privileged_cmd, BTMinerV3RPCAPI).
#include <gtest/gtest.h>

#include "drivers/asic/whatsminer/crypto.h"

namespace rigkeeper::drivers::whatsminer {
namespace {

std::string hex(std::string_view bytes) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(d[c >> 4]);
    out.push_back(d[c & 15]);
  }
  return out;
}

std::string unhex(std::string_view h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}

TEST(WhatsminerCrypto, Md5CryptMatchesOpenSsl) {
  EXPECT_EQ(md5_crypt("password", "saltsalt"), "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/");
  EXPECT_EQ(md5_crypt("admin", "BQrGFaBe"), "$1$BQrGFaBe$noehJnaeZjj5E7AnbcyhZ1");
  EXPECT_EQ(md5_crypt("", "ab"), "$1$ab$rn6aQS/o7141mj179E/zA.");
  // Longer than one 16-byte MD5 block of the alternate sum.
  EXPECT_EQ(md5_crypt("a-rather-long-password-over-16", "abcdefgh"),
            "$1$abcdefgh$26UVxWJeSu/xkV.liz8N7.");
}

TEST(WhatsminerCrypto, Md5CryptSaltForms) {
  // "$1$salt$" as pyasic passes it, and salts cut at 8 characters, as crypt(3) does.
  EXPECT_EQ(md5_crypt("admin", "$1$BQrGFaBe$"), "$1$BQrGFaBe$noehJnaeZjj5E7AnbcyhZ1");
  EXPECT_EQ(md5_crypt("admin", "BQrGFaBeEXTRA"), "$1$BQrGFaBe$noehJnaeZjj5E7AnbcyhZ1");
  EXPECT_EQ(md5_crypt_hash("admin", "BQrGFaBe"), "noehJnaeZjj5E7AnbcyhZ1");
}

TEST(WhatsminerCrypto, Aes256EcbFips197) {
  const auto key = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  const auto plain = unhex("00112233445566778899aabbccddeeff");
  const auto cipher = aes256_ecb_encrypt(key, plain);
  EXPECT_EQ(hex(cipher), "8ea2b7ca516745bfeafc49904b496089");
  // Decryption strips btminer's trailing zero padding; this block ends in 0xff, so it comes
  // back whole.
  EXPECT_EQ(aes256_ecb_decrypt(key, cipher), plain);
}

TEST(WhatsminerCrypto, AesRoundTripZeroPadded) {
  const std::string key = sha256("k");
  for (std::string text : {std::string("x"), std::string(16, 'a'), std::string(33, 'b')}) {
    const auto c = aes256_ecb_encrypt(key, text);
    EXPECT_EQ(c.size() % 16, 0u);
    EXPECT_GE(c.size(), text.size());
    EXPECT_EQ(aes256_ecb_decrypt(key, c), text);
  }
  EXPECT_FALSE(aes256_ecb_decrypt(key, "short"));
  EXPECT_FALSE(aes256_ecb_decrypt("not-32-bytes", std::string(16, 'x')));
  EXPECT_FALSE(aes256_ecb_decrypt(key, ""));
}

TEST(WhatsminerCrypto, Base64) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_decode("Zm9vYg=="), "foob");
  EXPECT_EQ(base64_decode("Zm9v\nYmFy"), "foobar");  // pyasic's encodebytes adds newlines
  EXPECT_FALSE(base64_decode("Zm9"));
  EXPECT_FALSE(base64_decode("!!!!"));
  EXPECT_FALSE(base64_decode(""));
}

TEST(WhatsminerCrypto, V2TokenDerivation) {
  // get_token Msg {salt:"BQrGFaBe", newsalt:"jbzkfQls", time:"8765"}, password "admin":
  //   openssl passwd -1 -salt BQrGFaBe admin            -> $1$BQrGFaBe$noehJnaeZjj5E7AnbcyhZ1
  //   openssl passwd -1 -salt jbzkfQls noehJnae...Z18765 -> $1$jbzkfQls$wv5bkEW09GSZeWy/SP79F0
  //   echo -n noehJnaeZjj5E7AnbcyhZ1 | sha256sum         -> 7c462b7f...a471
  const auto t = derive_v2_token("admin", "BQrGFaBe", "jbzkfQls", "8765");
  EXPECT_EQ(t.passwd_md5, "noehJnaeZjj5E7AnbcyhZ1");
  EXPECT_EQ(t.sign, "wv5bkEW09GSZeWy/SP79F0");
  EXPECT_EQ(hex(t.aes_key), "7c462b7fadc939eb2c19c58f43a46fcce0caa0cc00e221627557eaaba062a471");
}

TEST(WhatsminerCrypto, V2SealAndOpen) {
  const auto t = derive_v2_token("admin", "BQrGFaBe", "jbzkfQls", "8765");
  // printf '{"cmd":"power_on","token":"x"}\0\0' | openssl enc -aes-256-ecb -K <key> -nopad | base64
  const std::string json = R"({"cmd":"power_on","token":"x"})";
  EXPECT_EQ(seal_v2_command(t, json),
            R"({"enc": 1, "data": "2DfQMAajATgxQm78Zjl9aXwPphjJIs9XvvPK04Y7K6U="})");
  EXPECT_EQ(open_v2_payload(t.aes_key, "2DfQMAajATgxQm78Zjl9aXwPphjJIs9XvvPK04Y7K6U="), json);
  const auto wrong = derive_v2_token("nimda", "BQrGFaBe", "jbzkfQls", "8765");
  auto garbled = open_v2_payload(wrong.aes_key, "2DfQMAajATgxQm78Zjl9aXwPphjJIs9XvvPK04Y7K6U=");
  EXPECT_NE(garbled, json);
  EXPECT_FALSE(open_v2_payload(t.aes_key, "not base64"));
}

TEST(WhatsminerCrypto, V3Token) {
  // echo -n "set.miner.power_limitsuperuhCiDyVj1773869570" | openssl dgst -sha256 -binary
  //   | base64 | cut -c1-8  (salt from the M60S capture, its "when" as ts)
  EXPECT_EQ(v3_token("set.miner.power_limit", "super", "uhCiDyVj", 1773869570), "TaB0bCds");
  EXPECT_EQ(v3_token("set.miner.power_limit", "super", "uhCiDyVj", 1773869570).size(), 8u);
  EXPECT_NE(v3_token("set.miner.power_limit", "supe", "uhCiDyVj", 1773869570), "TaB0bCds");
}

}  // namespace
}  // namespace rigkeeper::drivers::whatsminer
