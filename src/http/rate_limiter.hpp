#pragma once
// The process-wide request budget shared by every worker:
//  - at most N sends in ANY window of W seconds (sliding window over send timestamps, so the
//    budget never bursts past a host limit at a window edge); N = 0 means unlimited;
//  - a global pause (after a 429 / Retry-After): nothing goes out before the pause ends;
//  - adaptive: each rate-limited response halves the effective N (not below 1); every full
//    window of clean responses gives one back, up to the configured N.
// Thread-safe. All waiting goes through the injected Clock.
#include <chrono>
#include <deque>
#include <functional>
#include <mutex>

#include "http/http_client.hpp"

namespace wc::http {

class RateLimiter {
public:
  // Added to the window when deciding a send may go: arrivals at the host can be closer together
  // than our sends (connection setup delays the first requests of a burst).
  static constexpr std::chrono::milliseconds kArrivalMargin{250};

  using TimePoint = std::chrono::steady_clock::time_point;
  // Told before each sleep chunk of a wait longer than `report_threshold`: when sends resume
  // (as far as known now) and whether the wait is a rate-limit pause (vs the budget).
  using WaitCallback = std::function<void(TimePoint resume_at, bool paused)>;

  RateLimiter(int requests_per_window, std::chrono::seconds window, Clock &clock);

  // Blocks until a send is allowed and records it (at the returned time).
  TimePoint acquire(const WaitCallback &on_wait = {});
  // No send of any worker goes out before t (extends, never shortens, an existing pause).
  void pause_until(TimePoint t);
  TimePoint paused_until() const;
  // Adaptation hooks, fed by the client after each response.
  void on_rate_limited();
  void on_success();

  int configured_limit() const { return limit_; }
  int effective_limit() const;
  std::chrono::seconds window() const { return window_; }

  // Waits are reported and slept in chunks of at most this (so heartbeats keep flowing).
  static constexpr std::chrono::seconds kReportEvery{10};
  static constexpr std::chrono::seconds kReportThreshold{2};

private:
  TimePoint earliest_send_locked(bool &paused) const;

  const int limit_;
  const std::chrono::seconds window_;
  Clock &clock_;
  mutable std::mutex mu_;
  std::deque<TimePoint> sends_; // last `limit_` send times, oldest first
  TimePoint pause_until_{};
  int effective_;
  TimePoint last_adjust_{};
};

} // namespace wc::http
