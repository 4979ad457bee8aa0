#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <string>
#include <vector>

#include "webhook/signature.hpp"
#include "webhook_vectors.hpp"

namespace {

constexpr std::string_view kSecret = wc::webhook::testing::kVectorSecret;
using wc::webhook::testing::load_vectors;
using wc::webhook::testing::RawDelivery;

} // namespace

using wc::webhook::compute_signature;
using wc::webhook::decode_wp_secret;
using wc::webhook::verify_signature;

TEST(WebhookSignature, EverySignedRealDeliveryVerifies) {
  auto vectors = load_vectors();
  ASSERT_EQ(vectors.size(), 12u);
  int signed_count = 0;
  for (const auto &d : vectors) {
    if (d.signature().empty()) {
      continue;
    }
    ++signed_count;
    EXPECT_TRUE(verify_signature(d.body, d.signature(), kSecret)) << d.body.substr(0, 60);
    EXPECT_EQ(compute_signature(d.body, kSecret), d.signature());
  }
  EXPECT_EQ(signed_count, 6);
}

TEST(WebhookSignature, WrongSecretFails) {
  for (const auto &d : load_vectors()) {
    if (!d.signature().empty()) {
      EXPECT_FALSE(verify_signature(d.body, d.signature(), "realwc-webhook-secreT"));
    }
  }
}

TEST(WebhookSignature, ReplayedSignatureWithOtherBodyFails) {
  auto vectors = load_vectors();
  std::vector<RawDelivery> signed_ones;
  for (const auto &d : vectors) {
    if (!d.signature().empty()) {
      signed_ones.push_back(d);
    }
  }
  ASSERT_GE(signed_ones.size(), 2u);
  // The signature of one body must not validate a different body.
  const auto &a = signed_ones.front();
  const auto &b = signed_ones.back();
  ASSERT_NE(a.body, b.body);
  EXPECT_FALSE(verify_signature(b.body, a.signature(), kSecret));
  // One changed byte, a trailing newline or a re-serialized body fail too.
  std::string tampered = a.body;
  tampered[tampered.size() / 2] ^= 1;
  EXPECT_FALSE(verify_signature(tampered, a.signature(), kSecret));
  EXPECT_FALSE(verify_signature(a.body + "\n", a.signature(), kSecret));
}

TEST(WebhookSignature, UnsignedOrMalformedHeaderFails) {
  auto d = load_vectors().back();
  ASSERT_FALSE(d.signature().empty());
  EXPECT_FALSE(verify_signature(d.body, "", kSecret));
  EXPECT_FALSE(verify_signature(d.body, "not base64 at all", kSecret));
  EXPECT_FALSE(verify_signature(d.body, d.signature().substr(0, 40), kSecret));
  EXPECT_FALSE(verify_signature(d.body, d.signature() + "AAAA", kSecret));
  std::string hex_like(64, 'a');
  EXPECT_FALSE(verify_signature(d.body, hex_like, kSecret));
  EXPECT_FALSE(verify_signature(d.body, d.signature(), ""));
  // The ping body is never signed: any header is rejected unless it is the real MAC.
  EXPECT_FALSE(verify_signature("webhook_id=1", d.signature(), kSecret));
}

TEST(WebhookSignature, SurroundingSpacesInHeaderAreTolerated) {
  auto d = load_vectors().back();
  EXPECT_TRUE(verify_signature(d.body, " " + d.signature() + " ", kSecret));
}

TEST(WebhookSignature, SecretIsHtmlEntityDecodedLikeWordPress) {
  EXPECT_EQ(decode_wp_secret("a&amp;b&lt;c&gt;d&quot;e&#039;f"), "a&b<c>d\"e'f");
  EXPECT_EQ(decode_wp_secret("plain&secret;"), "plain&secret;");
  EXPECT_EQ(decode_wp_secret("&amp;amp;"), "&amp;");
  // A secret stored with entities signs like the decoded secret.
  std::string body = R"({"id":1})";
  std::string sig = compute_signature(body, "p&q");
  EXPECT_TRUE(verify_signature(body, sig, "p&amp;q"));
  EXPECT_TRUE(verify_signature(body, sig, "p&q"));
  EXPECT_FALSE(verify_signature(body, sig, "p&amp;amp;q"));
}

TEST(WebhookSignature, KnownHmacVector) {
  // RFC 4231 test case 2 (hex 5bdcc146...64ec3843), base64-encoded.
  EXPECT_EQ(compute_signature("what do ya want for nothing?", "Jefe"),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
}

// OpenSSL's answer is checked: when HMAC() fails, the MAC is reported as unusable (and zeroed)
// instead of being compared as 32 zero bytes, which an attacker could send as a signature.
TEST(WebhookSignature, OpenSslFailureIsReportedNotIgnored) {
  std::array<unsigned char, 32> mac{};
  mac.fill(0xAB);
  EXPECT_FALSE(wc::webhook::detail::hmac("no-such-digest", "body", "key", mac));
  for (unsigned char b : mac) {
    EXPECT_EQ(b, 0);
  }
  EXPECT_FALSE(wc::webhook::detail::hmac("SHA1", "body", "key", mac)); // 20-byte digest
  // RFC 4231 test case 2.
  ASSERT_TRUE(wc::webhook::detail::hmac("SHA256", "what do ya want for nothing?", "Jefe", mac));
  EXPECT_EQ(mac[0], 0x5b);
  EXPECT_EQ(mac[31], 0x43);
}
