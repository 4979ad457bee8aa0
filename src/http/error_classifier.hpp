#pragma once
// The one table that says what a response means for the caller: succeed, retry after a backoff,
// wait for a rate limit, or fail now with a given Airbyte failure type.
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "http/http_types.hpp"

namespace wc::http {

enum class Action { kSucceed, kRetry, kRateLimited, kFail };

std::string_view to_string(Action action);

struct Classification {
  Action action = Action::kFail;
  FailureType failure_type = FailureType::kSystem; // meaningful for kFail (and on exhaustion)
};

// 2xx/3xx succeed; 401/403 fail config; 400/404 fail system; 408/500/502/503/504 retry; 429
// (and 503 carrying Retry-After) rate limited; other 4xx fail system; other 5xx retry.
// Transport errors: connection/timeout/read/write retry; TLS fails config; proxy fails config;
// anything else fails system.
Classification classify(const Response &response);

// Short human cause for logs and errors: "HTTP 503 Service Unavailable", "timeout (...)".
// Never contains a URL; the detail text is redacted.
std::string describe_cause(const Response &response);

} // namespace wc::http
