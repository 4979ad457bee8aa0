#include <gtest/gtest.h>

#include "http/error_classifier.hpp"
#include "http_test_support.hpp"

using namespace wc::http;
using wc::FailureType;
using wc::http::testing::make_response;
using wc::http::testing::transport_failure;

namespace {

void expect(const Response &r, Action action, FailureType type) {
  const auto c = classify(r);
  EXPECT_EQ(c.action, action) << describe_cause(r);
  if (action != Action::kSucceed) {
    EXPECT_EQ(c.failure_type, type) << describe_cause(r);
  }
}

} // namespace

TEST(ErrorClassifier, StatusTable) {
  for (int s : {200, 201, 204, 301, 302, 304}) {
    expect(make_response(s), Action::kSucceed, FailureType::kSystem);
  }
  expect(make_response(401), Action::kFail, FailureType::kConfig);
  expect(make_response(403), Action::kFail, FailureType::kConfig);
  expect(make_response(400), Action::kFail, FailureType::kSystem);
  expect(make_response(404), Action::kFail, FailureType::kSystem);
  expect(make_response(405), Action::kFail, FailureType::kSystem);
  expect(make_response(410), Action::kFail, FailureType::kSystem);
  for (int s : {408, 500, 502, 503, 504, 501, 520, 599}) {
    expect(make_response(s), Action::kRetry, FailureType::kTransient);
  }
  expect(make_response(429), Action::kRateLimited, FailureType::kTransient);
  expect(make_response(503, {{"Retry-After", "10"}}), Action::kRateLimited,
         FailureType::kTransient);
  expect(make_response(503, {{"retry-after", "10"}}), Action::kRateLimited,
         FailureType::kTransient);
  expect(make_response(100), Action::kFail, FailureType::kSystem);
}

TEST(ErrorClassifier, TransportTable) {
  for (auto e : {TransportError::kConnection, TransportError::kTimeout, TransportError::kRead,
                 TransportError::kWrite}) {
    expect(transport_failure(e), Action::kRetry, FailureType::kTransient);
  }
  expect(transport_failure(TransportError::kTls), Action::kFail, FailureType::kConfig);
  expect(transport_failure(TransportError::kTlsVerify), Action::kFail, FailureType::kConfig);
  expect(transport_failure(TransportError::kOther), Action::kFail, FailureType::kSystem);
}

TEST(ErrorClassifier, DescribeCause) {
  EXPECT_EQ(describe_cause(make_response(503)), "HTTP 503 Service Unavailable");
  EXPECT_EQ(describe_cause(make_response(299)), "HTTP 299");
  EXPECT_EQ(describe_cause(transport_failure(TransportError::kTimeout, "Read")), "timeout (Read)");
}
