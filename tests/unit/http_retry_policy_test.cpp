#include <gtest/gtest.h>

#include <random>

#include "core/time_util.hpp"
#include "http/retry_policy.hpp"
#include "http_test_support.hpp"

using namespace wc::http;
using namespace std::chrono_literals;
using wc::http::testing::make_response;
using wc::http::testing::transport_failure;

namespace {

constexpr std::int64_t kNow = 1'800'000'000; // fixed wall clock (2027-01-15)

ClientOptions options() {
  ClientOptions o;
  o.max_retries = 5;
  o.max_retry_time = 600s;
  o.initial_backoff = 1000ms;
  o.max_backoff = 60000ms;
  o.max_retry_after = 900s;
  return o;
}

RetryPolicy policy(double r = 0.5, ClientOptions o = options()) {
  return RetryPolicy(
      o, [r] { return r; }, [] { return kNow; });
}

} // namespace

TEST(RetryPolicy, RetryAfterDeltaSeconds) {
  auto d = policy().decide(0, 0ms, make_response(429, {{"Retry-After", "7"}}));
  EXPECT_EQ(d.action, Action::kRateLimited);
  EXPECT_TRUE(d.server_requested);
  EXPECT_EQ(d.delay, 7000ms);
  EXPECT_FALSE(d.exhausted());
}

TEST(RetryPolicy, RetryAfterHttpDate) {
  // 90 s after kNow, written as an IMF-fixdate.
  const std::string date = "Fri, 15 Jan 2027 08:01:30 GMT";
  ASSERT_EQ(wc::parse_http_date(date).value(), kNow + 90);
  auto d = policy().decide(0, 0ms, make_response(503, {{"Retry-After", date}}));
  EXPECT_EQ(d.action, Action::kRateLimited);
  EXPECT_EQ(d.delay, 90000ms);
  // A date in the past means "now".
  auto past = policy().decide(
      0, 0ms, make_response(429, {{"Retry-After", "Thu, 01 Jan 2015 00:00:00 GMT"}}));
  EXPECT_EQ(past.delay, 0ms);
}

TEST(RetryPolicy, RateLimitHeaders) {
  auto a = policy().decide(0, 0ms, make_response(429, {{"RateLimit-Retry-After", "12"}}));
  EXPECT_EQ(a.delay, 12000ms);
  // RateLimit-Reset as a Unix time (WooCommerce Store API) ...
  auto b =
      policy().decide(0, 0ms, make_response(429, {{"RateLimit-Reset", std::to_string(kNow + 25)}}));
  EXPECT_EQ(b.delay, 25000ms);
  // ... and as delta seconds (IETF draft).
  auto c = policy().decide(0, 0ms, make_response(429, {{"RateLimit-Reset", "40"}}));
  EXPECT_EQ(c.delay, 40000ms);
  // Garbage is ignored: exponential backoff instead.
  auto e = policy(0.5).decide(2, 0ms, make_response(429, {{"Retry-After", "soon"}}));
  EXPECT_FALSE(e.server_requested);
  EXPECT_EQ(e.delay, 2000ms); // 0.5 * 1000 * 2^2
}

TEST(RetryPolicy, BackoffIsFullJitterWithinBounds) {
  auto zero = policy(0.0);
  auto one = policy(0.999999);
  EXPECT_EQ(zero.backoff(3), 0ms);
  EXPECT_NEAR(one.backoff(0).count(), 1000, 1);
  EXPECT_NEAR(one.backoff(3).count(), 8000, 1);
  EXPECT_NEAR(one.backoff(20).count(), 60000, 1); // capped at max_backoff
  // Real randomness: always inside [0, ceiling], and actually spread out.
  RetryPolicy real(options(), {}, [] { return kNow; });
  std::int64_t lo = 1'000'000, hi = -1;
  for (int i = 0; i < 500; ++i) {
    const auto ms = real.backoff(4).count();
    ASSERT_GE(ms, 0);
    ASSERT_LE(ms, 16000);
    lo = std::min(lo, ms);
    hi = std::max(hi, ms);
  }
  EXPECT_LT(lo, 4000);
  EXPECT_GT(hi, 12000);
}

