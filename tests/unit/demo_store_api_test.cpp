// Unit tests of the demo store (woo-demo-store) without sockets: requests go straight through
// handle_api_request(), the same function the HTTP servers call.
#include "core/time_util.hpp"
#include "demo_store/auth.hpp"
#include "demo_store/data_gen.hpp"
#include "demo_store/http_frontend.hpp"
#include "demo_store/list_query.hpp"
#include "demo_store/options.hpp"
#include "demo_store/rate_limit.hpp"
#include "demo_store/router.hpp"
#include "demo_store/runtime.hpp"
#include "demo_store/store.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <memory>

#include "core/encoding.hpp"

namespace {

using namespace wc::demo;
namespace json = boost::json;

struct Demo {
  explicit Demo(Options o = {}) : options(std::move(o)), store(options.wc_version) {
    generate(store, {options.seed, options.orders, options.products, options.customers,
                     options.coupons, options.bulk_second});
    runtime = std::make_unique<Runtime>(options, store);
    AppContext ctx{api, store, options, {}};
    register_route_index(ctx);
    register_rest_routes(ctx);
    register_control_routes(control, *runtime);
  }
  ApiResponse get(const std::string &target, bool https = true,
                  const std::string &auth = "Basic Y2tfZGVtb19rZXk6Y3NfZGVtb19zZWNyZXQ=") {
    ApiRequest r;
    r.method = "GET";
    r.path = target;
    r.https = https;
    r.scheme_host = https ? "https://127.0.0.1:8443" : "http://127.0.0.1:8080";
    if (!auth.empty()) {
      r.headers.emplace_back("Authorization", auth);
    }
    bool reset = false;
    return handle_api_request(*runtime, api, control, r, "", &reset);
  }
  ApiResponse post(const std::string &target, const std::string &body) {
    ApiRequest r;
    r.method = "POST";
    r.path = target;
    r.body = body;
    r.scheme_host = "http://127.0.0.1:8080";
    bool reset = false;
    return handle_api_request(*runtime, api, control, r, "", &reset);
  }
  Options options;
  Store store;
  std::unique_ptr<Runtime> runtime;
  Router api, control;
};

TEST(DemoStoreApi, GenerationIsDeterministicPerSeed) {
  Demo a, b;
  const auto ra = a.get("/wp-json/wc/v3/orders?per_page=20&page=3");
  const auto rb = b.get("/wp-json/wc/v3/orders?per_page=20&page=3");
  ASSERT_EQ(ra.status, 200);
  EXPECT_EQ(ra.body, rb.body);
  Options other;
  other.seed = 43;
  Demo c(other);
  EXPECT_NE(c.get("/wp-json/wc/v3/orders?per_page=20&page=3").body, ra.body);
}

TEST(DemoStoreApi, PagingHeadersAndPastTheEnd) {
  Demo d;
  const auto r = d.get("/wp-json/wc/v3/orders?per_page=100&page=2&consumer_key=x");
  ASSERT_EQ(r.status, 200);
  const auto total = std::stoi(r.header("X-WP-Total"));
  EXPECT_EQ(total, d.store.counts().at("orders").as_int64());
  EXPECT_EQ(r.header("X-WP-TotalPages"), std::to_string((total + 99) / 100));
  const std::string link = r.header("Link");
  EXPECT_NE(link.find("page=1"), std::string::npos);
  EXPECT_NE(link.find("rel=\"prev\""), std::string::npos);
  EXPECT_NE(link.find("consumer_key=x"), std::string::npos); // echoed like WordPress does
  const auto end = d.get("/wp-json/wc/v3/orders?per_page=100&page=50");
  EXPECT_EQ(end.status, 200);
  EXPECT_EQ(end.body, "[]");
  EXPECT_EQ(end.header("X-WP-Total"), std::to_string(total));
}

TEST(DemoStoreApi, PerPageOver100IsRejected) {
  Demo d;
  const auto r = d.get("/wp-json/wc/v3/products?per_page=101");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body).at("code"), "rest_invalid_param");
}

