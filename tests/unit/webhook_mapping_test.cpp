#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "webhook/event_mapper.hpp"

using wc::webhook::map_delivery;
using wc::webhook::stream_for_resource;
using wc::webhook::topic_event;
using wc::webhook::topic_resource;

namespace {
boost::json::object record_of(const wc::webhook::MappedRecord &m) {
  return boost::json::parse(m.record_json).as_object();
}
} // namespace

TEST(WebhookMapping, TopicsSplit) {
  EXPECT_EQ(topic_resource("order.updated"), "order");
  EXPECT_EQ(topic_event("order.updated"), "updated");
  EXPECT_EQ(topic_resource("garbage"), "");
  EXPECT_EQ(stream_for_resource("order"), "orders");
  EXPECT_EQ(stream_for_resource("product"), "products");
  EXPECT_EQ(stream_for_resource("customer"), "customers");
  EXPECT_EQ(stream_for_resource("coupon"), "coupons");
  EXPECT_EQ(stream_for_resource("action"), "");
}

TEST(WebhookMapping, OrdersCustomersCouponsKeepThePayload) {
  auto m = map_delivery("order", "updated", R"({"id":4256,"status":"completed"})", 0);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->stream, "orders");
  EXPECT_EQ(m->id, 4256);
  EXPECT_FALSE(m->deleted);
  EXPECT_EQ(record_of(*m).at("status").as_string(), "completed");
  EXPECT_EQ(map_delivery("customer", "created", R"({"id":1002})", 0)->stream, "customers");
  EXPECT_EQ(map_delivery("coupon", "restored", R"({"id":3})", 0)->stream, "coupons");
}

TEST(WebhookMapping, VariationsArriveAsProductTopics) {
  auto v =
      map_delivery("product", "updated", R"({"id":640,"parent_id":633,"type":"variation"})", 0);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->stream, "product_variations");
  EXPECT_EQ(record_of(*v).at("product_id").as_int64(), 633);
  // A simple product (parent_id 0) and a grouped child (parent set, not a variation) stay
  // products.
  auto p = map_delivery("product", "updated", R"({"id":633,"parent_id":0,"type":"variable"})", 0);
  EXPECT_EQ(p->stream, "products");
  EXPECT_FALSE(record_of(*p).contains("product_id"));
  auto g = map_delivery("product", "updated", R"({"id":9,"parent_id":5,"type":"simple"})", 0);
  EXPECT_EQ(g->stream, "products");
  auto orphan =
      map_delivery("product", "updated", R"({"id":9,"parent_id":0,"type":"variation"})", 0);
  EXPECT_EQ(orphan->stream, "products");
}

TEST(WebhookMapping, DeletionsBecomeCdcRecords) {
  // 2026-11-29T01:09:16.250Z
  auto d = map_delivery("order", "deleted", R"({"id":4279})", 1'795'914'556'250);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->deleted);
  EXPECT_EQ(d->stream, "orders");
  auto rec = record_of(*d);
  EXPECT_EQ(rec.at("id").as_int64(), 4279);
  EXPECT_EQ(rec.at("_ab_cdc_deleted_at").as_string(), "2026-11-29T01:09:16.250Z");
  EXPECT_EQ(rec.size(), 2u);
}

TEST(WebhookMapping, UnusablePayloadsAreRejected) {
  EXPECT_FALSE(map_delivery("action", "woocommerce_x", R"({"id":1})", 0));
  EXPECT_FALSE(map_delivery("order", "updated", "not json", 0));
  EXPECT_FALSE(map_delivery("order", "updated", "[1,2]", 0));
  EXPECT_FALSE(map_delivery("order", "updated", R"({"code":"woocommerce_rest_cannot_view"})", 0));
  EXPECT_FALSE(map_delivery("order", "updated", R"({"id":0})", 0));
  EXPECT_FALSE(map_delivery("order", "updated", R"({"id":-4})", 0));
}