TEST(RetryPolicy, RateLimitedWithoutHintWaitsAtLeastInitialBackoff) {
  auto d = policy(0.0).decide(0, 0ms, make_response(429));
  EXPECT_EQ(d.action, Action::kRateLimited);
  EXPECT_EQ(d.delay, 1000ms);
}

TEST(RetryPolicy, StopsAfterMaxRetries) {
  auto p = policy();
  EXPECT_FALSE(p.decide(4, 0ms, make_response(503)).exhausted());
  auto d = p.decide(5, 0ms, make_response(503));
  EXPECT_TRUE(d.exhausted());
  EXPECT_EQ(d.failure_type, wc::FailureType::kTransient);
  EXPECT_NE(d.give_up_reason.find("max_retries"), std::string::npos);
}

TEST(RetryPolicy, StopsWhenTimeBudgetWouldBeExceeded) {
  auto p = policy();
  auto ok = p.decide(0, 590s, make_response(429, {{"Retry-After", "9"}}));
  EXPECT_FALSE(ok.exhausted());
  auto d = p.decide(0, 595s, make_response(429, {{"Retry-After", "9"}}));
  EXPECT_TRUE(d.exhausted());
  EXPECT_NE(d.give_up_reason.find("max_retry_time"), std::string::npos);
}

TEST(RetryPolicy, RetryAfterLongerThanMaximumFails) {
  auto d = policy().decide(0, 0ms, make_response(429, {{"Retry-After", "3600"}}));
  EXPECT_TRUE(d.exhausted());
  EXPECT_EQ(d.failure_type, wc::FailureType::kTransient);
  EXPECT_NE(d.give_up_reason.find("3600 s"), std::string::npos);
  EXPECT_NE(d.give_up_reason.find("max_retry_after"), std::string::npos);
}

TEST(RetryPolicy, NonRetryableOutcomesPassThrough) {
  auto p = policy();
  EXPECT_EQ(p.decide(0, 0ms, make_response(200)).action, Action::kSucceed);
  auto d = p.decide(0, 0ms, make_response(401));
  EXPECT_EQ(d.action, Action::kFail);
  EXPECT_EQ(d.failure_type, wc::FailureType::kConfig);
  EXPECT_FALSE(d.exhausted());
  EXPECT_EQ(p.decide(0, 0ms, transport_failure(TransportError::kTlsVerify)).action, Action::kFail);
  EXPECT_EQ(p.decide(0, 0ms, transport_failure(TransportError::kRead)).action, Action::kRetry);
}

TEST(RetryPolicy, ValidatesOptions) {
  auto bad = [](auto mutate) {
    ClientOptions o = options();
    mutate(o);
    try {
      validate(o);
    } catch (const wc::Error &e) {
      return e.type() == wc::FailureType::kConfig;
    }
    return false;
  };
  EXPECT_TRUE(bad([](ClientOptions &o) { o.max_retries = -1; }));
  EXPECT_TRUE(bad([](ClientOptions &o) { o.initial_backoff = 0ms; }));
  EXPECT_TRUE(bad([](ClientOptions &o) { o.max_backoff = 10ms; }));
  EXPECT_TRUE(bad([](ClientOptions &o) { o.max_retry_time = -1s; }));
  EXPECT_TRUE(bad([](ClientOptions &o) { o.requests_per_window = -3; }));
  EXPECT_TRUE(bad([](ClientOptions &o) { o.window_seconds = 0; }));
  EXPECT_FALSE(bad([](ClientOptions &) {}));
  EXPECT_THROW(RetryPolicy(ClientOptions{.max_retries = -2}), wc::Error);
}