TEST(DemoStoreApi, ModifiedAfterIsStrictlyExclusive) {
  Demo d;
  const auto first =
      json::parse(d.get("/wp-json/wc/v3/orders?per_page=1&orderby=modified&order=asc").body);
  ASSERT_TRUE(first.is_array()) << first;
  ASSERT_FALSE(first.as_array().empty());
  const auto &o = first.as_array().at(0).as_object();
  const std::string gmt(o.at("date_modified_gmt").as_string());
  const std::int64_t id = o.at("id").as_int64();
  auto ids_after = [&](const std::string &q) {
    std::vector<std::int64_t> ids;
    const json::value page = json::parse(
        d.get("/wp-json/wc/v3/orders?per_page=100&orderby=modified&order=asc&" + q).body);
    for (const auto &x : page.as_array()) {
      ids.push_back(x.at("id").as_int64());
    }
    return ids;
  };
  auto at = ids_after("dates_are_gmt=true&modified_after=" + gmt);
  EXPECT_EQ(std::find(at.begin(), at.end(), id), at.end());
  const std::string before = wc::format_naive_utc(*wc::parse_utc(gmt) - 1);
  auto earlier = ids_after("dates_are_gmt=true&modified_after=" + before);
  EXPECT_NE(std::find(earlier.begin(), earlier.end(), id), earlier.end());
  // Without dates_are_gmt the value is site-local time.
  auto local = ids_after("modified_after=" + std::string(o.at("date_modified").as_string()));
  EXPECT_EQ(local, at);
}

TEST(DemoStoreApi, OldStoresIgnoreModifiedAfter) {
  Options old;
  old.wc_version = "5.7.0";
  Demo d(old);
  const auto r =
      d.get("/wp-json/wc/v3/orders?modified_after=2030-01-01T00:00:00&dates_are_gmt=true");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.header("X-WP-Total"), "0");
  EXPECT_EQ(d.get("/wp-json/wc/v3/refunds").status, 404); // needs WooCommerce 9.0
}

TEST(DemoStoreApi, AuthenticationLikeWooCommerce) {
  Demo d;
  // Right key, wrong secret.
  auto bad = d.get("/wp-json/wc/v3/orders", true, "Basic Y2tfZGVtb19rZXk6bm9wZQ==");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(json::parse(bad.body).at("code"), "woocommerce_rest_authentication_error");
  // Basic over plain HTTP is ignored -> anonymous.
  auto http = d.get("/wp-json/wc/v3/orders", false);
  EXPECT_EQ(http.status, 401);
  EXPECT_EQ(json::parse(http.body).at("code"), "woocommerce_rest_cannot_view");
  // Query-string credentials over HTTPS.
  EXPECT_EQ(d.get("/wp-json/wc/v3/orders?consumer_key=ck_demo_key&consumer_secret=cs_demo_secret",
                  true, "")
                .status,
            200);
  // Read-only key: 403 on manager-only routes.
  const std::string ro = "Basic Y2tfZGVtb19yZWFkb25seTpjc19kZW1vX3JlYWRvbmx5";
  EXPECT_EQ(d.get("/wp-json/wc/v3/orders", true, ro).status, 200);
  EXPECT_EQ(d.get("/wp-json/wc/v3/payment_gateways", true, ro).status, 403);
  // The route index is public.
  EXPECT_EQ(d.get("/wp-json/wc/v3", true, "").status, 200);
}

TEST(DemoStoreApi, OAuthSignatureBaseMatchesWooCommerce) {
  const std::string base =
      Authenticator::signature_base("GET", "http://127.0.0.1:8080/wp-json/wc/v3/orders",
                                    {{"per_page", "100"},
                                     {"status[0]", "any"},
                                     {"oauth_consumer_key", "ck_demo_key"},
                                     {"oauth_nonce", "abc"},
                                     {"oauth_signature_method", "HMAC-SHA256"},
                                     {"oauth_timestamp", "1793491200"},
                                     {"modified_after", "2026-11-20T10:00:00"}});
  EXPECT_EQ(
      base,
      "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fwp-json%2Fwc%2Fv3%2Forders&modified_after%3D2026-"
      "11-20T10%253A00%253A00%26oauth_consumer_key%3Dck_demo_key%26oauth_nonce%3Dabc%26oauth_"
      "signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1793491200%26per_page%3D100%26status%"
      "255B0%255D%3Dany");
  EXPECT_EQ(Authenticator::hmac_base64("HMAC-SHA256", "cs_demo_secret&", base),
            "h7HeAak5QWQTsai+6MjtRmLJCRlKRhMwt+rDnKYcfyo=");
}

