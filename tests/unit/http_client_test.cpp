#include <gtest/gtest.h>

#include <thread>

#include "core/redact.hpp"
#include "http/http_client.hpp"
#include "http_test_support.hpp"

using namespace wc::http;
using namespace std::chrono_literals;
using wc::http::testing::FakeClock;
using wc::http::testing::make_response;
using wc::http::testing::ScriptedTransport;
using wc::http::testing::transport_failure;

namespace {

// Counts apply() calls and stamps each copy, to prove auth runs once per attempt on a copy.
class CountingAuth final : public wc::http::RequestSigner {
public:
  void apply(Request &request, const Origin &) const override {
    const int n = ++calls;
    request.params.emplace_back("attempt", std::to_string(n));
    request.params.emplace_back("consumer_secret", "cs_topsecretvalue123");
  }
  mutable std::atomic<int> calls{0};
};

struct Fixture {
  explicit Fixture(ScriptedTransport::Script script, ClientOptions o = {}) {
    auto t = std::make_unique<ScriptedTransport>(std::move(script), clock);
    transport = t.get();
    auto a = std::make_unique<CountingAuth>();
    auth = a.get();
    o.requests_per_window = o.requests_per_window == 25 ? 0 : o.requests_per_window;
    client = std::make_unique<HttpClient>(std::move(t), std::move(a),
                                          Origin{"https", "shop.example", 443}, o, clock);
  }
  FakeClock clock;
  ScriptedTransport *transport = nullptr;
  CountingAuth *auth = nullptr;
  std::unique_ptr<HttpClient> client;
};

Request orders() {
  Request r;
  r.path = "/wp-json/wc/v3/orders";
  r.params = {{"page", "1"}};
  r.label = "orders";
  return r;
}

} // namespace

TEST(HttpClient, RetriesTransientFailuresThenSucceeds) {
  Fixture f([](const Request &, int call) {
    if (call == 0) {
      return make_response(503);
    }
    if (call == 1) {
      return transport_failure(TransportError::kRead, "connection reset");
    }
    return make_response(200, {}, "[1]");
  });
  std::vector<AttemptRecord> log;
  auto r = f.client->send(orders(), &log);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(f.client->requests_sent(), 3);
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].status, 503);
  EXPECT_EQ(log[1].error, TransportError::kRead);
  // Authentication ran on a fresh copy for every attempt.
  EXPECT_EQ(f.auth->calls.load(), 3);
  const auto sent = f.transport->sent();
  for (int i = 0; i < 3; ++i) {
    int attempts = 0;
    for (const auto &[k, v] : sent[static_cast<std::size_t>(i)].params) {
      attempts += k == "attempt";
    }
    EXPECT_EQ(attempts, 1) << "auth params must not accumulate across attempts";
  }
}

TEST(HttpClient, ReturnsDefinitiveErrorsWithoutRetrying) {
  Fixture f([](const Request &, int) { return make_response(404, {}, "{\"code\":\"x\"}"); });
  auto r = f.client->send(orders());
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(f.client->requests_sent(), 1);
}

TEST(HttpClient, TlsFailureThrowsConfigError) {
  Fixture f([](const Request &, int) {
    return transport_failure(TransportError::kTlsVerify, "self signed certificate");
  });
  try {
    f.client->send(orders());
    FAIL() << "expected an error";
  } catch (const wc::Error &e) {
    EXPECT_EQ(e.type(), wc::FailureType::kConfig);
    EXPECT_NE(std::string(e.what()).find("CA certificate"), std::string::npos);
  }
  EXPECT_EQ(f.client->requests_sent(), 1);
}

