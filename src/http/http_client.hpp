#pragma once
// The one way requests leave the process: in-flight slot -> request budget -> auth -> transport
// -> classify -> retry with backoff, all within one time budget. Thread-safe; every worker shares
// one client so the in-flight limit, the budget and any Retry-After pause apply to all of them.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "http/http_types.hpp"
#include "http/in_flight_limit.hpp"
#include "http/request_signer.hpp"
#include "http/transport.hpp"

namespace wc::http {

// How requests are paced (config `request_budget`, see docs/performance.md):
//  - kAdaptive: no rate cap until the host pushes back (429, Retry-After, RateLimit-Remaining: 0,
//    an HTML 403, repeated 503/508 or dropped connections); then a learned sliding-window cap;
//  - kFixed: requests_per_window per window_seconds (0 = unlimited), halved after each 429;
//  - kOff: no rate cap (a 429's Retry-After still pauses every worker).
enum class BudgetMode { kAdaptive, kFixed, kOff };

// A request rate learned from the host's pushback: at most `requests` sends in any `window`.
struct LearnedRate {
  int requests = 0;
  std::chrono::milliseconds window{0};
};

struct ClientOptions {
  int max_retries = 5;                      // attempts after the first
  std::chrono::seconds max_retry_time{600}; // total time spent waiting/retrying one request
  int requests_per_window = 25;             // kFixed only; 0 = unlimited
  int window_seconds = 10;                  // kFixed only
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{60000};
  std::chrono::seconds max_retry_after{900}; // a Retry-After longer than this fails the request
  // The library's own default keeps the explicit requests_per_window; the connector's default
  // (config request_budget absent) is kAdaptive, set by parse_config.
  BudgetMode budget = BudgetMode::kFixed;
  // Requests in flight at once (config max_concurrency): an adaptive width starting at
  // min(2, max_in_flight), never above it (http/in_flight_limit.hpp). 0 = no limit.
  int max_in_flight = 0;
};

// Reported while the client waits (rate limit or backoff), so the read can emit STREAM_STATUS
// RUNNING with RATE_LIMITED and keep orchestrators from timing the sync out.
struct WaitEvent {
  std::string label;             // request label (stream name)
  bool rate_limited = false;     // 429 / Retry-After wait (vs plain backoff)
  std::int64_t resume_at_ms = 0; // epoch ms when requests may go out again
  std::string cause;             // "HTTP 429", "HTTP 503", "connection reset", ...
};

class Clock {
public:
  virtual ~Clock() = default;
  virtual std::chrono::steady_clock::time_point now() const = 0;
  virtual void sleep_until(std::chrono::steady_clock::time_point t) = 0;
};
Clock &system_clock();

// One line per attempt of send(), for callers that adapt (e.g. halve per_page after timeouts).
struct AttemptRecord {
  int status = 0; // 0 when the transport failed
  TransportError error = TransportError::kNone;
  std::string cause;          // describe_cause(): "HTTP 503 ...", "timeout"
  double elapsed_ms = 0;      // transport time of this attempt
  std::int64_t waited_ms = 0; // backoff / pause slept after this attempt
};

// True when a wc::Error thrown by HttpClient::send() ended on a timeout (connect/read timeout,
// HTTP 408 or 504): the stream reader may retry the page with a smaller per_page. The client puts
// "last_cause=timeout" into Error::internal() for this.
bool last_cause_was_timeout(const Error &error);

class HttpClient {
public:
  HttpClient(std::unique_ptr<Transport> transport, std::unique_ptr<RequestSigner> auth,
             Origin origin, ClientOptions options, Clock &clock = system_clock());
  ~HttpClient();

  // Sends with retries. Returns the final response: a 2xx/3xx, or a status the classification
  // table says not to retry (401, 403, 404, 400, ...). Throws wc::Error(kTransient) naming
  // request.label and the last cause when retries or the time budget run out.
  Response send(Request request);
  // Same, and appends one AttemptRecord per attempt to *attempt_log (may be null), also when it
  // throws.
  Response send(Request request, std::vector<AttemptRecord> *attempt_log);
  // One attempt (budget and auth still apply): for `check` probes that must answer fast.
  Response send_once(Request request);

  void set_wait_observer(std::function<void(const WaitEvent &)> observer);
  // Told when the adaptive budget learns (or lowers) its rate, with the pushback's cause.
  void
  set_budget_observer(std::function<void(const LearnedRate &, const std::string &cause)> observer);
  // Adaptive budget: start under a rate learned by an earlier sync (from the state).
  void start_budget_from(const LearnedRate &rate);
  // The adaptive budget's rate, once learned (this sync) or given (start_budget_from).
  std::optional<LearnedRate> learned_rate() const;
  const Origin &origin() const;
  // The in-flight limit every attempt passes (nullptr when max_in_flight is 0): its current
  // width bounds how much work is worth queueing (pages fetched ahead).
  const InFlightLimit *in_flight() const;
  // Counters for summaries and benchmarks.
  std::int64_t requests_sent() const;
  std::int64_t rate_limited_responses() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace wc::http
