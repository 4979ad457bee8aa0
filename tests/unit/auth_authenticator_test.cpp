#include <gtest/gtest.h>

#include <set>

#include "auth/authenticator.hpp"
#include "auth/crypto.hpp"
#include "auth/oauth1.hpp"
#include "core/error.hpp"
#include "core/redact.hpp"

using namespace wc::auth;
using wc::http::Origin;
using wc::http::Request;

namespace {

constexpr const char *kKey = "ck_test_key_0001";
constexpr const char *kSecret = "cs_secret_value_0002";

std::string param(const Request &r, const std::string &name) {
  for (const auto &[k, v] : r.params) {
    if (k == name) {
      return v;
    }
  }
  return "<missing>";
}

class AuthTest : public ::testing::Test {
protected:
  void TearDown() override { wc::clear_secrets(); }
};

} // namespace

TEST_F(AuthTest, BasicSetsAuthorizationHeader) {
  auto auth = make_authenticator(AuthMethod::kBasic, kKey, kSecret);
  Request r;
  r.headers = {{"authorization", "stale"}};
  auth->apply(r, Origin{"https", "shop.example", 443});
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Authorization");
  // printf 'ck_test_key_0001:cs_secret_value_0002' | base64
  EXPECT_EQ(r.headers[0].second, "Basic Y2tfdGVzdF9rZXlfMDAwMTpjc19zZWNyZXRfdmFsdWVfMDAwMg==");
  EXPECT_TRUE(r.params.empty());
  // Key, secret and the header token are all registered secrets.
  EXPECT_EQ(wc::redact(r.headers[0].second).find("Y2tfdGVz"), std::string::npos);
  EXPECT_EQ(wc::redact(std::string("x ") + kSecret), "x **********");
}

TEST_F(AuthTest, QueryStringAppendsCredentialsOnce) {
  auto auth = make_authenticator(AuthMethod::kQueryString, kKey, kSecret);
  Request r;
  r.params = {{"page", "1"}};
  auth->apply(r, Origin{});
  auth->apply(r, Origin{}); // a retry on the same request must not duplicate them
  ASSERT_EQ(r.params.size(), 3u);
  EXPECT_EQ(param(r, "consumer_key"), kKey);
  EXPECT_EQ(param(r, "consumer_secret"), kSecret);
  EXPECT_TRUE(r.headers.empty());
  EXPECT_EQ(wc::redact(wc::http::encode_target(r)).find(kSecret), std::string::npos);
}

TEST_F(AuthTest, EmptyCredentialsAreAConfigError) {
  try {
    make_authenticator(AuthMethod::kBasic, "", kSecret);
    FAIL();
  } catch (const wc::Error &e) {
    EXPECT_EQ(e.type(), wc::FailureType::kConfig);
  }
}

