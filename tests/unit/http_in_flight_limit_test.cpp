// The in-flight pool that the adaptive request budget relies on for "never a burst": it starts at
// 2 and widens by at most one at a time while latency holds.
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "http/http_client.hpp"
#include "http/in_flight_limit.hpp"
#include "http_test_support.hpp"

using namespace wc::http;
using namespace std::chrono_literals;

TEST(InFlightLimit, StartsAtTwoAndWidensOneAtATime) {
  InFlightLimit slots(8, 2);
  EXPECT_EQ(slots.width(), 2);
  int widest = slots.width();
  int answers_at_width = 0;
  for (int i = 0; i < 200; ++i) {
    const int before = slots.width();
    slots.acquire();
    slots.release(50ms); // latency holds: the pool may widen
    const int after = slots.width();
    EXPECT_LE(after - before, 1) << "answer " << i;
    if (after > widest) {
      // A full round of answers at the old width before each step.
      EXPECT_GE(answers_at_width + 1, before) << "widened to " << after << " after answer " << i;
      widest = after;
      answers_at_width = 0;
    } else {
      ++answers_at_width;
    }
  }
  EXPECT_EQ(slots.width(), 8); // and it does reach max_concurrency
}

// ---- the limit inside HttpClient: every attempt of every request takes a slot ----

namespace {

// A transport that holds every send at a gate (when closed) and counts the sends inside.
class GatedTransport final : public Transport {
public:
  Response send(const Request &) override {
    std::unique_lock lock(mu_);
    ++inside_;
    most_ = std::max(most_, inside_);
    cv_.notify_all();
    cv_.wait(lock, [this] { return open_; });
    --inside_;
    const int call = calls_++;
    lock.unlock();
    if (fail_first_ > call) {
      return wc::http::testing::transport_failure(TransportError::kConnection, "refused");
    }
    Response r = wc::http::testing::make_response(status_);
    r.elapsed_ms = 5.0; // a steady latency: the adaptive width may grow
    return r;
  }
  void close() {
    std::lock_guard lock(mu_);
    open_ = false;
  }
  void open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  // Waits (bounded) until `n` sends are inside at once; false on timeout.
  bool wait_inside(int n, std::chrono::milliseconds at_most) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, at_most, [&] { return inside_ >= n; });
  }
  int most() {
    std::lock_guard lock(mu_);
    return most_;
  }
  int status_ = 200;
  int fail_first_ = 0;

private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = true;
  int inside_ = 0;
  int most_ = 0;
  int calls_ = 0;
};

struct LimitedClient {
  explicit LimitedClient(int max_in_flight, int max_retries = 0) {
    auto t = std::make_unique<GatedTransport>();
    transport = t.get();
    ClientOptions o;
    o.budget = BudgetMode::kOff;
    o.max_retries = max_retries;
    o.max_in_flight = max_in_flight;
    client = std::make_unique<HttpClient>(std::move(t), nullptr,
                                          Origin{"https", "shop.example", 443}, o, clock);
  }
  // `threads` threads send `each` requests; the transport's gate decides when they return.
  void send_from(int threads, int each) {
    for (int i = 0; i < threads; ++i) {
      senders.emplace_back([this, each] {
        for (int k = 0; k < each; ++k) {
          Request r;
          r.path = "/wp-json/wc/v3/orders";
          r.label = "orders";
          r.samples_latency = true;
          client->send(r);
        }
      });
    }
  }
  void join() {
    for (auto &t : senders) {
      t.join();
    }
    senders.clear();
  }
  wc::http::testing::FakeClock clock;
  GatedTransport *transport = nullptr;
  std::unique_ptr<HttpClient> client;
  std::vector<std::thread> senders;
};

} // namespace

// Eight threads at once through a client limited to 3: first at most 2 in flight (the adaptive
// start), then, once answers widened it, at most 3, never more.
TEST(InFlightLimit, HttpClientHoldsAtMostMaxInFlight) {
  LimitedClient c(3);
  ASSERT_NE(c.client->in_flight(), nullptr);
  c.transport->close();
  c.send_from(8, 1);
  ASSERT_TRUE(c.transport->wait_inside(2, 60s));
  EXPECT_FALSE(c.transport->wait_inside(3, 300ms)) << "more than the start width of 2 in flight";
  c.transport->open(); // (answers widen the limit meanwhile: the last of the 8 may go 3 wide)
  c.join();

  // Steady answers widen the limit to its maximum...
  for (int i = 0; i < 40 && c.client->in_flight()->width() < 3; ++i) {
    c.send_from(1, 1);
    c.join();
  }
  ASSERT_EQ(c.client->in_flight()->width(), 3);
  // ...and no further.
  c.transport->close();
  c.send_from(8, 2);
  ASSERT_TRUE(c.transport->wait_inside(3, 60s));
  EXPECT_FALSE(c.transport->wait_inside(4, 300ms)) << "more than max_in_flight (3) in flight";
  c.transport->open();
  c.join();
  EXPECT_EQ(c.transport->most(), 3);
}

// Failed attempts give their slot back (or the next request would wait forever) without a
// latency sample: only usable 2xx answers of requests that sample latency (the engine's pages)
// move the width, as when ApiPageSource held the slots.
TEST(InFlightLimit, FailuresReturnTheirSlotWithoutASample) {
  LimitedClient c(8, 2);
  c.transport->fail_first_ = 2; // two refused connections, retried, then answers
  c.transport->status_ = 503;   // which are 503s: retried, then given up
  for (int i = 0; i < 30; ++i) {
    Request r;
    r.label = "orders";
    r.samples_latency = true;
    EXPECT_THROW(c.client->send(r), wc::Error);
  }
  EXPECT_EQ(c.client->in_flight()->width(), 2) << "failed requests were taken as latency samples";
  c.transport->status_ = 200;
  for (int i = 0; i < 30; ++i) {
    Request r; // a probe or a lookup, not a page: no sample
    r.label = "check";
    EXPECT_EQ(c.client->send(r).status, 200);
  }
  EXPECT_EQ(c.client->in_flight()->width(), 2) << "a request not sampling latency was sampled";
  for (int i = 0; i < 30; ++i) {
    Request r;
    r.label = "orders";
    r.samples_latency = true;
    EXPECT_EQ(c.client->send(r).status, 200);
  }
  EXPECT_GT(c.client->in_flight()->width(), 2); // the answers were
}
