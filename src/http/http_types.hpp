#pragma once
// Plain values for one HTTP exchange. The transport outcome (connection refused, timeout, TLS)
// is kept apart from the HTTP status: a reset and a 503 are different facts for the retry policy.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/encoding.hpp"

namespace wc::http {

using Params = std::vector<std::pair<std::string, std::string>>;
using Headers = std::vector<std::pair<std::string, std::string>>;

enum class TransportError {
  kNone,
  kConnection, // refused, DNS failure, unreachable
  kTimeout,    // connect or read timeout
  kRead,       // reset or truncated body
  kWrite,
  kTls,       // handshake failure
  kTlsVerify, // certificate verification failed
  kProxy,
  kOther,
};

std::string_view to_string(TransportError error);

struct Response;

struct Request {
  std::string method = "GET";
  std::string path; // absolute path on the origin, e.g. "/shop/wp-json/wc/v3/orders"
  Params params;    // query parameters, unencoded; encoded by encode_target()
  Headers headers;  // extra headers
  std::string body; // for POST/PUT
  std::string content_type;
  // Free-form label used in logs and errors (e.g. the stream name); never sent.
  std::string label;
  // Optional: true when a 2xx body is unusable but may pass on retry (a bot challenge, an empty
  // body). Such an attempt is retried like a 5xx; when retries run out the response is returned
  // as is, so the caller can say what the page was.
  std::function<bool(const Response &)> retry_body;
  // Send without credentials (public probes), still inside the one request budget.
  bool anonymous = false;
  // A usable 2xx answer gives the in-flight limit a latency sample (the engine's page requests:
  // probes and small lookups, much faster than a page, would make every page look slow).
  bool samples_latency = false;
};

struct Response {
  int status = 0;
  Headers headers;
  std::string body;
  TransportError error = TransportError::kNone;
  std::string error_detail;
  double elapsed_ms = 0;

  bool transport_ok() const { return error == TransportError::kNone; }
  // Case-insensitive lookup of the first header with this name.
  std::optional<std::string> header(std::string_view name) const;
};

// A URL's port: decimal digits only, 1..65535. nullopt for anything else ("", "80x", "99999").
std::optional<int> parse_port(std::string_view text);

// RFC 3986 percent-encoding of everything but unreserved characters (core/encoding.hpp).
using wc::percent_encode;
using wc::percent_encode_query_value;
// "path?k=v&k2=v2" with keys and values percent-encoded ("[" and "]" included); "/" in values is
// left as is (RFC 3986 query), so "rest_route=/wc/v3/orders" reads as WordPress writes it.
std::string encode_target(const Request &request);

} // namespace wc::http