TEST(DemoStoreApi, PlainPermalinksUseRestRoute) {
  Options o;
  o.plain_permalinks = true;
  o.rest_route_auth = "modern"; // API keys on a bare ?rest_route= URL (see the next tests)
  o.base_path = "/shop";
  Demo d(o);
  const auto html = d.get("/shop/wp-json/wc/v3/orders");
  EXPECT_EQ(html.status, 404);
  EXPECT_EQ(html.content_type.rfind("text/html", 0), 0u);
  const auto ok = d.get("/shop/?rest_route=/wc/v3/orders&per_page=5&page=2");
  EXPECT_EQ(ok.status, 200);
  EXPECT_NE(ok.header("Link").find("/shop/?rest_route=/wc/v3/orders&per_page=5&page=3"),
            std::string::npos);
}

namespace {

std::string basic(const std::string &user, const std::string &password) {
  return "Basic " + wc::base64_encode(user + ":" + password);
}

std::string code_of(const ApiResponse &r) {
  return std::string(json::parse(r.body).at("code").as_string());
}

// A one-legged OAuth 1.0a GET over plain http to "/" (plain permalinks), signed with the demo key.
std::string oauth_target(const std::vector<std::pair<std::string, std::string>> &query,
                         const std::string &raw_query) {
  auto params = query;
  params.insert(params.end(), {{"oauth_consumer_key", "ck_demo_key"},
                               {"oauth_nonce", "n" + std::to_string(std::rand())},
                               {"oauth_signature_method", "HMAC-SHA256"},
                               {"oauth_timestamp", std::to_string(std::time(nullptr))}});
  const std::string base = Authenticator::signature_base("GET", "http://127.0.0.1:8080/", params);
  const std::string sig = Authenticator::hmac_base64("HMAC-SHA256", "cs_demo_secret&", base);
  std::string target = "/?" + raw_query;
  for (std::size_t i = query.size(); i < params.size(); ++i) {
    target += "&" + params[i].first + "=" + rawurlencode(params[i].second);
  }
  return target + "&oauth_signature=" + rawurlencode(sig);
}

} // namespace

// WooCommerce 10.0.2 (the default): API keys count only when the raw request URI contains
// "wp-json/wc/"; one more parameter holding that text makes a ?rest_route= request work.
TEST(DemoStoreApi, RestRouteApiKeysNeedTheUriToNameWpJsonLike1002) {
  Options o;
  o.plain_permalinks = true;
  Demo d(o);
  const auto bare = d.get("/?rest_route=/wc/v3/orders&per_page=1");
  EXPECT_EQ(bare.status, 401);
  EXPECT_EQ(code_of(bare), "woocommerce_rest_cannot_view");
  EXPECT_EQ(
      d.get("/?rest_route=/wc/v3/orders&wc_route_hint=/wp-json/wc/v3/orders&per_page=1").status,
      200);
  // Any parameter will do, but only with the slashes as they are: the check reads the raw URI.
  EXPECT_EQ(d.get("/?rest_route=/wc/v3/orders&x=/wp-json/wc/v3/orders").status, 200);
  EXPECT_EQ(d.get("/?rest_route=/wc/v3/orders&x=%2Fwp-json%2Fwc%2Fv3%2Forders").status, 401);
  // Query-string keys alike.
  const std::string creds = "consumer_key=ck_demo_key&consumer_secret=cs_demo_secret";
  EXPECT_EQ(d.get("/?rest_route=/wc/v3/orders&" + creds, true, "").status, 401);
  EXPECT_EQ(
      d.get("/?rest_route=/wc/v3/orders&wc_route_hint=/wp-json/wc/v3/orders&" + creds, true, "")
          .status,
      200);
  // A wrong secret is not even looked at without the hint (anonymous), and refused with it.
  const std::string wrong = basic("ck_demo_key", "nope");
  EXPECT_EQ(code_of(d.get("/?rest_route=/wc/v3/orders", true, wrong)),
            "woocommerce_rest_cannot_view");
  EXPECT_EQ(
      code_of(d.get("/?rest_route=/wc/v3/orders&wc_route_hint=/wp-json/wc/v3/orders", true, wrong)),
      "woocommerce_rest_authentication_error");
  // OAuth 1.0a over http: the hint is signed like every other parameter.
  EXPECT_EQ(
      d.get(oauth_target({{"rest_route", "/wc/v3/orders"}}, "rest_route=/wc/v3/orders"), false, "")
          .status,
      401);
  EXPECT_EQ(d.get(oauth_target(
                      {{"rest_route", "/wc/v3/orders"}, {"wc_route_hint", "/wp-json/wc/v3/orders"}},
                      "rest_route=/wc/v3/orders&wc_route_hint=/wp-json/wc/v3/orders"),
                  false, "")
                .status,
            200);
}

