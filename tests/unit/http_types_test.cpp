#include <gtest/gtest.h>

#include "http/http_types.hpp"

using namespace wc::http;

TEST(HttpTypes, HeaderLookupIsCaseInsensitive) {
  Response r;
  r.headers = {{"Content-Type", "application/json"}, {"X-WP-Total", "12"}, {"x-wp-total", "13"}};
  EXPECT_EQ(r.header("content-type").value(), "application/json");
  EXPECT_EQ(r.header("X-WP-TOTAL").value(), "12"); // the first one wins
  EXPECT_FALSE(r.header("Retry-After").has_value());
}

TEST(HttpTypes, PercentEncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percent_encode("a b+c/d:e&f=g"), "a%20b%2Bc%2Fd%3Ae%26f%3Dg");
  EXPECT_EQ(percent_encode("status[]"), "status%5B%5D");
  EXPECT_EQ(percent_encode("\xC3\xA9"), "%C3%A9");
  EXPECT_EQ(percent_encode(""), "");
}

TEST(HttpTypes, EncodeTargetJoinsParams) {
  Request req;
  req.path = "/shop/wp-json/wc/v3/orders";
  req.params = {
      {"per_page", "100"}, {"modified_after", "2024-01-01T00:00:00"}, {"status[]", "any"}};
  EXPECT_EQ(encode_target(req), "/shop/wp-json/wc/v3/orders?per_page=100&modified_after=2024-01-"
                                "01T00%3A00%3A00&status%5B%5D=any");
  req.params.clear();
  EXPECT_EQ(encode_target(req), "/shop/wp-json/wc/v3/orders");
  req.path = "/?rest_route=/wc/v3/orders";
  req.params = {{"page", "2"}};
  EXPECT_EQ(encode_target(req), "/?rest_route=/wc/v3/orders&page=2");
}

TEST(HttpTypes, EncodeTargetKeepsSlashesInValues) {
  // WordPress writes ?rest_route=/wc/v3/... itself, and WooCommerce 10.0.x looks for
  // "wp-json/wc/" in the raw request URI: "/" stays as is in query values, nowhere else.
  Request req;
  req.path = "/shop/";
  req.params = {{"rest_route", "/wc/v3/orders"},
                {"wc_route_hint", "/wp-json/wc/v3/orders"},
                {"a/b", "c d/e?f"}};
  EXPECT_EQ(encode_target(req), "/shop/?rest_route=/wc/v3/orders&wc_route_hint=/wp-json/wc/v3/"
                                "orders&a%2Fb=c%20d/e%3Ff");
  EXPECT_EQ(percent_encode_query_value("a/b:c"), "a/b%3Ac");
}

TEST(HttpTypes, TransportErrorNames) {
  EXPECT_EQ(to_string(TransportError::kTimeout), "timeout");
  EXPECT_NE(to_string(TransportError::kTlsVerify).find("verification"), std::string_view::npos);
  EXPECT_EQ(to_string(TransportError::kNone), "none");
}
