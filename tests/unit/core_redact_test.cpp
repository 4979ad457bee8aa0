// The secret filter: contains_secret() samples the text sparsely, so it is checked against a
// plain search at every position and length, and redact() must mask every form.
#include <atomic>
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/redact.hpp"

namespace {

class RedactTest : public ::testing::Test {
protected:
  void SetUp() override { wc::clear_secrets(); }
  void TearDown() override { wc::clear_secrets(); }
};

bool naive_contains(const std::string &text, const std::vector<std::string> &forms) {
  for (const auto &f : forms) {
    if (text.find(f) != std::string::npos) {
      return true;
    }
  }
  return false;
}

} // namespace

TEST_F(RedactTest, FindsTheSecretAtEveryOffset) {
  const std::string key = "ck_fake_key_only_for_the_redaction_test_xyz";
  wc::register_secret(key);
  const std::string filler = R"({"href":"https:\/\/x.test\/wp-json","meta_key":"_ck_"})";
  for (std::size_t at = 0; at <= 130; ++at) {
    std::string text = filler + filler + filler;
    text = text.substr(0, at) + key + text.substr(at);
    EXPECT_TRUE(wc::contains_secret(text)) << at;
    EXPECT_EQ(wc::redact(text).find(key), std::string::npos);
  }
  EXPECT_TRUE(wc::contains_secret(key));
  EXPECT_FALSE(wc::contains_secret(key.substr(1)));
  EXPECT_FALSE(wc::contains_secret(key.substr(0, key.size() - 1)));
  EXPECT_FALSE(wc::contains_secret(filler));
  EXPECT_FALSE(wc::contains_secret(""));
}

TEST_F(RedactTest, AgreesWithAPlainSearch) {
  // Short secrets over a small alphabet: partial matches everywhere.
  const std::vector<std::string> secrets = {"abca", "cabbage", "bacab_cab"};
  for (const auto &s : secrets) {
    wc::register_secret(s);
  }
  std::mt19937 rng(7);
  const std::string alphabet = "abc_";
  int found = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    for (unsigned n = rng() % 40; n > 0; --n) {
      text += alphabet[rng() % alphabet.size()];
    }
    const bool expected = naive_contains(text, secrets);
    found += expected ? 1 : 0;
    ASSERT_EQ(wc::contains_secret(text), expected) << text;
  }
  EXPECT_GT(found, 100); // the cases exercise both answers
}

TEST_F(RedactTest, EncodedFormsAreFound) {
  wc::register_secret("cs_secret/with+plus");
  EXPECT_TRUE(wc::contains_secret("x=cs_secret%2Fwith%2Bplus&y"));
  EXPECT_TRUE(wc::contains_secret(R"({"v":"cs_secret\/with+plus"})"));
  EXPECT_FALSE(wc::contains_secret("cs_secret/with-plus"));
  // As a query value in a URL ("/" is not encoded there, see http::encode_target).
  EXPECT_TRUE(wc::contains_secret("?consumer_secret=cs_secret/with%2Bplus&y"));
  EXPECT_EQ(wc::redact("?consumer_secret=cs_secret/with%2Bplus&y"),
            "?consumer_secret=**********&y");
}

TEST_F(RedactTest, ASecretRegisteredAfterACheckIsFoundByTheNextCheck) {
  // The filter keeps the set of secrets it last saw: it must notice every change to the set.
  const std::string text = R"({"a":"ck_registered_after_a_check_42","b":"cs_second_one_4242"})";
  EXPECT_FALSE(wc::contains_secret(text));
  EXPECT_EQ(wc::redact(text), text);
  wc::register_secret("ck_registered_after_a_check_42");
  EXPECT_TRUE(wc::contains_secret(text));
  EXPECT_EQ(wc::redact(text), R"({"a":"**********","b":"cs_second_one_4242"})");
  wc::register_secret("cs_second_one_4242");
  EXPECT_EQ(wc::redact(text), R"({"a":"**********","b":"**********"})");
  wc::clear_secrets();
  EXPECT_FALSE(wc::contains_secret(text));
  EXPECT_EQ(wc::redact(text), text);
}

TEST_F(RedactTest, ChecksOnAnotherThreadSeeEachSecretOnceItsRegistrationReturned) {
  constexpr int kSecrets = 200;
  const auto secret = [](int i) { return "ck_registered_while_checking_" + std::to_string(i); };
  std::atomic<int> registered{0};
  std::thread registrar([&] {
    for (int i = 0; i < kSecrets; ++i) {
      wc::register_secret(secret(i));
      registered.store(i + 1, std::memory_order_release);
    }
  });
  int checks = 0;
  int missed = 0; // the first secret a check missed (1-based), 0 if none
  for (int n = 0; n < kSecrets && missed == 0 && checks < 10'000'000; ++checks) {
    n = registered.load(std::memory_order_acquire);
    if (n > 0) {
      const std::string text = R"({"key":")" + secret(n - 1) + R"("})";
      if (!wc::contains_secret(text) || wc::redact(text) != R"({"key":"**********"})") {
        missed = n;
      }
    }
  }
  registrar.join();
  EXPECT_EQ(missed, 0);
  EXPECT_EQ(registered.load(), kSecrets);
}
