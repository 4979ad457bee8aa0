#include "http/error_classifier.hpp"

#include "core/redact.hpp"

namespace wc::http {
namespace {

std::string_view reason_phrase(int status) {
  switch (status) {
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 403:
    return "Forbidden";
  case 404:
    return "Not Found";
  case 408:
    return "Request Timeout";
  case 429:
    return "Too Many Requests";
  case 500:
    return "Internal Server Error";
  case 501:
    return "Not Implemented";
  case 502:
    return "Bad Gateway";
  case 503:
    return "Service Unavailable";
  case 504:
    return "Gateway Timeout";
  case 508:
    return "Resource Limit Is Reached";
  default:
    return "";
  }
}

Classification classify_transport(TransportError error) {
  switch (error) {
  case TransportError::kConnection:
  case TransportError::kTimeout:
  case TransportError::kRead:
  case TransportError::kWrite:
    return {Action::kRetry, FailureType::kTransient};
  case TransportError::kTls:
  case TransportError::kTlsVerify:
  case TransportError::kProxy:
    return {Action::kFail, FailureType::kConfig};
  case TransportError::kNone:
  case TransportError::kOther:
    break;
  }
  return {Action::kFail, FailureType::kSystem};
}

} // namespace

std::string_view to_string(Action action) {
  switch (action) {
  case Action::kSucceed:
    return "succeed";
  case Action::kRetry:
    return "retry";
  case Action::kRateLimited:
    return "rate_limited";
  case Action::kFail:
    return "fail";
  }
  return "fail";
}

Classification classify(const Response &response) {
  if (!response.transport_ok()) {
    return classify_transport(response.error);
  }
  const int s = response.status;
  if (s >= 200 && s < 400) {
    return {Action::kSucceed, FailureType::kSystem};
  }
  switch (s) {
  case 401:
  case 403:
    return {Action::kFail, FailureType::kConfig};
  case 400:
  case 404:
    return {Action::kFail, FailureType::kSystem};
  case 429:
    return {Action::kRateLimited, FailureType::kTransient};
  case 503:
    if (response.header("Retry-After")) {
      return {Action::kRateLimited, FailureType::kTransient};
    }
    return {Action::kRetry, FailureType::kTransient};
  case 408:
  case 500:
  case 502:
  case 504:
    return {Action::kRetry, FailureType::kTransient};
  default:
    break;
  }
  if (s >= 500 && s < 600) {
    return {Action::kRetry, FailureType::kTransient};
  }
  // Other 4xx, 1xx and nonsense statuses.
  return {Action::kFail, FailureType::kSystem};
}

std::string describe_cause(const Response &response) {
  if (!response.transport_ok()) {
    std::string out(to_string(response.error));
    if (!response.error_detail.empty()) {
      out += " (" + redact(response.error_detail) + ")";
    }
    return out;
  }
  std::string out = "HTTP " + std::to_string(response.status);
  auto phrase = reason_phrase(response.status);
  if (!phrase.empty()) {
    out += ' ';
    out += phrase;
  }
  return out;
}

} // namespace wc::http
