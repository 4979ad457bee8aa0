#include "demo_store/rate_limit.hpp"

namespace wc::demo {

void RateLimit::configure(int requests, int window_seconds) {
  std::lock_guard lock(mu_);
  requests_ = requests;
  window_ = std::chrono::seconds(window_seconds);
  admitted_.clear();
  last_429_.reset();
}

std::optional<int> RateLimit::admit(Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (last_429_ && now > *last_429_ + kInFlightGrace && now < wait_until_) {
    ++violations_;
  }
  if (requests_ <= 0 || window_.count() <= 0) {
    return std::nullopt;
  }
  while (!admitted_.empty() && admitted_.front() + window_ <= now) {
    admitted_.pop_front();
  }
  if (static_cast<int>(admitted_.size()) < requests_) {
    admitted_.push_back(now);
    return std::nullopt;
  }
  const auto free_at = admitted_.front() + window_;
  const auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(free_at - now).count();
  const int retry_after = static_cast<int>(std::max<std::int64_t>(1, (wait_ms + 999) / 1000));
  last_429_ = now;
  // A client honouring Retry-After comes back no earlier than this (small tolerance).
  wait_until_ = now + std::chrono::seconds(retry_after) - std::chrono::milliseconds(50);
  return retry_after;
}

std::int64_t RateLimit::violations() const {
  std::lock_guard lock(mu_);
  return violations_;
}

void RateLimit::reset_stats() {
  std::lock_guard lock(mu_);
  violations_ = 0;
}

} // namespace wc::demo
