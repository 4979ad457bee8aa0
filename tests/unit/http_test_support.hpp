#pragma once
// Test doubles shared by the http_* unit tests: a fake Clock (sleeping advances time instantly)
// and a scripted Transport that records what was sent and when.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <vector>

#include "http/http_client.hpp"
#include "http/transport.hpp"

namespace wc::http::testing {

class FakeClock final : public Clock {
public:
  std::chrono::steady_clock::time_point now() const override {
    return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns_.load()));
  }
  void sleep_until(std::chrono::steady_clock::time_point t) override {
    const auto target = t.time_since_epoch().count();
    auto cur = ns_.load();
    while (cur < target && !ns_.compare_exchange_weak(cur, target)) {
    }
    sleeps_.fetch_add(1);
  }
  void advance(std::chrono::nanoseconds d) { ns_.fetch_add(d.count()); }
  double seconds() const { return static_cast<double>(ns_.load()) / 1e9; }
  int sleeps() const { return sleeps_.load(); }

private:
  std::atomic<std::int64_t> ns_{1'000'000'000'000}; // start well after the epoch
  std::atomic<int> sleeps_{0};
};

// Largest number of sends inside any half-open window [t, t + w).
inline int max_in_any_window(std::vector<std::chrono::steady_clock::time_point> sends,
                             std::chrono::nanoseconds w) {
  std::sort(sends.begin(), sends.end());
  int best = 0;
  std::size_t j = 0;
  for (std::size_t i = 0; i < sends.size(); ++i) {
    while (sends[i] - sends[j] >= w) {
      ++j;
    }
    best = std::max(best, static_cast<int>(i - j + 1));
  }
  return best;
}

inline Response make_response(int status, Headers headers = {}, std::string body = "[]") {
  Response r;
  r.status = status;
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

inline Response transport_failure(TransportError e, std::string detail = "x") {
  Response r;
  r.error = e;
  r.error_detail = std::move(detail);
  return r;
}

class ScriptedTransport final : public Transport {
public:
  using Script = std::function<Response(const Request &, int call)>;
  ScriptedTransport(Script script, Clock &clock) : script_(std::move(script)), clock_(clock) {}
  Response send(const Request &request) override {
    int call = 0;
    {
      std::lock_guard lock(mu_);
      call = static_cast<int>(sent_.size());
      sent_.push_back(request);
      times_.push_back(clock_.now());
    }
    return script_(request, call);
  }
  std::vector<Request> sent() const {
    std::lock_guard lock(mu_);
    return sent_;
  }
  std::vector<std::chrono::steady_clock::time_point> times() const {
    std::lock_guard lock(mu_);
    return times_;
  }

private:
  Script script_;
  Clock &clock_;
  mutable std::mutex mu_;
  std::vector<Request> sent_;
  std::vector<std::chrono::steady_clock::time_point> times_;
};

} // namespace wc::http::testing
