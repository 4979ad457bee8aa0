#include "http/pushback.hpp"

#include <cctype>
#include <charconv>

#include "http/error_classifier.hpp"
#include "http/retry_policy.hpp"

namespace wc::http {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<long long> whole_number(std::string_view s) {
  s = trim(s);
  long long v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < 0) {
    return std::nullopt;
  }
  return v;
}

int clamp_int(long long v) { return static_cast<int>(std::min<long long>(v, 1'000'000)); }

// RateLimit-Limit: 25 (or "25, 25;w=10" in older drafts: the first number) and RateLimit-Policy:
// 25;w=10 (IETF draft): the quota and its window.
void read_limit_headers(const Response &r, Pushback &p) {
  if (auto v = r.header("RateLimit-Limit")) {
    std::string_view s = *v;
    s = s.substr(0, s.find_first_of(",;"));
    if (auto n = whole_number(s); n && *n > 0) {
      p.limit = clamp_int(*n);
    }
  }
  if (auto v = r.header("RateLimit-Policy")) {
    std::string_view s = *v;
    s = s.substr(0, s.find(',')); // the first policy
    const auto semi = s.find(';');
    if (auto n = whole_number(s.substr(0, semi)); n && *n > 0 && semi != std::string_view::npos) {
      const auto w = s.find("w=", semi);
      if (w != std::string_view::npos) {
        auto rest = s.substr(w + 2);
        if (auto secs = whole_number(rest.substr(0, rest.find(';'))); secs && *secs > 0) {
          p.limit = clamp_int(*n);
          p.window_seconds = clamp_int(*secs);
        }
      }
    }
  }
}

} // namespace

bool is_html_403(const Response &r) {
  if (!r.transport_ok() || r.status != 403) {
    return false;
  }
  if (auto ct = r.header("Content-Type")) {
    std::string lower;
    for (char c : *ct) {
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (lower.find("html") != std::string::npos) {
      return true;
    }
    if (lower.find("json") != std::string::npos) {
      return false;
    }
  }
  const auto body = trim(std::string_view(r.body).substr(0, 512));
  return !body.empty() && body.front() == '<';
}

Pushback detect_pushback(const Response &r, std::int64_t now_unix) {
  Pushback p;
  if (!r.transport_ok()) {
    if (r.error == TransportError::kConnection || r.error == TransportError::kRead ||
        r.error == TransportError::kWrite) {
      p.kind = PushbackKind::kOverload;
      p.cause = describe_cause(r);
    }
    return p;
  }
  read_limit_headers(r, p);
  p.delay = server_delay(r, now_unix);
  const int s = r.status;
  if (s == 429) {
    p.kind = PushbackKind::kRateLimit;
  } else if (s == 503 || s == 508) {
    p.kind = p.delay ? PushbackKind::kRateLimit : PushbackKind::kOverload;
  } else if (is_html_403(r)) {
    p.kind = PushbackKind::kRateLimit;
    p.cause = "HTTP 403 with an HTML page (firewall or bot challenge)";
    return p;
  } else if (s >= 200 && s < 300) {
    if (auto v = r.header("RateLimit-Remaining"); v && whole_number(*v) == 0LL) {
      p.kind = PushbackKind::kRateLimit;
      p.admitted = true;
      p.cause = "RateLimit-Remaining: 0";
    }
    return p;
  }
  if (p.kind != PushbackKind::kNone) {
    p.cause = describe_cause(r);
  }
  return p;
}

} // namespace wc::http
