#pragma once
// The pool width: how many requests may be in flight at once across every stream. It adapts to
// the latency it observes (a gradient limiter): while latency stays near the lowest seen, the
// width grows towards max_concurrency; when requests queue up in the store's PHP workers and
// latency rises, it shrinks. A real store's workers saturate: more in flight can be slower.
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace wc::source {

class RequestSlots {
public:
  RequestSlots(int max_width, int start_width);

  void acquire();
  // Returns a slot with the latency of the request it carried.
  void release(std::chrono::microseconds latency);
  // Returns a slot without a latency sample (the request failed).
  void release_failed();
  int width() const;
  int max_width() const { return max_; }

  class Guard {
  public:
    explicit Guard(RequestSlots *slots) : slots_(slots), start_(std::chrono::steady_clock::now()) {
      if (slots_ != nullptr) {
        slots_->acquire();
      }
    }
    ~Guard() {
      if (slots_ != nullptr) {
        slots_->release(std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::steady_clock::now() - start_));
      }
    }
    Guard(const Guard &) = delete;
    Guard &operator=(const Guard &) = delete;

  private:
    RequestSlots *slots_;
    std::chrono::steady_clock::time_point start_;
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

} // namespace wc::source
