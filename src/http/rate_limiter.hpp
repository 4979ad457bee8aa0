#pragma once
// The process-wide request budget shared by every worker (config `request_budget`):
//  - fixed: at most N sends in ANY window of W seconds (sliding window over send timestamps, so
//    the budget never bursts past a host limit at a window edge); N = 0 means unlimited; each
//    rate-limited response halves the effective N (not below 1); every full window of clean
//    responses gives one back, up to the configured N;
//  - adaptive: no cap until the host pushes back (see pushback.hpp); then a learned cap, enforced
//    as a sliding window like the fixed one (details in docs/performance.md);
//  - off: no cap;
//  - in every mode, a global pause (after a 429 / Retry-After): nothing goes out before it ends.
// Thread-safe. All waiting goes through the injected Clock.
#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>

#include "http/http_client.hpp"
#include "http/pushback.hpp"

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

  // Fixed budget (requests_per_window 0 = unlimited, i.e. off).
  RateLimiter(int requests_per_window, std::chrono::seconds window, Clock &clock);
  RateLimiter(BudgetMode mode, int requests_per_window, std::chrono::seconds window, Clock &clock);

  // Blocks until a send is allowed and records it (at the returned time).
  TimePoint acquire(const WaitCallback &on_wait = {});
  // No send of any worker goes out before t (extends, never shortens, an existing pause).
  void pause_until(TimePoint t);
  TimePoint paused_until() const;
  // Adaptation hooks of the fixed budget, fed by the client after each response.
  void on_rate_limited();
  void on_success();
  // Adaptive budget: a pushback on a request sent at `sent_at`. Returns the new rate when it
  // learned one (or lowered the one it had); nullopt when the signal changed nothing (other
  // modes, a request sent before the last lesson, a first overload strike).
  std::optional<LearnedRate> on_pushback(const Pushback &pushback, TimePoint sent_at);
  // Adaptive budget: start under a rate learned earlier (from the state).
  void start_from(const LearnedRate &rate);
  std::optional<LearnedRate> learned() const;

  BudgetMode mode() const { return mode_; }
  int configured_limit() const { return limit_; }
  int effective_limit() const;
  std::chrono::seconds window() const { return window_; }

  // Waits are reported and slept in chunks of at most this (so heartbeats keep flowing).
  static constexpr std::chrono::seconds kReportEvery{10};
  static constexpr std::chrono::seconds kReportThreshold{2};

  // Adaptive: the learned quota is this share of the sends the host admitted (a margin for
  // requests that arrived in another order than they were sent).
  static constexpr double kAdmittedShare = 0.9;
  // Adaptive, no hint from the host: this share of the rate sent over the last kObserve.
  static constexpr double kObservedShare = 0.8;
  static constexpr std::chrono::seconds kObserve{10};
  // Adaptive: an overload signal (503/508 without a hint, dropped connection) teaches a rate
  // only when a second one follows within this time (a single one is a glitch).
  static constexpr std::chrono::seconds kOverloadRepeat{30};
  // Adaptive: a first lesson needs this many sends in the episode; with fewer, the pause is
  // honoured and the count starts anew (at most kMaxDeferred times).
  static constexpr long kMinEvidence = 4;
  static constexpr int kMaxDeferred = 2;
  // Adaptive: send history kept for learning.
  static constexpr std::chrono::hours kHistoryAge{2};
  static constexpr std::size_t kHistoryMax = 50'000;

private:
  TimePoint earliest_send_locked(bool &paused) const;
  LearnedRate estimate_locked(const Pushback &p, TimePoint sent_at, TimePoint now) const;

  const BudgetMode mode_;
  const int limit_;
  const std::chrono::seconds window_;
  Clock &clock_;
  mutable std::mutex mu_;
  std::deque<TimePoint> sends_; // fixed: last `limit_` send times; adaptive: the history
  TimePoint pause_until_{};
  int effective_;
  TimePoint last_adjust_{};
  // Adaptive.
  std::optional<LearnedRate> learned_;
  TimePoint learned_at_{};    // pushbacks on requests sent before this are already accounted
  TimePoint episode_start_{}; // sends since the last lesson (or the start)
  std::optional<TimePoint> overload_strike_;
  int deferred_ = 0;
};

} // namespace wc::http