TEST_F(AuthTest, Base64AndHmacKnownAnswers) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  // RFC 4231 test case 2 (hex 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843).
  EXPECT_EQ(base64_encode(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
  auto nonce = random_alnum(32);
  EXPECT_EQ(nonce.size(), 32u);
  EXPECT_NE(nonce, random_alnum(32));
}

// Expected values computed independently of this C++ code, following WooCommerce's PHP
// (WC_REST_Authentication::check_oauth_signature / join_with_equals_sign), with Python:
//   enc = lambda s: urllib.parse.quote(s, safe='-._~')          # PHP rawurlencode
//   get = {'per_page':'100','modified_after':'2024-01-01T00:00:00','dates_are_gmt':'true',
//          'status':['processing','completed'], 'oauth_consumer_key':'ck_test_key_0001',
//          'oauth_nonce':'abcdefghijklmnopqrstuvwxyz012345',
//          'oauth_signature_method':'HMAC-SHA256','oauth_timestamp':'1700000000'}
//   parts = []   # sorted(get) == uksort(strcmp)
//   for k in sorted(get):
//     if list: parts += [enc(enc(k)+'%5B'+str(i)+'%5D='+enc(x)) for i, x in enumerate(v)]
//     else:    parts.append(enc(enc(k)+'='+enc(v)))
//   base = 'GET&'+enc('http://localhost:8080/wp-json/wc/v3/orders')+'&'+'%26'.join(parts)
//   base64.b64encode(hmac.new(b'cs_secret_value_0002&', base.encode(), hashlib.sha256).digest())
TEST_F(AuthTest, OAuth1SignatureMatchesIndependentVector) {
  OAuth1Authenticator auth(
      kKey, kSecret, [] { return std::string("abcdefghijklmnopqrstuvwxyz012345"); },
      [] { return std::int64_t{1700000000}; });
  Request r;
  r.path = "/wp-json/wc/v3/orders";
  r.params = {{"per_page", "100"},
              {"modified_after", "2024-01-01T00:00:00"},
              {"dates_are_gmt", "true"},
              {"status[]", "processing"},
              {"status[]", "completed"}};
  const Origin origin{"http", "localhost", 8080};
  auth.apply(r, origin);
  EXPECT_EQ(param(r, "oauth_consumer_key"), kKey);
  EXPECT_EQ(param(r, "oauth_signature_method"), "HMAC-SHA256");
  EXPECT_EQ(param(r, "oauth_timestamp"), "1700000000");
  EXPECT_EQ(param(r, "oauth_nonce"), "abcdefghijklmnopqrstuvwxyz012345");
  EXPECT_EQ(param(r, "oauth_signature"), "hMxs8t62QKiZsJ6hD4yCZOeWGlNsLtcSJUxqxLDfgbM=");
  wc::http::Params without_sig = r.params;
  std::erase_if(without_sig, [](const auto &p) { return p.first == "oauth_signature"; });
  EXPECT_EQ(oauth1_base_string("GET", origin, r.path, without_sig),
            "GET&http%3A%2F%2Flocalhost%3A8080%2Fwp-json%2Fwc%2Fv3%2Forders&dates_are_gmt%3Dtrue%"
            "26modified_after%3D2024-01-01T00%253A00%253A00%26oauth_consumer_key%3Dck_test_key_"
            "0001%26oauth_nonce%3Dabcdefghijklmnopqrstuvwxyz012345%26oauth_signature_method%"
            "3DHMAC-SHA256%26oauth_timestamp%3D1700000000%26per_page%3D100%26status%255B0%255D%"
            "3Dprocessing%26status%255B1%255D%3Dcompleted");
}

// Same recipe, plain permalinks on the default https port:
//   get2 = {'rest_route':'/wc/v3/products','page':'2', oauth_* with nonce 'N0nce'}
//   base = 'GET&'+enc('https://shop.example/')+'&'+...
TEST_F(AuthTest, OAuth1SignsQueryStringInPathAndOmitsDefaultPort) {
  OAuth1Authenticator auth(
      kKey, kSecret, [] { return std::string("N0nce"); }, [] { return std::int64_t{1700000000}; });
  Request r;
  r.path = "/?rest_route=/wc/v3/products";
  r.params = {{"page", "2"}};
  auth.apply(r, Origin{"https", "shop.example", 443});
  EXPECT_EQ(r.path, "/");
  EXPECT_EQ(param(r, "rest_route"), "/wc/v3/products");
  EXPECT_EQ(param(r, "oauth_signature"), "0XOWXhz8sDUgAXKI97OHZS0uKUbjy0KFaOS5cg5QNKQ=");
}

TEST_F(AuthTest, OAuth1UsesAFreshNonceEveryAttempt) {
  auto auth = make_authenticator(AuthMethod::kOAuth1, kKey, kSecret);
  const Request original = [] {
    Request r;
    r.path = "/wp-json/wc/v3/orders";
    r.params = {{"page", "1"}};
    return r;
  }();
  std::set<std::string> nonces;
  for (int i = 0; i < 20; ++i) {
    Request copy = original;
    auth->apply(copy, Origin{"http", "localhost", 8080});
    nonces.insert(param(copy, "oauth_nonce"));
    EXPECT_EQ(param(copy, "oauth_nonce").size(), 32u);
  }
  EXPECT_EQ(nonces.size(), 20u);
  // Re-applying to an already signed request replaces the oauth_* set instead of adding one.
  Request twice = original;
  auth->apply(twice, Origin{"http", "localhost", 8080});
  auth->apply(twice, Origin{"http", "localhost", 8080});
  int signatures = 0;
  for (const auto &[k, v] : twice.params) {
    signatures += k == "oauth_signature";
  }
  EXPECT_EQ(signatures, 1);
  // The secret never travels in an OAuth request.
  EXPECT_EQ(wc::http::encode_target(twice).find(kSecret), std::string::npos);
}

// Plain permalinks on WooCommerce 10.0.x: the route hint is a query parameter like any other, so
// OAuth 1.0a signs it. Same Python recipe as above, on the request ApiClient builds:
//   get3 = {'rest_route':'/wc/v3/orders','wc_route_hint':'/wp-json/wc/v3/orders','per_page':'1',
//           oauth_* with nonce 'N0nce'}
//   base = 'GET&'+enc('http://localhost:8080/')+'&'+...
TEST_F(AuthTest, OAuth1SignsTheRouteHint) {
  OAuth1Authenticator auth(
      kKey, kSecret, [] { return std::string("N0nce"); }, [] { return std::int64_t{1700000000}; });
  Request r;
  r.path = "/";
  r.params = {{"rest_route", "/wc/v3/orders"},
              {"wc_route_hint", "/wp-json/wc/v3/orders"},
              {"per_page", "1"}};
  const Origin origin{"http", "localhost", 8080};
  auth.apply(r, origin);
  wc::http::Params without_sig = r.params;
  std::erase_if(without_sig, [](const auto &p) { return p.first == "oauth_signature"; });
  EXPECT_EQ(oauth1_base_string("GET", origin, r.path, without_sig),
            "GET&http%3A%2F%2Flocalhost%3A8080%2F&oauth_consumer_key%3Dck_test_key_0001%26oauth_"
            "nonce%3DN0nce%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1700000000%"
            "26per_page%3D1%26rest_route%3D%252Fwc%252Fv3%252Forders%26wc_route_hint%3D%252Fwp-"
            "json%252Fwc%252Fv3%252Forders");
  EXPECT_EQ(param(r, "oauth_signature"), "ooEaJaCrcqMs/zW/+7KpC0R/cbdLJWDVtTuaQcDnzIo=");
  // On the wire the hint keeps its slashes: WooCommerce 10.0.x looks for "wp-json/wc/" in the
  // raw request URI.
  EXPECT_NE(wc::http::encode_target(r).find("wc_route_hint=/wp-json/wc/v3/orders"),
            std::string::npos);
}

TEST_F(AuthTest, ApplicationPasswordIsBasicWithTheSpacesRemoved) {
  for (const char *shown : {"Demo Appl Pass 2024 Wooc Test", "DemoApplPass2024WoocTest"}) {
    auto auth = make_authenticator(AuthMethod::kApplicationPassword, "demo-admin", shown);
    Request r;
    r.headers = {{"AUTHORIZATION", "stale"}};
    auth->apply(r, Origin{"https", "shop.example", 443});
    ASSERT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0].first, "Authorization");
    // printf 'demo-admin:DemoApplPass2024WoocTest' | base64
    EXPECT_EQ(r.headers[0].second, "Basic ZGVtby1hZG1pbjpEZW1vQXBwbFBhc3MyMDI0V29vY1Rlc3Q=");
    EXPECT_TRUE(r.params.empty());
    // The password in both forms and the header token are secrets; the user name is not.
    EXPECT_EQ(wc::redact(r.headers[0].second), "Basic **********");
    EXPECT_EQ(wc::redact(std::string("a ") + shown + " b"), "a ********** b");
    EXPECT_EQ(wc::redact("a DemoApplPass2024WoocTest b"), "a ********** b");
    EXPECT_EQ(wc::redact("user demo-admin"), "user demo-admin");
    wc::clear_secrets();
  }
  EXPECT_FALSE(uses_api_keys(AuthMethod::kApplicationPassword));
  EXPECT_TRUE(uses_api_keys(AuthMethod::kOAuth1));
  EXPECT_STREQ(to_string(AuthMethod::kApplicationPassword), "application_password");
}

TEST_F(AuthTest, EmptyApplicationPasswordIsAConfigError) {
  for (auto [user, password] : {std::pair{"", "abcd efgh"}, std::pair{"demo-admin", "   "}}) {
    try {
      make_authenticator(AuthMethod::kApplicationPassword, user, password);
      ADD_FAILURE() << "accepted user '" << user << "'";
    } catch (const wc::Error &e) {
      EXPECT_EQ(e.type(), wc::FailureType::kConfig);
    }
  }
}
