#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/error.hpp"
#include "core/redact.hpp"
#include "woocommerce/response_body.hpp"

using wc::FailureType;
using wc::http::Response;
using wc::woo::describe_error_body;
using wc::woo::parse_json_body;

namespace {

Response body(std::string text, int status = 200) {
  Response r;
  r.status = status;
  r.body = std::move(text);
  return r;
}

struct Warnings {
  std::vector<std::string> seen;
  std::function<void(std::string_view)> fn() {
    return [this](std::string_view w) { seen.emplace_back(w); };
  }
};

wc::Error expect_error(const Response &r) {
  try {
    Warnings w;
    auto v = parse_json_body(r, "orders", w.fn());
    ADD_FAILURE() << "parsed garbage into " << boost::json::serialize(v);
  } catch (const wc::Error &e) {
    return e;
  }
  return wc::Error(FailureType::kSystem, "none");
}

} // namespace

TEST(ResponseBody, ValidJson) {
  Warnings w;
  auto v = parse_json_body(body("[{\"id\":1}]"), "orders", w.fn());
  ASSERT_TRUE(v.is_array());
  EXPECT_EQ(v.as_array().size(), 1u);
  EXPECT_TRUE(w.seen.empty());
  EXPECT_TRUE(parse_json_body(body("[]"), "orders", w.fn()).as_array().empty());
}

TEST(ResponseBody, StripsUtf8Bom) {
  Warnings w;
  auto v = parse_json_body(body("\xEF\xBB\xBF\xEF\xBB\xBF{\"id\":7}\n"), "orders", w.fn());
  EXPECT_EQ(v.at("id").as_int64(), 7);
  EXPECT_TRUE(w.seen.empty());
}

TEST(ResponseBody, RecoversJsonAfterPhpNotice) {
  Warnings w;
  auto v = parse_json_body(
      body("<br />\n<b>Notice</b>:  Undefined index: fee [line] in <b>/var/www/html/wp-content/"
           "plugins/fancy-fees/fees.php</b> on line <b>12</b><br />\n[{\"id\":1},{\"id\":2}]"),
      "orders", w.fn());
  ASSERT_TRUE(v.is_array());
  EXPECT_EQ(v.as_array().size(), 2u);
  ASSERT_EQ(w.seen.size(), 1u);
  EXPECT_NE(w.seen[0].find("PHP Notice before the JSON"), std::string::npos) << w.seen[0];
  EXPECT_NE(w.seen[0].find("plugin fancy-fees"), std::string::npos) << w.seen[0];
  EXPECT_NE(w.seen[0].find("WP_DEBUG_DISPLAY"), std::string::npos);

  Warnings w2;
  auto v2 =
      parse_json_body(body("Deprecated: Function create_function() is deprecated in "
                           "/srv/wp-content/themes/oldtheme/functions.php on line 3\n{\"a\":1}"),
                      "orders", w2.fn());
  EXPECT_EQ(v2.at("a").as_int64(), 1);
  ASSERT_EQ(w2.seen.size(), 1u);
  EXPECT_NE(w2.seen[0].find("theme oldtheme"), std::string::npos) << w2.seen[0];
}

TEST(ResponseBody, PhpNoticeAfterJsonIsTolerated) {
  Warnings w;
  auto v = parse_json_body(body("[1,2]\n<br />\n<b>Warning</b>:  Cannot modify header information"),
                           "orders", w.fn());
  EXPECT_EQ(v.as_array().size(), 2u);
  ASSERT_EQ(w.seen.size(), 1u);
  EXPECT_NE(w.seen[0].find("PHP Warning after the JSON"), std::string::npos);
}

TEST(ResponseBody, FatalErrorIsAnError) {
  auto e = expect_error(body("<br />\n<b>Fatal error</b>:  Allowed memory size of 134217728 bytes "
                             "exhausted in /x/wp-content/plugins/big/a.php on line 5<br />",
                             500));
  EXPECT_EQ(e.type(), FailureType::kTransient);
  EXPECT_NE(std::string(e.what()).find("Fatal error"), std::string::npos);
  EXPECT_NE(std::string(e.what()).find("plugin big"), std::string::npos) << e.what();
}

