#include "source/request_slots.hpp"

#include <algorithm>
#include <cmath>

namespace wc::source {

RequestSlots::RequestSlots(int max_width, int start_width)
    : max_(std::max(1, max_width)), limit_(std::clamp(start_width, 1, std::max(1, max_width))) {}

void RequestSlots::acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return in_flight_ < static_cast<int>(std::floor(limit_)); });
  ++in_flight_;
}

void RequestSlots::release(std::chrono::microseconds latency) {
  {
    std::lock_guard lock(mu_);
    --in_flight_;
    const double rtt = std::max<double>(1.0, static_cast<double>(latency.count()));
    ++samples_;
    short_rtt_ = samples_ == 1 ? rtt : 0.8 * short_rtt_ + 0.2 * rtt;
    // The no-load latency: the minimum, drifting up slowly so that a store that became slower
    // for good is not compared with a latency it no longer has.
    min_rtt_ = samples_ == 1 ? rtt : std::min(rtt, min_rtt_ * 1.002);
    if (samples_ >= 4) {
      // Gradient: 1 while latency stays at its no-load level, down to 0.5 as requests queue.
      const double gradient = std::clamp(min_rtt_ * 1.1 / short_rtt_, 0.5, 1.0);
      const double target = limit_ * gradient + std::sqrt(limit_) * (gradient >= 1.0 ? 1.0 : 0.0);
      limit_ = std::clamp(0.9 * limit_ + 0.1 * target, 1.0, static_cast<double>(max_));
    }
  }
  cv_.notify_all();
}

void RequestSlots::release_failed() {
  {
    std::lock_guard lock(mu_);
    --in_flight_;
  }
  cv_.notify_all();
}

int RequestSlots::width() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(std::floor(limit_));
}

} // namespace wc::source
