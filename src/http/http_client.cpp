#include "http/http_client.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>

#include "core/redact.hpp"
#include "core/time_util.hpp"
#include "http/error_classifier.hpp"
#include "http/pushback.hpp"
#include "http/rate_limiter.hpp"
#include "http/retry_policy.hpp"

namespace wc::http {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using TimePoint = std::chrono::steady_clock::time_point;

constexpr std::string_view kTimeoutMarker = "last_cause=timeout";

bool is_timeout(const Response &r) {
  return r.error == TransportError::kTimeout ||
         (r.transport_ok() && (r.status == 408 || r.status == 504));
}

std::string format_seconds(milliseconds d) {
  const auto tenths = (d.count() + 50) / 100;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

} // namespace

bool last_cause_was_timeout(const Error &error) {
  return error.internal().find(kTimeoutMarker) != std::string::npos;
}

struct HttpClient::Impl {
  Impl(std::unique_ptr<Transport> t, std::unique_ptr<RequestSigner> a, Origin o, ClientOptions opts,
       Clock &c)
      : transport(std::move(t)), authenticator(std::move(a)), origin(std::move(o)), options(opts),
        clock(c), policy(opts), limiter(opts.budget, opts.requests_per_window,
                                        std::chrono::seconds(opts.window_seconds), c) {
    if (opts.max_in_flight > 0) {
      in_flight.emplace(opts.max_in_flight, std::min(2, opts.max_in_flight));
    }
  }

  std::unique_ptr<Transport> transport;
  std::unique_ptr<RequestSigner> authenticator;
  Origin origin;
  ClientOptions options;
  Clock &clock;
  RetryPolicy policy;
  RateLimiter limiter;
  std::optional<InFlightLimit> in_flight;
  std::atomic<std::int64_t> sent{0};
  std::atomic<std::int64_t> rate_limited{0};
  std::mutex observer_mu;
  std::function<void(const WaitEvent &)> observer;
  std::function<void(const LearnedRate &, const std::string &)> budget_observer;

  void notify(const std::string &label, bool is_rate_limited, TimePoint resume_at,
              const std::string &cause) {
    std::function<void(const WaitEvent &)> copy;
    {
      std::lock_guard lock(observer_mu);
      copy = observer;
    }
    if (!copy) {
      return;
    }
    WaitEvent ev;
    ev.label = label;
    ev.rate_limited = is_rate_limited;
    const auto remaining = duration_cast<milliseconds>(resume_at - clock.now());
    ev.resume_at_ms = now_millis() + std::max<std::int64_t>(0, remaining.count());
    ev.cause = cause;
    copy(ev);
  }

  // One attempt: an in-flight slot, budget, credentials on a copy, transport, counters, limiter
  // adaptation. The slot is held from before the budget (so that a request the budget let go
  // is sent at once) to the answer; a usable 2xx of a request that samples latency gives the
  // in-flight limit its sample.
  Response attempt(const Request &request, TimePoint *sent_at_out = nullptr) {
    InFlightLimit::Slot slot(in_flight ? &*in_flight : nullptr);
    const TimePoint sent_at = limiter.acquire([&](TimePoint resume_at, bool paused) {
      notify(request.label, paused, resume_at, paused ? "rate limit pause" : "request budget");
    });
    Request signed_request = request;
    if (authenticator && !request.anonymous) {
      authenticator->apply(signed_request, origin);
    }
    Response response = transport->send(signed_request);
    sent.fetch_add(1, std::memory_order_relaxed);
    const Classification c = classify(response);
    if (c.action == Action::kRateLimited) {
      rate_limited.fetch_add(1, std::memory_order_relaxed);
      limiter.on_rate_limited();
    } else if (c.action == Action::kSucceed) {
      limiter.on_success();
      if (request.samples_latency && response.status >= 200 && response.status < 300 &&
          !(request.retry_body && request.retry_body(response))) {
        slot.done(std::chrono::microseconds(static_cast<std::int64_t>(response.elapsed_ms * 1000)));
      }
    }
    learn(response, sent_at);
    if (sent_at_out != nullptr) {
      *sent_at_out = sent_at;
    }
    return response;
  }

