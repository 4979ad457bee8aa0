#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/error.hpp"
#include "webhook/subscriptions.hpp"

using namespace wc::webhook;

TEST(WebhookSubscriptions, DefaultTopicsCoverFourResourcesAndFourEvents) {
  auto t = default_topics();
  ASSERT_EQ(t.size(), 16u);
  EXPECT_EQ(t.front(), "order.created");
  EXPECT_EQ(t.back(), "coupon.restored");
}

TEST(WebhookSubscriptions, ParseTopicsValidates) {
  auto t = parse_topics(" order.updated, product.deleted,order.updated ");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[1], "product.deleted");
  EXPECT_THROW(parse_topics("order.shipped"), wc::Error);
  EXPECT_THROW(parse_topics("action.woocommerce_x"), wc::Error);
  EXPECT_THROW(parse_topics(","), wc::Error);
}

TEST(WebhookSubscriptions, OnlyOurWebhooksAreListed) {
  auto all = boost::json::parse(R"([
    {"id":1,"name":"source-woocommerce: order.updated","status":"active","topic":"order.updated",
     "delivery_url":"https://hooks.example.com/wc"},
    {"id":2,"name":"Zapier","status":"active","topic":"order.updated",
     "delivery_url":"https://hooks.zapier.com/x"},
    {"id":3,"name":"source-woocommerce: order.created","status":"disabled",
     "topic":"order.created","delivery_url":"https://hooks.example.com/wc/"}
  ])")
                 .as_array();
  auto ours = our_webhooks(all);
  ASSERT_EQ(ours.size(), 2u);
  EXPECT_EQ(ours[0].id, 1);
  EXPECT_EQ(ours[1].status, "disabled");

  auto plan = plan_registration(ours, {"order.updated", "order.created", "order.deleted"},
                                "https://HOOKS.example.com/wc");
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].action, PlanAction::kKeep);
  EXPECT_EQ(plan[0].existing_id, 1);
  EXPECT_EQ(plan[1].action, PlanAction::kReactivate);
  EXPECT_EQ(plan[1].existing_id, 3);
  EXPECT_EQ(plan[2].action, PlanAction::kCreate);
  // Another delivery URL: everything is new.
  for (const auto &s : plan_registration(ours, {"order.updated"}, "https://other.example/wc")) {
    EXPECT_EQ(s.action, PlanAction::kCreate);
  }
}

TEST(WebhookSubscriptions, DeliveryUrlWarnings) {
  EXPECT_TRUE(delivery_url_warnings("https://203.0.113.9/webhooks/woocommerce", false).empty());
  EXPECT_TRUE(delivery_url_warnings("https://203.0.113.9:8080/h", false).empty());
  EXPECT_EQ(delivery_url_warnings("https://203.0.113.9:8000/h", false).size(), 1u);
  EXPECT_EQ(delivery_url_warnings("https://127.0.0.1/h", false).size(), 1u);
  EXPECT_EQ(delivery_url_warnings("https://10.1.2.3/h", false).size(), 1u);
  EXPECT_EQ(delivery_url_warnings("https://192.168.1.1/h", false).size(), 1u);
  EXPECT_EQ(delivery_url_warnings("https://localhost:9000/h", false).size(), 2u);
  EXPECT_EQ(delivery_url_warnings("https://[::1]/h", false).size(), 1u);
  EXPECT_EQ(delivery_url_warnings("http://203.0.113.9/h", false).size(), 1u); // plain http
  EXPECT_FALSE(delivery_url_warnings("ftp://x/h", false).empty());
}