TEST(DemoStoreApi, RestRouteApiKeysWorkBareOnNewerWooCommerce) {
  Options o;
  o.plain_permalinks = true;
  o.rest_route_auth = "modern";
  Demo d(o);
  EXPECT_EQ(d.get("/?rest_route=/wc/v3/orders&per_page=1").status, 200);
  EXPECT_EQ(
      d.get("/?rest_route=/wc/v3/orders&wc_route_hint=/wp-json/wc/v3/orders&per_page=1").status,
      200);
  EXPECT_EQ(
      d.get(oauth_target({{"rest_route", "/wc/v3/orders"}}, "rest_route=/wc/v3/orders"), false, "")
          .status,
      200);
}

TEST(DemoStoreApi, ApplicationPasswordsLikeWordPress) {
  Options o;
  o.plain_permalinks = true; // WordPress checks them on ?rest_route= too (no hint needed)
  Demo d(o);
  const std::string admin = basic("demo-admin", "Demo Appl Pass 2024 Wooc Test");
  EXPECT_EQ(d.get("/?rest_route=/wc/v3/orders&per_page=1", true, admin).status, 200);
  EXPECT_EQ(d.get("/?rest_route=/wc/v3/payment_gateways", true, admin).status, 200);
  EXPECT_EQ(
      d.get("/?rest_route=/wc/v3/orders", true, basic("demo-admin", "DemoApplPass2024WoocTest"))
          .status,
      200);
  const auto wrong = d.get("/?rest_route=/wc/v3/orders", true, basic("demo-admin", "abcd efgh"));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(code_of(wrong), "incorrect_password");
  const auto who = d.get("/?rest_route=/wc/v3/orders", true, basic("nobody", "abcd"));
  EXPECT_EQ(who.status, 401);
  EXPECT_EQ(code_of(who), "invalid_username");
  EXPECT_EQ(code_of(d.get("/?rest_route=/wc/v3/orders", true, basic("a@b.example", "abcd"))),
            "invalid_email");
  // Plain HTTP outside a "local" environment: the feature is unavailable.
  const auto http = d.get("/?rest_route=/wc/v3/orders", false, admin);
  EXPECT_EQ(http.status, 401);
  EXPECT_EQ(code_of(http), "application_passwords_disabled");
  // A logged-in user without shop rights: 403.
  const auto customer = d.get("/?rest_route=/wc/v3/orders", true,
                              basic("demo-customer", "Cust Omer Appl Pass 0000 0001"));
  EXPECT_EQ(customer.status, 403);
  EXPECT_EQ(code_of(customer), "woocommerce_rest_cannot_view");
}

TEST(DemoStoreApi, ApplicationPasswordsDisabledOrAllowedOverHttp) {
  Options off;
  off.app_passwords = false;
  Demo disabled(off);
  const std::string admin = basic("demo-admin", "Demo Appl Pass 2024 Wooc Test");
  const auto r = disabled.get("/wp-json/wc/v3/orders", true, admin);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(code_of(r), "application_passwords_disabled");
  EXPECT_EQ(disabled.get("/wp-json/wc/v3/orders").status, 200); // API keys unaffected
  Options local;
  local.wp_environment = "local";
  Demo allowed(local);
  EXPECT_EQ(allowed.get("/wp-json/wc/v3/orders", false, admin).status, 200);
}

