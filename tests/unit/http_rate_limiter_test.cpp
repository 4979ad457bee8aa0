#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "http/rate_limiter.hpp"
#include "http_test_support.hpp"

using namespace wc::http;
using namespace std::chrono_literals;
using wc::http::testing::FakeClock;
using wc::http::testing::max_in_any_window;
using TimePoint = std::chrono::steady_clock::time_point;

namespace {} // namespace

TEST(RateLimiter, SlidingWindowNeverExceedsBudget) {
  FakeClock clock;
  RateLimiter limiter(5, 10s, clock);
  std::vector<TimePoint> sends;
  for (int i = 0; i < 40; ++i) {
    sends.push_back(limiter.acquire());
    clock.advance(std::chrono::milliseconds(700 * (i % 3))); // uneven pacing by the caller
  }
  EXPECT_LE(max_in_any_window(sends, 10s), 5);
  EXPECT_EQ(max_in_any_window(sends, 10s), 5); // and the budget is actually used
  // The first 5 went out at once, the 6th waited until the first left the window.
  EXPECT_GE(sends[5] - sends[0], 10s);
}

TEST(RateLimiter, ConcurrentWorkersShareTheBudget) {
  FakeClock clock;
  RateLimiter limiter(4, 2s, clock);
  std::mutex mu;
  std::vector<TimePoint> sends;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto t = limiter.acquire();
        std::lock_guard lock(mu);
        sends.push_back(t);
      }
    });
  }
  for (auto &t : workers) {
    t.join();
  }
  ASSERT_EQ(sends.size(), 40u);
  EXPECT_LE(max_in_any_window(sends, 2s), 4);
}

TEST(RateLimiter, UnlimitedNeverWaits) {
  FakeClock clock;
  RateLimiter limiter(0, 10s, clock);
  const auto start = clock.now();
  for (int i = 0; i < 1000; ++i) {
    limiter.acquire();
  }
  EXPECT_EQ(clock.now(), start);
  EXPECT_EQ(clock.sleeps(), 0);
}

TEST(RateLimiter, PauseBlocksEveryoneAndReportsWaits) {
  FakeClock clock;
  RateLimiter limiter(0, 10s, clock);
  const auto start = clock.now();
  limiter.pause_until(start + 35s);
  limiter.pause_until(start + 5s); // never shortens
  std::vector<TimePoint> reports;
  bool all_paused = true;
  std::thread other([&] {
    auto t = limiter.acquire([&](TimePoint resume, bool paused) {
      reports.push_back(resume);
      all_paused = all_paused && paused;
    });
    EXPECT_GE(t, start + 35s);
  });
  other.join();
  EXPECT_GE(clock.now(), start + 35s);
  // Reported at least every 10 s: 35 s of pause -> 4 reports (0, 10, 20, 30 s).
  EXPECT_GE(reports.size(), 4u);
  EXPECT_TRUE(all_paused);
  for (auto r : reports) {
    EXPECT_EQ(r, start + 35s);
  }
}

TEST(RateLimiter, AdaptsDownAfter429AndRecoversSlowly) {
  FakeClock clock;
  RateLimiter limiter(8, 10s, clock);
  EXPECT_EQ(limiter.effective_limit(), 8);
  limiter.on_rate_limited();
  EXPECT_EQ(limiter.effective_limit(), 4);
  limiter.on_rate_limited();
  limiter.on_rate_limited();
  limiter.on_rate_limited();
  EXPECT_EQ(limiter.effective_limit(), 1); // not below 1
  // Halved budget is enforced: 1 send per 10 s now.
  auto a = limiter.acquire();
  auto b = limiter.acquire();
  EXPECT_GE(b - a, 10s);
  // Clean responses inside the same window as a 429 do not restore anything...
  limiter.on_rate_limited();
  clock.advance(9s);
  limiter.on_success();
  EXPECT_EQ(limiter.effective_limit(), 1);
  // ... one per clean window does.
  for (int i = 0; i < 20; ++i) {
    clock.advance(10s);
    limiter.on_success();
  }
  EXPECT_EQ(limiter.effective_limit(), 8); // capped at the configured budget
}

TEST(RateLimiter, RejectsNonsense) {
  FakeClock clock;
  EXPECT_THROW(RateLimiter(-1, 10s, clock), wc::Error);
  EXPECT_THROW(RateLimiter(5, 0s, clock), wc::Error);
}
