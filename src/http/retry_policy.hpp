#pragma once
// Decides, after one attempt, whether to stop or to try again and after how long. Pure: the
// random source (jitter) and the wall clock (HTTP-date Retry-After, RateLimit-Reset as a Unix
// time) are injected, so a decision is reproducible in tests.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "http/error_classifier.hpp"
#include "http/http_client.hpp"
#include "http/http_types.hpp"

namespace wc::http {

struct RetryDecision {
  // kSucceed / kFail: stop and hand the response back (or throw on kFail after retries). kRetry /
  // kRateLimited: wait `delay`, then try again.
  Action action = Action::kFail;
  std::chrono::milliseconds delay{0};
  FailureType failure_type = FailureType::kSystem;
  // Set when a retryable response is NOT retried: "retries exhausted", "time budget", or
  // "Retry-After of N s is longer than max_retry_after M s". Empty otherwise.
  std::string give_up_reason;
  bool server_requested = false; // delay came from Retry-After / RateLimit-* headers
  bool exhausted() const { return !give_up_reason.empty(); }
};

// Throws wc::Error(kConfig) for nonsense: negative retries, zero/negative backoff, max_backoff
// below initial_backoff, negative budgets, negative request budget, window <= 0 with a limit.
void validate(const ClientOptions &options);

// Delay the server asked for, from Retry-After (delta seconds or HTTP date),
// RateLimit-Retry-After (seconds) or RateLimit-Reset (seconds, or a Unix time when > 1e9).
// Past dates give 0. nullopt when no usable header.
std::optional<std::chrono::milliseconds> server_delay(const Response &response,
                                                      std::int64_t now_unix_seconds);

class RetryPolicy {
public:
  using Random = std::function<double()>;          // uniform in [0, 1)
  using WallClock = std::function<std::int64_t()>; // Unix seconds
  explicit RetryPolicy(ClientOptions options, Random random = {}, WallClock wall = {});

  // `attempt` is the 0-based index of the attempt that produced `response`; `elapsed` is the
  // time spent on this request so far (all attempts and waits).
  RetryDecision decide(int attempt, std::chrono::milliseconds elapsed,
                       const Response &response) const;
  // Full jitter: uniform in [0, min(max_backoff, initial_backoff * 2^attempt)].
  std::chrono::milliseconds backoff(int attempt) const;
  const ClientOptions &options() const { return options_; }

private:
  ClientOptions options_;
  Random random_;
  WallClock wall_;
};

} // namespace wc::http
