#include "http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace wc::http {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

double per_second(const LearnedRate &r) {
  return static_cast<double>(r.requests) * 1000.0 /
         static_cast<double>(std::max<std::int64_t>(1, r.window.count()));
}

LearnedRate bounded(LearnedRate r) {
  r.requests = std::clamp(r.requests, 1, static_cast<int>(RateLimiter::kHistoryMax));
  r.window = std::clamp<milliseconds>(r.window, milliseconds(1000),
                                      duration_cast<milliseconds>(RateLimiter::kHistoryAge));
  return r;
}

} // namespace

RateLimiter::RateLimiter(int requests_per_window, std::chrono::seconds window, Clock &clock)
    : RateLimiter(requests_per_window != 0 ? BudgetMode::kFixed : BudgetMode::kOff,
                  requests_per_window, window, clock) {}

RateLimiter::RateLimiter(BudgetMode mode, int requests_per_window, std::chrono::seconds window,
                         Clock &clock)
    : mode_(mode), limit_(mode == BudgetMode::kFixed ? requests_per_window : 0), window_(window),
      clock_(clock), effective_(limit_) {
  if (mode == BudgetMode::kFixed &&
      (requests_per_window < 0 || (requests_per_window > 0 && window_.count() <= 0))) {
    throw Error(FailureType::kConfig,
                "invalid request budget: requests_per_window must be >= 0 and window_seconds > 0");
  }
  last_adjust_ = clock_.now();
  episode_start_ = last_adjust_;
}

RateLimiter::TimePoint RateLimiter::earliest_send_locked(bool &paused) const {
  TimePoint t = pause_until_;
  paused = true;
  std::size_t n = 0;
  std::chrono::steady_clock::duration window{};
  if (limit_ > 0) {
    n = static_cast<std::size_t>(effective_);
    // Plus a small margin: a host counts arrivals, and a request that waited for its TLS
    // handshake arrives later than one sent over a warm connection.
    window = window_ + kArrivalMargin;
  } else if (learned_) {
    n = static_cast<std::size_t>(learned_->requests);
    // No margin: a learned window was measured from our first send to our receipt of the
    // refusal, so it already holds the transit times the margin stands for.
    window = learned_->window;
  }
  if (n > 0 && sends_.size() >= n) {
    // The n-th most recent send must have left the window.
    TimePoint budget = sends_[sends_.size() - n] + window;
    if (budget > t) {
      t = budget;
      paused = false;
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
      } else if (mode_ == BudgetMode::kAdaptive) {
        sends_.push_back(now);
        while (sends_.size() > kHistoryMax || sends_.front() < now - kHistoryAge) {
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
  return limit_ > 0 ? effective_ : (learned_ ? learned_->requests : 0);
}

LearnedRate RateLimiter::estimate_locked(const Pushback &p, TimePoint sent_at,
                                         TimePoint now) const {
  if (p.limit > 0 && p.window_seconds > 0) {
    // The host stated its policy (RateLimit-Policy: 25;w=10); plus the fixed budget's arrival
    // margin.
    return bounded({p.limit, std::chrono::seconds(p.window_seconds) + kArrivalMargin});
  }
  const auto from = std::lower_bound(sends_.begin(), sends_.end(), episode_start_);
  if (p.kind == PushbackKind::kRateLimit && p.delay) {
    // Everything sent since the episode began was admitted up to this request, and the host's
    // window frees `delay` from now: a sliding window of W = (now - first send) + delay holding
    // those sends. W is an upper bound of the host's window; the count is what it admitted.
    const auto until = p.admitted ? std::upper_bound(from, sends_.end(), sent_at)
                                  : std::lower_bound(from, sends_.end(), sent_at);
    const auto admitted = static_cast<double>(std::distance(from, until));
    const TimePoint first = from != sends_.end() ? std::min(*from, sent_at) : sent_at;
    const auto window = duration_cast<milliseconds>(now - first) + *p.delay;
    const int quota =
        p.limit > 0 ? p.limit : static_cast<int>(std::floor(admitted * kAdmittedShare));
    return bounded({quota, window});
  }
  // No hint: what we sent over the last kObserve (or since the episode began), a share of it.
  const TimePoint since = std::max(episode_start_, now - kObserve);
  const auto begin = std::lower_bound(sends_.begin(), sends_.end(), since);
  const auto sent = static_cast<double>(std::distance(begin, sends_.end()));
  const auto span = std::max(milliseconds(1000), duration_cast<milliseconds>(now - since));
  return bounded({static_cast<int>(std::floor(sent * kObservedShare)), span});
}

std::optional<LearnedRate> RateLimiter::on_pushback(const Pushback &p, TimePoint sent_at) {
  if (mode_ != BudgetMode::kAdaptive || p.kind == PushbackKind::kNone) {
    return std::nullopt;
  }
  std::lock_guard lock(mu_);
  const TimePoint now = clock_.now();
  if (learned_ && sent_at < learned_at_) {
    return std::nullopt; // in flight when the last lesson was learned: already accounted
  }
  if (p.kind == PushbackKind::kOverload &&
      (!overload_strike_ || now - *overload_strike_ > kOverloadRepeat)) {
    overload_strike_ = now;
    return std::nullopt;
  }
  const bool stated = p.limit > 0 && p.window_seconds > 0;
  const auto from = std::lower_bound(sends_.begin(), sends_.end(), episode_start_);
  const bool evidence = stated || std::distance(from, sends_.end()) >= kMinEvidence;
  if (!learned_ && !evidence && deferred_ < kMaxDeferred) {
    // Too little evidence for a rate (the first requests of the sync were refused: another
    // client, or the previous sync, used the host's window up): honour the pause, count anew.
    ++deferred_;
    episode_start_ = now;
    return std::nullopt;
  }
  LearnedRate next = estimate_locked(p, sent_at, now);
  if (learned_) {
    // Pushback under a learned rate: it was too high. At most half of it from now on (less if
    // the new evidence says so).
    LearnedRate half = *learned_;
    if (half.requests >= 2) {
      half.requests /= 2;
    } else {
      half.window *= 2;
    }
    half = bounded(half);
    if (!evidence || per_second(half) < per_second(next)) {
      next = half;
    }
  }
  learned_ = next;
  learned_at_ = now;
  episode_start_ = now;
  overload_strike_.reset();
  return next;
}

void RateLimiter::start_from(const LearnedRate &rate) {
  std::lock_guard lock(mu_);
  if (mode_ != BudgetMode::kAdaptive) {
    return;
  }
  learned_ = bounded(rate);
  learned_at_ = clock_.now();
  episode_start_ = learned_at_;
}

std::optional<LearnedRate> RateLimiter::learned() const {
  std::lock_guard lock(mu_);
  return learned_;
}

} // namespace wc::http