TEST(HttpClient, GivesUpWithATransientErrorNamingTheCause) {
  wc::register_secret("cs_topsecretvalue123");
  ClientOptions o;
  o.max_retries = 3;
  Fixture f([](const Request &, int) { return make_response(503); }, o);
  try {
    f.client->send(orders());
    FAIL() << "expected an error";
  } catch (const wc::Error &e) {
    const std::string msg = e.what();
    EXPECT_EQ(e.type(), wc::FailureType::kTransient);
    EXPECT_NE(msg.find("orders: gave up after 4 attempts over "), std::string::npos) << msg;
    EXPECT_NE(msg.find("last cause: HTTP 503"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("cs_topsecretvalue123"), std::string::npos);
    EXPECT_FALSE(last_cause_was_timeout(e));
  }
  EXPECT_EQ(f.client->requests_sent(), 4);
  wc::clear_secrets();
}

TEST(HttpClient, TimeoutExhaustionIsMarked) {
  ClientOptions o;
  o.max_retries = 1;
  Fixture f([](const Request &, int) { return transport_failure(TransportError::kTimeout); }, o);
  try {
    f.client->send(orders());
    FAIL();
  } catch (const wc::Error &e) {
    EXPECT_TRUE(last_cause_was_timeout(e));
  }
}

TEST(HttpClient, HonoursRetryAfterAndReportsTheWait) {
  Fixture f([](const Request &, int call) {
    return call == 0 ? make_response(429, {{"Retry-After", "45"}}) : make_response(200);
  });
  std::vector<WaitEvent> events;
  f.client->set_wait_observer([&](const WaitEvent &e) { events.push_back(e); });
  const auto start = f.clock.now();
  EXPECT_EQ(f.client->send(orders()).status, 200);
  const auto times = f.transport->times();
  ASSERT_EQ(times.size(), 2u);
  EXPECT_GE(times[1] - times[0], 45s);
  EXPECT_LT(f.clock.now() - start, 46s);
  EXPECT_EQ(f.client->rate_limited_responses(), 1);
  // 45 s wait, reported at least every 10 s.
  ASSERT_GE(events.size(), 5u);
  for (const auto &e : events) {
    EXPECT_TRUE(e.rate_limited);
    EXPECT_EQ(e.label, "orders");
    EXPECT_NE(e.cause.find("429"), std::string::npos);
    EXPECT_GT(e.resume_at_ms, 0);
  }
}

TEST(HttpClient, RateLimitPauseAppliesToOtherWorkers) {
  Fixture f([](const Request &r, int) {
    if (r.label == "probe") {
      return make_response(429, {{"Retry-After", "30"}});
    }
    return make_response(200);
  });
  const auto t0 = f.clock.now();
  Request probe = orders();
  probe.label = "probe";
  EXPECT_EQ(f.client->send_once(probe).status, 429); // one attempt, no waiting here
  EXPECT_EQ(f.clock.now(), t0);
  std::thread worker([&] { EXPECT_EQ(f.client->send(orders()).status, 200); });
  worker.join();
  const auto times = f.transport->times();
  ASSERT_EQ(times.size(), 2u);
  EXPECT_GE(times[1], t0 + 30s) << "another worker sent during the rate-limit pause";
}

TEST(HttpClient, RetryAfterTooLongFailsFast) {
  Fixture f([](const Request &, int) { return make_response(429, {{"Retry-After", "86400"}}); });
  try {
    f.client->send(orders());
    FAIL();
  } catch (const wc::Error &e) {
    EXPECT_EQ(e.type(), wc::FailureType::kTransient);
    EXPECT_NE(std::string(e.what()).find("max_retry_after"), std::string::npos) << e.what();
  }
  EXPECT_EQ(f.client->requests_sent(), 1);
}

TEST(HttpClient, BudgetAppliesAcrossRetries) {
  ClientOptions o;
  o.requests_per_window = 2;
  o.window_seconds = 10;
  o.initial_backoff = 1ms;
  o.max_backoff = 1ms;
  Fixture f(
      [](const Request &, int call) { return call < 4 ? make_response(500) : make_response(200); },
      o);
  EXPECT_EQ(f.client->send(orders()).status, 200);
  const auto times = f.transport->times();
  ASSERT_EQ(times.size(), 5u);
  for (std::size_t i = 2; i < times.size(); ++i) {
    EXPECT_GE(times[i] - times[i - 2], 10s);
  }
}

TEST(HttpClient, RejectsInvalidOptions) {
  FakeClock clock;
  ClientOptions o;
  o.max_backoff = 1ms;
  EXPECT_THROW(HttpClient(std::make_unique<ScriptedTransport>(
                              [](const Request &, int) { return make_response(200); }, clock),
                          nullptr, Origin{}, o, clock),
               wc::Error);
}

TEST(HttpClient, RetriesAnUnusable2xxBodyAndHandsItBackWhenRetriesRunOut) {
  ClientOptions o;
  o.max_retries = 2;
  Fixture f(
      [](const Request &, int call) {
        return call == 1 ? make_response(200, {}, "[]")
                         : make_response(200, {}, "<html>Just a moment...</html>");
      },
      o);
  Request r = orders();
  r.retry_body = [](const Response &resp) { return resp.body.front() == '<'; };
  Response ok = f.client->send(r);
  EXPECT_EQ(ok.body, "[]"); // the challenge passed on the second attempt
  EXPECT_EQ(f.auth->calls.load(), 2);

  Fixture always([](const Request &, int) { return make_response(200, {}, "<html></html>"); }, o);
  Response last = always.client->send(r);
  EXPECT_EQ(last.status, 200);
  EXPECT_EQ(last.body, "<html></html>");   // the caller gets the page to describe
  EXPECT_EQ(always.auth->calls.load(), 3); // the first attempt and max_retries retries
}