  // Feeds the response's pushback signals to the budget; a served response that says the
  // host's quota is used up (RateLimit-Remaining: 0) pauses everyone until it resets.
  void learn(const Response &response, TimePoint sent_at) {
    const Pushback p = detect_pushback(response, now_millis() / 1000);
    if (!p) {
      return;
    }
    if (p.admitted && p.delay) {
      const auto cap = duration_cast<milliseconds>(options.max_retry_after);
      limiter.pause_until(clock.now() + std::min(*p.delay, cap));
    }
    learn(p, sent_at);
  }

  void learn(const Pushback &p, TimePoint sent_at) {
    if (auto rate = limiter.on_pushback(p, sent_at)) {
      std::function<void(const LearnedRate &, const std::string &)> copy;
      {
        std::lock_guard lock(observer_mu);
        copy = budget_observer;
      }
      if (copy) {
        copy(*rate, p.cause);
      }
    }
  }

  // Sleeps until `until`, reporting at least every 10 s when the wait is long.
  void wait(const std::string &label, bool is_rate_limited, TimePoint until,
            const std::string &cause) {
    for (;;) {
      const TimePoint now = clock.now();
      if (now >= until) {
        return;
      }
      TimePoint wake = until;
      if (until - now > RateLimiter::kReportThreshold) {
        notify(label, is_rate_limited, until, cause);
        wake =
            std::min(until, now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                      RateLimiter::kReportEvery));
      }
      clock.sleep_until(wake);
    }
  }

  [[noreturn]] void give_up(const Request &request, int attempts, TimePoint start,
                            const Response &last, const std::string &reason) {
    const auto spent = duration_cast<milliseconds>(clock.now() - start);
    std::string label = request.label.empty() ? std::string("request") : request.label;
    std::string message = redact(label) + ": gave up after " + std::to_string(attempts) +
                          (attempts == 1 ? " attempt" : " attempts") + " over " +
                          format_seconds(spent) + " s; last cause: " + describe_cause(last);
    if (!reason.empty()) {
      message += " (" + reason + ")";
    }
    std::string internal = "attempts=" + std::to_string(attempts);
    if (is_timeout(last)) {
      internal += ";";
      internal += kTimeoutMarker;
    }
    throw Error(FailureType::kTransient, redact(message), internal);
  }

  [[noreturn]] void fail_transport(const Request &request, const Response &last, FailureType type) {
    std::string label = request.label.empty() ? std::string("request") : request.label;
    std::string message = redact(label) + ": " + describe_cause(last) + " talking to " +
                          origin.scheme + "://" + origin.host;
    if (last.error == TransportError::kTlsVerify) {
      message += ": the server certificate is not trusted; provide the CA certificate (PEM) in "
                 "the configuration, or fix the certificate chain on the store";
    } else if (last.error == TransportError::kTls) {
      message += ": the TLS handshake failed; check that the store serves HTTPS on this port";
    } else if (last.error == TransportError::kProxy) {
      message += ": check the proxy settings";
    }
    throw Error(type, redact(message));
  }

