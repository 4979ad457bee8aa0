// The connector's side of plain permalinks and application passwords, without a network:
// which URLs ApiClient builds (the route hint), how an application-password config is read, and
// what the user is told for each authentication failure.
#include <gtest/gtest.h>

#include "config/connector_config.hpp"
#include "core/error.hpp"
#include "core/redact.hpp"
#include "http/http_types.hpp"
#include "woocommerce/api_client.hpp"
#include "woocommerce/auth_failure.hpp"

namespace {

using wc::ConnectorConfig;
using wc::auth::AuthMethod;

constexpr const char *kPassword = "Demo Appl Pass 2024 Wooc Test";

class WooAuthTest : public ::testing::Test {
protected:
  void TearDown() override { wc::clear_secrets(); }
};

ConnectorConfig key_config(const std::string &method) {
  return wc::parse_config(R"({"store_url": "https://shop.example/shop", "consumer_key": "ck_k1",
                              "consumer_secret": "cs_s1", "auth_method": ")" +
                          method + "\"}");
}

ConnectorConfig app_config(const std::string &url = "https://shop.example") {
  return wc::parse_config(R"({"store_url": ")" + url +
                          R"(", "auth_method": "application_password",
                              "username": "shop-bot", "application_password": ")" +
                          kPassword + "\"}");
}

std::string target(const wc::woo::ApiClient &api) {
  return wc::http::encode_target(api.build_request("GET", "/orders", {{"per_page", "1"}}));
}

} // namespace

TEST_F(WooAuthTest, RestRouteUrlsCarryTheRouteHintWithApiKeys) {
  for (const char *method : {"basic", "query_string", "oauth1"}) {
    const ConnectorConfig cfg = key_config(method);
    wc::woo::ApiClient api(cfg, nullptr);
    EXPECT_TRUE(api.uses_route_hint()) << method;
    // Pretty permalinks: no hint needed, none sent.
    EXPECT_EQ(target(api), "/shop/wp-json/wc/v3/orders?per_page=1") << method;
    api.use_rest_route(true);
    EXPECT_EQ(target(api),
              "/shop/?rest_route=/wc/v3/orders&wc_route_hint=/wp-json/wc/v3/orders&per_page=1")
        << method;
    api.use_route_hint(false);
    EXPECT_EQ(target(api), "/shop/?rest_route=/wc/v3/orders&per_page=1") << method;
  }
}

TEST_F(WooAuthTest, ApplicationPasswordsGoWithoutTheHint) {
  const ConnectorConfig cfg = app_config();
  wc::woo::ApiClient api(cfg, nullptr);
  api.use_rest_route(true);
  EXPECT_FALSE(api.uses_route_hint());
  EXPECT_EQ(target(api), "/?rest_route=/wc/v3/orders&per_page=1");
}

TEST_F(WooAuthTest, ApplicationPasswordConfigNeedsNoApiKey) {
  const ConnectorConfig cfg = app_config();
  EXPECT_EQ(cfg.auth_method, AuthMethod::kApplicationPassword);
  EXPECT_EQ(cfg.username, "shop-bot");
  EXPECT_EQ(cfg.application_password, "DemoApplPass2024WoocTest"); // as WordPress compares it
  EXPECT_TRUE(cfg.consumer_key.empty());
  // Both forms are secrets from the moment the config is read.
  EXPECT_EQ(wc::redact(std::string("x ") + kPassword), "x **********");
  EXPECT_EQ(wc::redact("x DemoApplPass2024WoocTest"), "x **********");
}