TEST(DemoStoreApi, AuthenticationOptions) {
  const char *argv[] = {
      "woo-demo-store", "--rest-route-auth", "modern", "--no-app-passwords", "--wp-environment",
      "local",          "--app-user",        "bot",    "--app-password",     "abcd efgh"};
  const Options o = parse_options(10, const_cast<char **>(argv));
  EXPECT_EQ(o.rest_route_auth, "modern");
  EXPECT_FALSE(o.app_passwords);
  EXPECT_EQ(o.wp_environment, "local");
  EXPECT_EQ(o.app_user, "bot");
  EXPECT_EQ(o.app_password, "abcd efgh");
  const Options def = parse_options(1, const_cast<char **>(argv));
  EXPECT_EQ(def.rest_route_auth, "legacy"); // WooCommerce 10.0.2 unless told otherwise
  EXPECT_TRUE(def.app_passwords);
  const char *bad[] = {"woo-demo-store", "--rest-route-auth", "new"};
  EXPECT_THROW(parse_options(3, const_cast<char **>(bad)), std::invalid_argument);
}

TEST(DemoStoreApi, ControlsEditAndFireChanges) {
  Demo d;
  std::vector<Change> seen;
  d.store.add_change_listener([&](const Change &c) { seen.push_back(c); });
  d.post("/__control/clock", R"({"now":"2026-11-20T10:00:00","freeze":true})");
  d.post("/__control/edit", R"({"resource":"orders","ids":[1000]})");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].resource, "order");
  EXPECT_EQ(seen[0].event, "updated");
  EXPECT_EQ(seen[0].payload.at("date_modified_gmt"), "2026-11-20T10:00:00");
  const auto after =
      d.get("/wp-json/wc/v3/orders?dates_are_gmt=true&modified_after=2026-11-20T09:59:59");
  EXPECT_EQ(after.header("X-WP-Total"), "1");
  const auto before_notes = d.get("/wp-json/wc/v3/orders/1001").body;
  d.post("/__control/add_note", R"({"order_id":1001})");
  EXPECT_EQ(d.get("/wp-json/wc/v3/orders/1001").body, before_notes); // notes do not bump the order
  d.post("/__control/trash", R"({"resource":"products","ids":[100]})");
  EXPECT_EQ(seen.back().event, "deleted");
  EXPECT_EQ(d.get("/wp-json/wc/v3/products?include=100").body, "[]");
}

TEST(DemoStoreApi, RateLimitAnswers429AndCountsViolations) {
  RateLimit rl;
  rl.configure(2, 10);
  const auto t0 = RateLimit::Clock::now();
  EXPECT_FALSE(rl.admit(t0));
  EXPECT_FALSE(rl.admit(t0));
  auto retry = rl.admit(t0 + std::chrono::seconds(1));
  ASSERT_TRUE(retry);
  EXPECT_EQ(*retry, 9);
  EXPECT_EQ(rl.violations(), 0);
  rl.admit(t0 + std::chrono::seconds(3)); // still inside Retry-After
  EXPECT_EQ(rl.violations(), 1);
  EXPECT_FALSE(rl.admit(t0 + std::chrono::seconds(11)));
}

TEST(DemoStoreApi, FaultsAreDeterministic) {
  Demo d;
  auto run = [&] {
    d.post("/__control/faults", R"({"rate":0.5,"kinds":["500","empty"],"seed":3})");
    std::string statuses;
    for (int i = 0; i < 20; ++i) {
      const auto r = d.get("/wp-json/wc/v3/coupons");
      statuses += std::to_string(r.status) + (r.body.empty() ? "e," : ",");
    }
    return statuses;
  };
  const std::string a = run();
  EXPECT_EQ(a, run());
  EXPECT_NE(a.find("500"), std::string::npos);
  EXPECT_NE(a.find("e,"), std::string::npos);
}

} // namespace
