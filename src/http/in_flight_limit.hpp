#pragma once
// The in-flight limit: how many requests may be in flight at once across every stream (every
// HttpClient attempt takes one of its slots, beside the request budget). It adapts to
// the latency it observes (a gradient limiter): while latency stays near the lowest seen, the
// width grows towards max_concurrency; when requests queue up in the store's PHP workers and
// latency rises, it shrinks. A real store's workers saturate: more in flight can be slower.
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace wc::http {

class InFlightLimit {
public:
  InFlightLimit(int max_width, int start_width);

  void acquire();
  // Returns a slot with the latency of the request it carried.
  void release(std::chrono::microseconds latency);
  // Returns a slot without a latency sample (the request failed).
  void release_failed();
  int width() const;
  int max_width() const { return max_; }

  // One slot for one attempt: released without a latency sample unless done() gave one.
  class Slot {
  public:
    explicit Slot(InFlightLimit *limit) : limit_(limit) {
      if (limit_ != nullptr) {
        limit_->acquire();
      }
    }
    ~Slot() {
      if (limit_ != nullptr) {
        limit_->release_failed();
      }
    }
    // Returns the slot with the latency of the request it carried.
    void done(std::chrono::microseconds latency) {
      if (limit_ != nullptr) {
        limit_->release(latency);
        limit_ = nullptr;
      }
    }
    Slot(const Slot &) = delete;
    Slot &operator=(const Slot &) = delete;

  private:
    InFlightLimit *limit_;
  };

  static constexpr double kGrowBelow = 1.5; // recent latency / no-load latency
  static constexpr double kShrinkAbove = 1.8;

private:
  const int max_;
  double limit_; // fractional width, floor() is enforced
  int in_flight_ = 0;
  double short_rtt_ = 0; // EWMA of recent latencies (µs)
  double min_rtt_ = 0;   // lowest recent latency (µs), slowly forgotten
  int samples_ = 0;
  mutable std::mutex mu_;
  std::condition_variable cv_;
};

} // namespace wc::http