TEST_F(WooAuthTest, ApplicationPasswordConfigErrors) {
  auto error_of = [](const std::string &text) -> std::string {
    try {
      wc::parse_config(text);
    } catch (const wc::Error &e) {
      EXPECT_EQ(e.type(), wc::FailureType::kConfig);
      return e.what();
    }
    return "accepted";
  };
  EXPECT_NE(error_of(R"({"store_url": "https://s.example", "auth_method": "application_password",
                         "application_password": "abcd efgh"})")
                .find("'username'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"store_url": "https://s.example", "auth_method": "application_password",
                         "username": "bot", "application_password": "  "})")
                .find("'application_password'"),
            std::string::npos);
  const std::string http = error_of(
      R"({"store_url": "http://s.example", "auth_method": "application_password",
          "username": "bot", "application_password": "Secr etPa ss00"})");
  EXPECT_NE(http.find("HTTPS"), std::string::npos) << http;
  EXPECT_EQ(http.find("Secr"), std::string::npos) << http;
  // API-key methods still need both halves of the key.
  EXPECT_NE(error_of(R"({"store_url": "https://s.example", "username": "bot",
                         "application_password": "abcd efgh"})")
                .find("'consumer_key'"),
            std::string::npos);
}

TEST_F(WooAuthTest, EveryApplicationPasswordFailureHasItsOwnAdvice) {
  const ConnectorConfig cfg = app_config();
  auto says = [&](int status, const char *code, bool rest_route = false) {
    auto m = wc::woo::explain_auth_failure(cfg, rest_route, status, code);
    EXPECT_TRUE(m.has_value()) << code;
    std::string text = m.value_or("");
    EXPECT_EQ(text.find("DemoApplPass"), std::string::npos);
    EXPECT_NE(text.find(code), std::string::npos) << text; // the store's own code is quoted
    return text;
  };
  EXPECT_NE(says(401, "incorrect_password").find("Application Passwords"), std::string::npos);
  EXPECT_NE(says(401, "invalid_username").find("'shop-bot'"), std::string::npos);
  EXPECT_NE(says(401, "application_passwords_disabled").find("security plugin"), std::string::npos);
  EXPECT_NE(says(401, "application_passwords_disabled_for_user").find("'shop-bot'"),
            std::string::npos);
  EXPECT_NE(says(403, "woocommerce_rest_cannot_view").find("Shop manager"), std::string::npos);
  EXPECT_NE(says(401, "woocommerce_rest_cannot_view", true).find("Authorization header"),
            std::string::npos);
  // Over plain http the same code means: HTTPS required.
  const ConnectorConfig local = app_config("http://127.0.0.1:8080");
  auto m = wc::woo::explain_auth_failure(local, false, 401, "application_passwords_disabled");
  ASSERT_TRUE(m);
  EXPECT_NE(m->find("only over HTTPS"), std::string::npos) << *m;
  EXPECT_FALSE(wc::woo::explain_auth_failure(cfg, false, 500, "incorrect_password"));
}

TEST_F(WooAuthTest, ApiKeysRefusedOnRestRouteAreExplained) {
  const ConnectorConfig cfg = key_config("basic");
  // Pretty permalinks: the caller's generic advice applies.
  EXPECT_FALSE(wc::woo::explain_auth_failure(cfg, false, 401, "woocommerce_rest_cannot_view"));
  EXPECT_FALSE(wc::woo::explain_auth_failure(cfg, true, 403, "woocommerce_rest_cannot_view"));
  for (const char *code : {"woocommerce_rest_cannot_view", "invalid_username"}) {
    auto m = wc::woo::explain_auth_failure(cfg, true, 401, code);
    ASSERT_TRUE(m) << code;
    EXPECT_NE(m->find("plain permalinks"), std::string::npos) << *m;
    EXPECT_NE(m->find("application_password"), std::string::npos) << *m;
    EXPECT_NE(m->find("Settings → Permalinks"), std::string::npos) << *m;
  }
  // A key WordPress then took for a user name: unknown key.
  auto m = wc::woo::explain_auth_failure(cfg, false, 401, "invalid_username");
  ASSERT_TRUE(m);
  EXPECT_NE(m->find("unknown"), std::string::npos) << *m;
}
