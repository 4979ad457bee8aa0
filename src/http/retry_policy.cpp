#include "http/retry_policy.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <random>

#include "core/time_util.hpp"

namespace wc::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Non-negative decimal number of seconds (fractions allowed); nullopt otherwise.
std::optional<double> parse_seconds(std::string_view text) {
  text = trim(text);
  if (text.empty()) {
    return std::nullopt;
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value) || value < 0) {
    return std::nullopt;
  }
  return value;
}

milliseconds from_seconds(double s) {
  constexpr double kMaxSeconds = 10.0 * 365 * 86400; // clamp absurd values (still > any budget)
  return milliseconds(static_cast<std::int64_t>(std::llround(std::min(s, kMaxSeconds) * 1000.0)));
}

double default_random() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

std::int64_t default_wall() { return now_millis() / 1000; }

} // namespace

void validate(const ClientOptions &o) {
  auto fail = [](const std::string &what) {
    throw Error(FailureType::kConfig, "invalid HTTP client settings: " + what);
  };
  if (o.max_retries < 0 || o.max_retries > 100) {
    fail("max_retries must be between 0 and 100");
  }
  if (o.max_retry_time.count() < 0) {
    fail("max_retry_time must not be negative");
  }
  if (o.initial_backoff.count() <= 0) {
    fail("initial_backoff must be positive");
  }
  if (o.max_backoff < o.initial_backoff) {
    fail("max_backoff must be at least initial_backoff");
  }
  if (o.max_retry_after.count() < 0) {
    fail("max_retry_after must not be negative");
  }
  if (o.requests_per_window < 0) {
    fail("requests_per_window must not be negative (0 = unlimited)");
  }
  if (o.requests_per_window > 0 && o.window_seconds <= 0) {
    fail("window_seconds must be positive when requests_per_window is set");
  }
}

std::optional<milliseconds> server_delay(const Response &response, std::int64_t now_unix) {
  if (auto v = response.header("Retry-After")) {
    if (auto s = parse_seconds(*v)) {
      return from_seconds(*s);
    }
    if (auto t = parse_http_date(trim(*v))) {
      return from_seconds(static_cast<double>(std::max<std::int64_t>(0, *t - now_unix)));
    }
  }
  if (auto v = response.header("RateLimit-Retry-After")) {
    if (auto s = parse_seconds(*v)) {
      return from_seconds(*s);
    }
  }
  if (auto v = response.header("RateLimit-Reset")) {
    if (auto s = parse_seconds(*v)) {
      if (*s > 1e9) { // a Unix time (WooCommerce Store API style)
        return from_seconds(std::max(0.0, *s - static_cast<double>(now_unix)));
      }
      return from_seconds(*s); // delta seconds (IETF draft style)
    }
  }
  return std::nullopt;
}

RetryPolicy::RetryPolicy(ClientOptions options, Random random, WallClock wall)
    : options_(options), random_(random ? std::move(random) : Random(default_random)),
      wall_(wall ? std::move(wall) : WallClock(default_wall)) {
  validate(options_);
}

milliseconds RetryPolicy::backoff(int attempt) const {
  const double base = static_cast<double>(options_.initial_backoff.count());
  const double cap = static_cast<double>(options_.max_backoff.count());
  const double ceiling = std::min(cap, base * std::pow(2.0, std::clamp(attempt, 0, 62)));
  double r = random_();
  r = std::clamp(r, 0.0, 1.0);
  return milliseconds(static_cast<std::int64_t>(std::llround(r * ceiling)));
}

RetryDecision RetryPolicy::decide(int attempt, milliseconds elapsed,
                                  const Response &response) const {
  const Classification c = classify(response);
  RetryDecision d;
  d.action = c.action;
  d.failure_type = c.failure_type;
  if (c.action == Action::kSucceed || c.action == Action::kFail) {
    return d;
  }
  d.failure_type = FailureType::kTransient;
  const auto hinted = server_delay(response, wall_());
  if (hinted) {
    d.server_requested = true;
    d.delay = *hinted;
    if (*hinted > std::chrono::duration_cast<milliseconds>(options_.max_retry_after)) {
      d.give_up_reason = "the server asked to wait " +
                         std::to_string((hinted->count() + 999) / 1000) +
                         " s, longer than max_retry_after (" +
                         std::to_string(options_.max_retry_after.count()) + " s)";
      return d;
    }
  } else {
    d.delay = backoff(attempt);
    if (c.action == Action::kRateLimited) {
      // A 429 without a hint: never hammer right back.
      d.delay = std::max(d.delay, options_.initial_backoff);
    }
  }
  if (attempt >= options_.max_retries) {
    d.give_up_reason =
        "retries exhausted (max_retries " + std::to_string(options_.max_retries) + ")";
    return d;
  }
  if (elapsed + d.delay > std::chrono::duration_cast<milliseconds>(options_.max_retry_time)) {
    d.give_up_reason = "the next wait of " + std::to_string((d.delay.count() + 999) / 1000) +
                       " s would exceed the retry time budget (max_retry_time " +
                       std::to_string(options_.max_retry_time.count()) + " s)";
    return d;
  }
  return d;
}

} // namespace wc::http
