#include "http/in_flight_limit.hpp"

#include <algorithm>
#include <cmath>

namespace wc::http {

InFlightLimit::InFlightLimit(int max_width, int start_width)
    : max_(std::max(1, max_width)), limit_(std::clamp(start_width, 1, std::max(1, max_width))) {}

void InFlightLimit::acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return in_flight_ < static_cast<int>(std::floor(limit_)); });
  ++in_flight_;
}

void InFlightLimit::release(std::chrono::microseconds latency) {
  {
    std::lock_guard lock(mu_);
    --in_flight_;
    const double rtt = std::max<double>(1.0, static_cast<double>(latency.count()));
    ++samples_;
    short_rtt_ = samples_ == 1 ? rtt : 0.8 * short_rtt_ + 0.2 * rtt;
    // The no-load latency: the minimum, drifting up slowly so that a store that became slower
    // for good is not compared with a latency it no longer has.
    min_rtt_ = samples_ == 1 ? rtt : std::min(rtt, min_rtt_ * 1.0002);
    if (samples_ >= 4) {
      // Latency near its no-load level (within the jitter of a shared host): one more request
      // in flight per round of `limit` answers. Latency far above it: requests are queueing in
      // the store's PHP workers, so narrow the pool. In between: hold.
      const double ratio = short_rtt_ / min_rtt_;
      if (ratio < kGrowBelow) {
        limit_ += 1.0 / limit_;
      } else if (ratio > kShrinkAbove) {
        limit_ *= 0.95;
      }
      limit_ = std::clamp(limit_, 1.0, static_cast<double>(max_));
    }
  }
  cv_.notify_all();
}

void InFlightLimit::release_failed() {
  {
    std::lock_guard lock(mu_);
    --in_flight_;
  }
  cv_.notify_all();
}

int InFlightLimit::width() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(std::floor(limit_));
}

} // namespace wc::http
