#pragma once
// What a response says about the host's tolerance of our request rate, beyond retry/fail: a
// rate-limit signal (429, Retry-After, RateLimit-Remaining: 0, a 403 firewall/challenge page) or
// an overload signal (503/508 without a hint, a dropped connection; the client adds a 2xx whose
// body the caller could not use, e.g. an HTML challenge page). The adaptive request budget
// (rate_limiter) learns a rate from these. Latency is not judged here: the in-flight limit
// (in_flight_limit) narrows when latency rises.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "http/http_types.hpp"

namespace wc::http {

enum class PushbackKind {
  kNone,
  kRateLimit, // the host limits our rate: learn at once
  kOverload,  // the host may be overloaded (or a one-off glitch): learn when it repeats
};

struct Pushback {
  PushbackKind kind = PushbackKind::kNone;
  // The response itself was served (RateLimit-Remaining: 0 on a 2xx): this request counted.
  bool admitted = false;
  // The wait the host asked for (Retry-After, RateLimit-Retry-After, RateLimit-Reset).
  std::optional<std::chrono::milliseconds> delay;
  int limit = 0;          // RateLimit-Limit (or RateLimit-Policy's quota); 0 = not given
  int window_seconds = 0; // RateLimit-Policy's w=; 0 = not given
  std::string cause;      // "HTTP 429 Too Many Requests", "RateLimit-Remaining: 0", ...
  explicit operator bool() const { return kind != PushbackKind::kNone; }
};

// Reads the signals of one response. `now_unix` resolves RateLimit-Reset / HTTP-date hints.
Pushback detect_pushback(const Response &response, std::int64_t now_unix);

// A 403 whose body is an HTML page (a WAF, bot challenge or security plugin), not WooCommerce's
// JSON error.
bool is_html_403(const Response &response);

} // namespace wc::http
