// The adaptive request budget (request_budget: adaptive): no cap until the host pushes back,
// then a learned sliding-window cap with no further 429s; every pushback signal counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <ostream>

#include "http/http_client.hpp"
#include "http/pushback.hpp"
#include "http/rate_limiter.hpp"
#include "http_test_support.hpp"

using namespace wc::http;
using namespace std::chrono_literals;
using wc::http::testing::FakeClock;
using wc::http::testing::make_response;
using wc::http::testing::max_in_any_window;
using wc::http::testing::ScriptedTransport;
using wc::http::testing::transport_failure;
using TimePoint = std::chrono::steady_clock::time_point;

namespace {

// A host limiting N requests per sliding window of W (the demo store's and nginx's model):
// answers 429 with Retry-After (whole seconds, rounded up) when the window is full.
class SlidingWindowHost {
public:
  SlidingWindowHost(int n, std::chrono::seconds w) : n_(n), w_(w) {}
  Response answer(TimePoint now) {
    while (!admitted_.empty() && admitted_.front() + w_ <= now) {
      admitted_.pop_front();
    }
    if (static_cast<int>(admitted_.size()) < n_) {
      admitted_.push_back(now);
      return make_response(200);
    }
    ++refused;
    const auto wait = admitted_.front() + w_ - now;
    const auto secs = std::chrono::ceil<std::chrono::seconds>(wait).count();
    return make_response(429, {{"Retry-After", std::to_string(std::max<long long>(1, secs))}});
  }
  int refused = 0;

private:
  int n_;
  std::chrono::seconds w_;
  std::deque<TimePoint> admitted_;
};

Pushback rate_limit(std::chrono::milliseconds delay) {
  Pushback p;
  p.kind = PushbackKind::kRateLimit;
  p.delay = delay;
  p.cause = "HTTP 429";
  return p;
}

ClientOptions adaptive() {
  ClientOptions o;
  o.budget = BudgetMode::kAdaptive;
  o.initial_backoff = 10ms;
  o.max_backoff = 10ms;
  return o;
}

std::unique_ptr<HttpClient> client_for(ScriptedTransport::Script script, FakeClock &clock,
                                       ClientOptions o = adaptive()) {
  return std::make_unique<HttpClient>(std::make_unique<ScriptedTransport>(std::move(script), clock),
                                      nullptr, Origin{"https", "shop.example", 443}, o, clock);
}

Request page() {
  Request r;
  r.path = "/wp-json/wc/v3/orders";
  r.label = "orders";
  // As the WooCommerce client asks: an HTML page instead of JSON is retried.
  r.retry_body = [](const Response &resp) { return !resp.body.empty() && resp.body[0] == '<'; };
  return r;
}

} // namespace

TEST(AdaptiveBudget, NoCapBeforeAnyPushback) {
  FakeClock clock;
  RateLimiter limiter(BudgetMode::kAdaptive, 25, 10s, clock);
  const TimePoint start = clock.now();
  for (int i = 0; i < 1000; ++i) {
    limiter.acquire();
  }
  EXPECT_EQ(clock.now(), start); // 1,000 sends, no wait: the old default would have taken 400 s
  EXPECT_FALSE(limiter.learned());
}

// Against a host limited at 25 / 10 s, through the real client (retries, Retry-After pause):
// one 429, then never another; the learned rate is under the host's; and the whole read of
// 200 pages ends within 1.1 x the floor (200 / 2.5 per s), on the fake clock.
TEST(AdaptiveBudget, LearnsFromA429ThenNeverExceedsTheLearnedRate) {
  FakeClock clock;
  SlidingWindowHost host(25, 10s);
  auto client = client_for(
      [&](const Request &, int) {
        clock.advance(50ms); // the page's latency
        return host.answer(clock.now());
      },
      clock);
  const TimePoint start = clock.now();
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(client->send(page()).status, 200);
  }
  EXPECT_EQ(host.refused, 1);
  auto learned = client->learned_rate();
  ASSERT_TRUE(learned);
  const double rate = learned->requests * 1000.0 / static_cast<double>(learned->window.count());
  EXPECT_LE(rate, 2.5);
  EXPECT_GE(rate, 2.0); // not needlessly slow
  const double floor_s = 200 / 2.5;
  const double took = std::chrono::duration<double>(clock.now() - start).count();
  EXPECT_LE(took, 1.1 * floor_s) << "simulated seconds";
}

