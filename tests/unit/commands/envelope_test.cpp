// Signed envelopes: keys made by generate_key(), signatures by sign_body(), verified by
// open_payload() with OpenSSL; every way an envelope can be wrong is rejected.
#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "agent/commands/envelope.h"
#include "tests/support/temp_dir.h"

namespace rigkeeper::agent::commands {
namespace {

using nlohmann::json;

const std::string kBody = R"({"id":"c1","type":"locate","issued_at":"2026-01-01T00:00:00Z",)"
                          R"("targets":{"all":true}})";

class EnvelopeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(generate_key("ops", dir.path()));
    auto ring = KeyRing::load(dir.path());
    ASSERT_TRUE(ring) << ring.error().message;
    keys = std::move(*ring);
  }
  test::TempDir dir;
  KeyRing keys;
};

TEST_F(EnvelopeTest, KeygenWritesAPrivateKeyOnlyTheOwnerReads) {
  struct stat st {};
  ASSERT_EQ(::stat((dir / "ops.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(std::filesystem::exists(dir / "ops.pub"));
  EXPECT_FALSE(generate_key("ops", dir.path())) << "must not overwrite an existing key";
}

TEST_F(EnvelopeTest, SignedBodyVerifies) {
  auto env = sign_body(dir / "ops.key", kBody);
  ASSERT_TRUE(env) << env.error().message;
  const auto j = json::parse(*env);
  EXPECT_EQ(j["v"], 1);
  EXPECT_EQ(j["key_id"], "ops");
  EXPECT_EQ(j["body"], kBody);
  auto opened = open_payload(*env, keys);
  EXPECT_EQ(opened.reason, "");
  EXPECT_EQ(opened.body, kBody);
}

TEST_F(EnvelopeTest, TamperedBodyOrSignatureIsRejected) {
  auto j = json::parse(*sign_body(dir / "ops.key", kBody));
  auto tampered = j;
  tampered["body"] = kBody + " ";
  EXPECT_NE(open_payload(tampered.dump(), keys).reason.find("bad signature"), std::string::npos);
  tampered = j;
  std::string sig = j["sig"];
  sig[3] = sig[3] == 'A' ? 'B' : 'A';
  tampered["sig"] = sig;
  EXPECT_NE(open_payload(tampered.dump(), keys).reason.find("bad signature"), std::string::npos);
  tampered["sig"] = "not base64!";
  EXPECT_NE(open_payload(tampered.dump(), keys).reason.find("bad signature"), std::string::npos);
}

TEST_F(EnvelopeTest, UnknownKeyWrongVersionAndUnsignedAreRejected) {
  auto j = json::parse(*sign_body(dir / "ops.key", kBody));
  auto other = j;
  other["key_id"] = "intruder";
  EXPECT_NE(open_payload(other.dump(), keys).reason.find("unknown command key"), std::string::npos);
  other = j;
  other["v"] = 2;
  EXPECT_NE(open_payload(other.dump(), keys).reason.find("version"), std::string::npos);
  other = j;
  other["body"] = json::parse(kBody);  // an object, not the string the signature covers
  EXPECT_NE(open_payload(other.dump(), keys).reason.find("string"), std::string::npos);
  EXPECT_NE(open_payload(kBody, keys).reason.find("unsigned"), std::string::npos);
}

TEST_F(EnvelopeTest, AnotherKeysSignatureDoesNotVerify) {
  test::TempDir other;
  ASSERT_TRUE(generate_key("ops", other.path()));
  auto env = sign_body(other / "ops.key", kBody);
  EXPECT_NE(open_payload(*env, keys).reason.find("bad signature"), std::string::npos);
}

TEST(Envelope, WithoutKeysPlainCommandsPassAndEnvelopesAreRejected) {
  KeyRing none;
  EXPECT_EQ(open_payload(kBody, none).body, kBody);
  test::TempDir dir;
  ASSERT_TRUE(generate_key("k", dir.path()));
  auto env = sign_body(dir / "k.key", kBody);
  EXPECT_NE(open_payload(*env, none).reason.find("trusts no command key"), std::string::npos);
}

TEST(Envelope, RawBase64PublicKeysAreAccepted) {
  // RFC 8032 test 1: public key of the all-"9d61..." secret.
  const std::string raw_pub = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
  KeyRing ring;
  ASSERT_TRUE(ring.add("rfc", raw_pub));
  // Its signature of the empty message.
  const auto sig = base64_decode(
      "5VZDAMNgrHKQhuLMgG6CioSHfx645dl02HPgZSJJAVVfuIIVkKM7rMYeOXAc+bRr0lv18FlbviRlUUFDjnoQCw==");
  ASSERT_TRUE(sig);
  EXPECT_TRUE(ring.verify("rfc", "", *sig));
  EXPECT_FALSE(ring.verify("rfc", "x", *sig));
  EXPECT_FALSE(ring.add("bad", "AAAA"));
}

TEST(Envelope, KeyFolderWithoutKeysOrWithGarbageIsAConfigError) {
  test::TempDir dir;
  EXPECT_FALSE(KeyRing::load(dir.path()));
  std::ofstream(dir / "junk.pub") << "hello";
  auto r = KeyRing::load(dir.path());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("junk.pub"), std::string::npos);
  EXPECT_FALSE(KeyRing::load(dir / "missing"));
}

}  // namespace
}  // namespace rigkeeper::agent::commands