TEST(ResponseBody, HtmlPagesSayWhatTheyAre) {
  auto cf = expect_error(body("<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
                              "<body>Checking your browser</body></html>",
                              403));
  EXPECT_EQ(cf.type(), FailureType::kConfig);
  EXPECT_NE(std::string(cf.what()).find("allowlist"), std::string::npos) << cf.what();
  EXPECT_NE(std::string(cf.what()).find("Just a moment"), std::string::npos);

  auto maint =
      expect_error(body("<!DOCTYPE html><html><head><title>Maintenance</title></head><body>"
                        "Briefly unavailable for scheduled maintenance.</body></html>",
                        503));
  EXPECT_EQ(maint.type(), FailureType::kTransient);
  EXPECT_NE(std::string(maint.what()).find("maintenance mode"), std::string::npos);

  auto login = expect_error(body("<!DOCTYPE html><html><head><title>Log In &lsaquo; Shop</title>"
                                 "</head><body><form name=\"loginform\" action=\"https://shop/"
                                 "wp-login.php\"></form></body></html>"));
  EXPECT_EQ(login.type(), FailureType::kConfig);
  EXPECT_NE(std::string(login.what()).find("login page"), std::string::npos);

  auto other = expect_error(body("<html><head><title>Welcome to nginx!</title></head></html>"));
  EXPECT_NE(std::string(other.what()).find("HTML page instead of JSON"), std::string::npos);
  EXPECT_NE(std::string(other.what()).find("orders: "), std::string::npos);
}

TEST(ResponseBody, EmptyAndGarbageNeverBecomeEmptyArrays) {
  auto empty = expect_error(body(""));
  EXPECT_EQ(empty.type(), FailureType::kTransient);
  EXPECT_NE(std::string(empty.what()).find("empty response body"), std::string::npos);
  auto bom_only = expect_error(body("\xEF\xBB\xBF \n"));
  EXPECT_NE(std::string(bom_only.what()).find("empty response body"), std::string::npos);

  auto cut = expect_error(body("[{\"id\":1},{\"id\""));
  EXPECT_EQ(cut.type(), FailureType::kTransient);
  EXPECT_NE(std::string(cut.what()).find("not valid JSON"), std::string::npos);

  auto trailing = expect_error(body("[1] and then some"));
  EXPECT_EQ(trailing.type(), FailureType::kTransient);
}

TEST(ResponseBody, SecretsAreRedactedInErrors) {
  wc::register_secret("cs_verysecretvalue");
  auto e = expect_error(body("oops cs_verysecretvalue leaked " + std::string(300, 'x')));
  const std::string msg = e.what();
  EXPECT_EQ(msg.find("cs_verysecretvalue"), std::string::npos);
  EXPECT_NE(msg.find(std::string(wc::kRedacted)), std::string::npos);
  EXPECT_LT(msg.size(), 400u); // only the first 200 characters are quoted
  EXPECT_EQ(describe_error_body(body("cs_verysecretvalue")).find("cs_verysecretvalue"),
            std::string::npos);
  wc::clear_secrets();
}

TEST(ResponseBody, DescribeErrorBody) {
  EXPECT_EQ(describe_error_body(body("{\"code\":\"woocommerce_rest_cannot_view\",\"message\":"
                                     "\"Sorry, you cannot list resources.\",\"data\":{\"status\":"
                                     "401}}",
                                     401)),
            "woocommerce_rest_cannot_view: Sorry, you cannot list resources.");
  EXPECT_EQ(describe_error_body(body("")), "empty body");
  EXPECT_EQ(describe_error_body(body("<html><head><title>403 Forbidden</title></head></html>")),
            "an HTML page titled \"403 Forbidden\"");
  EXPECT_EQ(describe_error_body(body("\xEF\xBB\xBFNotice: x\n{\"code\":\"c\",\"message\":\"m\"}")),
            "c: m");
}