TEST(AdaptiveBudget, EnforcesTheLearnedRateAsASlidingWindow) {
  FakeClock clock;
  RateLimiter limiter(BudgetMode::kAdaptive, 25, 10s, clock);
  TimePoint refused_at{};
  for (int i = 0; i < 30; ++i) {
    refused_at = limiter.acquire();
    clock.advance(20ms);
  }
  auto learned = limiter.on_pushback(rate_limit(9000ms), refused_at);
  ASSERT_TRUE(learned);
  EXPECT_EQ(learned->requests, 26); // 29 admitted before the refused one, x 0.9
  std::vector<TimePoint> sends;
  for (int i = 0; i < 200; ++i) {
    sends.push_back(limiter.acquire());
  }
  EXPECT_LE(max_in_any_window(sends, learned->window), learned->requests);
}

TEST(AdaptiveBudget, PushbackUnderALearnedRateHalvesIt) {
  FakeClock clock;
  RateLimiter limiter(BudgetMode::kAdaptive, 25, 10s, clock);
  limiter.start_from({20, 10s}); // 2 per s, from an earlier sync
  TimePoint sent{};
  for (int i = 0; i < 10; ++i) {
    sent = limiter.acquire();
    clock.advance(100ms);
  }
  // Refused with Retry-After 1 s: on its own evidence (9 admitted in 1 s, free in 1 s) about
  // 4 per s; but pushback under a learned rate means the rate was too high: at most half of it.
  auto lowered = limiter.on_pushback(rate_limit(1000ms), sent);
  ASSERT_TRUE(lowered);
  EXPECT_LE(lowered->requests * 1000.0 / static_cast<double>(lowered->window.count()), 1.0);
  // A request in flight before that lesson brings nothing new.
  clock.advance(1s);
  EXPECT_FALSE(limiter.on_pushback(rate_limit(1000ms), sent));
}

TEST(AdaptiveBudget, StartsUnderARateFromAnEarlierSync) {
  FakeClock clock;
  RateLimiter limiter(BudgetMode::kAdaptive, 25, 10s, clock);
  limiter.start_from({5, 10s});
  std::vector<TimePoint> sends;
  for (int i = 0; i < 40; ++i) {
    sends.push_back(limiter.acquire());
  }
  EXPECT_LE(max_in_any_window(sends, 10s), 5);
}

TEST(AdaptiveBudget, FixedAndOffIgnorePushbackLessons) {
  FakeClock clock;
  RateLimiter fixed(BudgetMode::kFixed, 25, 10s, clock);
  RateLimiter off(BudgetMode::kOff, 25, 10s, clock);
  for (int i = 0; i < 10; ++i) {
    fixed.acquire();
    off.acquire();
  }
  EXPECT_FALSE(fixed.on_pushback(rate_limit(1000ms), clock.now()));
  EXPECT_FALSE(off.on_pushback(rate_limit(1000ms), clock.now()));
  EXPECT_FALSE(off.learned());
}

// Each signal, through the real client: N clean pages, then the signal (twice for the overload
// ones, which a single glitch must not trigger), then clean pages.
struct Signal {
  const char *name;
  std::function<Response()> make;
  bool needs_two;
};

void PrintTo(const Signal &s, std::ostream *os) { *os << s.name; }

class EachSignal : public ::testing::TestWithParam<Signal> {};

TEST_P(EachSignal, TeachesTheAdaptiveBudgetARate) {
  const Signal &sig = GetParam();
  FakeClock clock;
  int bad_sent = 0;
  const int bad_wanted = sig.needs_two ? 2 : 1;
  auto client = client_for(
      [&](const Request &, int call) {
        clock.advance(100ms);
        if (call >= 20 && bad_sent < bad_wanted) {
          ++bad_sent;
          return sig.make();
        }
        return make_response(200);
      },
      clock);
  for (int i = 0; i < 30; ++i) {
    client->send(page());
  }
  ASSERT_EQ(bad_sent, bad_wanted);
  auto learned = client->learned_rate();
  ASSERT_TRUE(learned) << sig.name;
  // We sent 10 per s before the signal: the learned rate is below that.
  EXPECT_LT(learned->requests * 1000.0 / static_cast<double>(learned->window.count()), 10.0)
      << sig.name;
}

