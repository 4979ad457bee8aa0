#pragma once
// A sliding-window request limit per server (what an nginx limit_req or a WAF does in front of
// WooCommerce): over the limit -> 429 with Retry-After. Also counts "violations": requests that
// arrive while the client should still be waiting after a 429.
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace wc::demo {

class RateLimit {
public:
  using Clock = std::chrono::steady_clock;
  // requests == 0 turns the limit off.
  void configure(int requests, int window_seconds);
  // Admits the request or returns the Retry-After seconds of a 429.
  std::optional<int> admit(Clock::time_point now = Clock::now());
  std::int64_t violations() const;
  void reset_stats();

  // Requests reaching the server this soon after a 429 were sent before the client saw it.
  static constexpr std::chrono::milliseconds kInFlightGrace{250};

private:
  mutable std::mutex mu_;
  int requests_ = 0;
  std::chrono::seconds window_{0};
  std::deque<Clock::time_point> admitted_;
  std::optional<Clock::time_point> last_429_;
  Clock::time_point wait_until_{};
  std::int64_t violations_ = 0;
};

} // namespace wc::demo
