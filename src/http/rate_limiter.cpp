#include "http/rate_limiter.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace wc::http {

RateLimiter::RateLimiter(int requests_per_window, std::chrono::seconds window, Clock &clock)
    : limit_(requests_per_window), window_(window), clock_(clock), effective_(requests_per_window) {
  if (limit_ < 0 || (limit_ > 0 && window_.count() <= 0)) {
    throw Error(FailureType::kConfig,
                "invalid request budget: requests_per_window must be >= 0 and window_seconds > 0");
  }
  last_adjust_ = clock_.now();
}

RateLimiter::TimePoint RateLimiter::earliest_send_locked(bool &paused) const {
  TimePoint t = pause_until_;
  paused = true;
  if (limit_ > 0) {
    const auto n = static_cast<std::size_t>(effective_);
    if (sends_.size() >= n) {
      // The n-th most recent send must have left the window.
      // Plus a small margin: a host counts arrivals, and a request that waited for its TLS
      // handshake arrives later than one sent over a warm connection.
      TimePoint budget = sends_[sends_.size() - n] + window_ + kArrivalMargin;
      if (budget > t) {
        t = budget;
        paused = false;
      }
    }
  }
  return t;
}

RateLimiter::TimePoint RateLimiter::acquire(const WaitCallback &on_wait) {
  std::unique_lock lock(mu_);
  for (;;) {
    const TimePoint now = clock_.now();
    bool paused = false;
    const TimePoint earliest = earliest_send_locked(paused);
    if (earliest <= now) {
      if (limit_ > 0) {
        sends_.push_back(now);
        while (sends_.size() > static_cast<std::size_t>(limit_)) {
          sends_.pop_front();
        }
      }
      return now;
    }
    const auto wait = earliest - now;
    TimePoint wake = earliest;
    if (wait > kReportThreshold) {
      wake = std::min(
          earliest,
          now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(kReportEvery));
    }
    lock.unlock();
    if (on_wait && wait > kReportThreshold) {
      on_wait(earliest, paused);
    }
    clock_.sleep_until(wake);
    lock.lock();
  }
}

void RateLimiter::pause_until(TimePoint t) {
  std::lock_guard lock(mu_);
  pause_until_ = std::max(pause_until_, t);
}

RateLimiter::TimePoint RateLimiter::paused_until() const {
  std::lock_guard lock(mu_);
  return pause_until_;
}

void RateLimiter::on_rate_limited() {
  std::lock_guard lock(mu_);
  if (limit_ > 0) {
    effective_ = std::max(1, effective_ / 2);
  }
  last_adjust_ = clock_.now();
}

void RateLimiter::on_success() {
  std::lock_guard lock(mu_);
  if (limit_ <= 0 || effective_ >= limit_) {
    return;
  }
  const TimePoint now = clock_.now();
  if (now - last_adjust_ >= window_) {
    ++effective_;
    last_adjust_ = now;
  }
}

int RateLimiter::effective_limit() const {
  std::lock_guard lock(mu_);
  return effective_;
}

} // namespace wc::http