INSTANTIATE_TEST_SUITE_P(
    Signals, EachSignal,
    ::testing::Values(
        Signal{"retry_after_429",
               [] {
                 return make_response(429, {{"Retry-After", "2"}});
               },
               false},
        Signal{"bare_429", [] { return make_response(429); }, false},
        Signal{"ratelimit_remaining_0",
               [] {
                 return make_response(200, {{"RateLimit-Limit", "20"},
                                            {"RateLimit-Remaining", "0"},
                                            {"RateLimit-Reset", "3"}});
               },
               false},
        Signal{"html_403",
               [] {
                 return make_response(403, {{"Content-Type", "text/html; charset=UTF-8"}},
                                      "<!DOCTYPE html><title>Just a moment...</title>");
               },
               false},
        Signal{"503_retry_after",
               [] {
                 return make_response(503, {{"Retry-After", "1"}});
               },
               false},
        Signal{"status_503", [] { return make_response(503); }, true},
        Signal{"status_508", [] { return make_response(508); }, true},
        Signal{"html_200_challenge",
               [] { return make_response(200, {}, "<html><title>Just a moment...</title>"); },
               true},
        Signal{"connection_reset",
               [] { return transport_failure(TransportError::kRead, "connection reset"); }, true}),
    [](const ::testing::TestParamInfo<Signal> &i) { return std::string(i.param.name); });

TEST(AdaptiveBudget, ASingleOverloadGlitchTeachesNothing) {
  FakeClock clock;
  auto client = client_for(
      [&](const Request &, int call) {
        clock.advance(100ms);
        return call == 10 ? make_response(503) : make_response(200);
      },
      clock);
  for (int i = 0; i < 30; ++i) {
    client->send(page());
  }
  EXPECT_FALSE(client->learned_rate());
}

TEST(AdaptiveBudget, RateLimitRemainingZeroPausesUntilTheReset) {
  FakeClock clock;
  std::vector<TimePoint> times;
  auto client = client_for(
      [&](const Request &, int call) {
        times.push_back(clock.now());
        if (call == 5) {
          // A large quota: the learned cap does not bind, only the pause does.
          return make_response(200, {{"RateLimit-Limit", "1000"},
                                     {"RateLimit-Remaining", "0"},
                                     {"RateLimit-Reset", "7"}});
        }
        return make_response(200);
      },
      clock);
  for (int i = 0; i < 7; ++i) {
    client->send(page());
  }
  ASSERT_EQ(times.size(), 7u);
  EXPECT_GE(times[6] - times[5], 7s); // nothing went out before the host's reset
}

TEST(Pushback, JsonForbiddenIsNotASignal) {
  // WooCommerce's own 403 (a key without the permission) is a JSON error, not pushback.
  auto r = make_response(403, {{"Content-Type", "application/json"}},
                         R"({"code":"woocommerce_rest_cannot_view"})");
  EXPECT_FALSE(detect_pushback(r, 0));
  EXPECT_FALSE(detect_pushback(make_response(200), 0));
  EXPECT_FALSE(detect_pushback(make_response(500), 0));
  EXPECT_FALSE(detect_pushback(transport_failure(TransportError::kTimeout), 0));
}

TEST(Pushback, ReadsTheStatedPolicy) {
  auto r = make_response(429, {{"RateLimit-Policy", "30;w=60"}, {"Retry-After", "5"}});
  const Pushback p = detect_pushback(r, 0);
  EXPECT_EQ(p.kind, PushbackKind::kRateLimit);
  EXPECT_EQ(p.limit, 30);
  EXPECT_EQ(p.window_seconds, 60);
  ASSERT_TRUE(p.delay);
  EXPECT_EQ(*p.delay, 5000ms);
  FakeClock clock;
  RateLimiter limiter(BudgetMode::kAdaptive, 25, 10s, clock);
  const TimePoint sent = limiter.acquire();
  auto learned = limiter.on_pushback(p, sent);
  ASSERT_TRUE(learned);
  EXPECT_EQ(learned->requests, 30);
  EXPECT_EQ(learned->window, 60s + RateLimiter::kArrivalMargin);
}