  Response send(const Request &request, std::vector<AttemptRecord> *log) {
    const TimePoint start = clock.now();
    for (int attempt_index = 0;; ++attempt_index) {
      TimePoint sent_at{};
      Response response = attempt(request, &sent_at);
      const auto elapsed = duration_cast<milliseconds>(clock.now() - start);
      RetryDecision d = policy.decide(attempt_index, elapsed, response);
      AttemptRecord record;
      record.status = response.transport_ok() ? response.status : 0;
      record.error = response.error;
      record.cause = describe_cause(response);
      record.elapsed_ms = response.elapsed_ms;
      if (d.action == Action::kSucceed && request.retry_body && response.status >= 200 &&
          response.status < 300 && request.retry_body(response)) {
        // An HTML challenge or empty page instead of JSON: an overload signal to the budget
        // (one alone is a glitch; see pushback.hpp).
        Pushback unusable;
        unusable.kind = PushbackKind::kOverload;
        unusable.cause = "HTTP " + std::to_string(response.status) + " with an unusable body";
        learn(unusable, sent_at);
        // A 2xx whose body is unusable (bot challenge, empty): retry it like a 5xx, and hand it
        // back for the caller to describe once retries or the time budget run out.
        d.delay = policy.backoff(attempt_index);
        if (attempt_index >= policy.options().max_retries ||
            elapsed + d.delay > policy.options().max_retry_time) {
          if (log) {
            log->push_back(record);
          }
          return response;
        }
        record.cause = "unusable response body";
        record.waited_ms = d.delay.count();
        if (log) {
          log->push_back(record);
        }
        wait(request.label, false, std::max(clock.now() + d.delay, limiter.paused_until()),
             record.cause);
        continue;
      }
      if (d.action == Action::kSucceed) {
        if (log) {
          log->push_back(record);
        }
        return response;
      }
      if (d.action == Action::kFail) {
        if (log) {
          log->push_back(record);
        }
        if (!response.transport_ok()) {
          fail_transport(request, response, d.failure_type);
        }
        return response; // a definitive HTTP status (401, 403, 404, 400, ...) for the caller
      }
      const bool is_rate_limited = d.action == Action::kRateLimited;
      if (d.exhausted()) {
        if (log) {
          log->push_back(record);
        }
        give_up(request, attempt_index + 1, start, response, d.give_up_reason);
      }
      TimePoint resume = clock.now() + d.delay;
      if (is_rate_limited) {
        limiter.pause_until(resume); // everyone waits, not just this worker
      }
      // Never resume before a pause some other worker's 429 set.
      resume = std::max(resume, limiter.paused_until());
      record.waited_ms =
          std::max<std::int64_t>(0, duration_cast<milliseconds>(resume - clock.now()).count());
      if (log) {
        log->push_back(record);
      }
      wait(request.label, is_rate_limited, resume, describe_cause(response));
    }
  }
};

HttpClient::HttpClient(std::unique_ptr<Transport> transport, std::unique_ptr<RequestSigner> auth,
                       Origin origin, ClientOptions options, Clock &clock) {
  validate(options);
  if (!transport) {
    throw Error(FailureType::kSystem, "HttpClient needs a transport");
  }
  impl_ = std::make_unique<Impl>(std::move(transport), std::move(auth), std::move(origin), options,
                                 clock);
}

HttpClient::~HttpClient() = default;

Response HttpClient::send(Request request) { return impl_->send(request, nullptr); }

Response HttpClient::send(Request request, std::vector<AttemptRecord> *attempt_log) {
  return impl_->send(request, attempt_log);
}

Response HttpClient::send_once(Request request) {
  Response response = impl_->attempt(request);
  if (classify(response).action == Action::kRateLimited) {
    if (auto delay = server_delay(response, now_millis() / 1000)) {
      const auto cap = duration_cast<milliseconds>(impl_->options.max_retry_after);
      impl_->limiter.pause_until(impl_->clock.now() + std::min(*delay, cap));
    }
  }
  return response;
}

void HttpClient::set_wait_observer(std::function<void(const WaitEvent &)> observer) {
  std::lock_guard lock(impl_->observer_mu);
  impl_->observer = std::move(observer);
}

void HttpClient::set_budget_observer(
    std::function<void(const LearnedRate &, const std::string &)> observer) {
  std::lock_guard lock(impl_->observer_mu);
  impl_->budget_observer = std::move(observer);
}

void HttpClient::start_budget_from(const LearnedRate &rate) { impl_->limiter.start_from(rate); }

std::optional<LearnedRate> HttpClient::learned_rate() const { return impl_->limiter.learned(); }

const Origin &HttpClient::origin() const { return impl_->origin; }

const InFlightLimit *HttpClient::in_flight() const {
  return impl_->in_flight ? &*impl_->in_flight : nullptr;
}

std::int64_t HttpClient::requests_sent() const { return impl_->sent.load(); }

std::int64_t HttpClient::rate_limited_responses() const { return impl_->rate_limited.load(); }

} // namespace wc::http
