// The unified output stage (src/unified/unified_sink.cpp): what a source's read writes for
// several streams is split between the unified streams it makes and the others it passes on,
// and unified_customers (fed by customers AND orders) tells the two sources apart by the source
// the fan-out names (MessageSink::record_from).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "relational_support.hpp"
#include "unified/unified_sink.hpp"

namespace json = boost::json;
using namespace wc;
using namespace wc::unified;

namespace {

const char *kGuestOrder = R"({"id": 5, "status": "processing", "currency": "USD", "total": "10.00",
  "customer_id": 0, "date_modified_gmt": "2025-01-01T00:00:00", "line_items": [],
  "refunds": [], "billing": {"email": "guest@example.org", "first_name": "G"}})";
const char *kCustomer = R"({"id": 65, "email": "reg@example.org", "first_name": "R",
  "date_modified_gmt": "2025-01-01T00:00:00"})";

Context ctx() {
  Context c;
  c.store_id = "s";
  return c;
}

} // namespace

TEST(UnifiedSink, SplitsUnifiedMembersFromTheOthersAndKnowsTheSource) {
  Recorder out;
  UnifiedSink sink(out, ctx(), {"unified_orders", "unified_customers"});
  sink.record_from("orders", {"orders", "unified_orders", "unified_customers"}, kGuestOrder);
  ASSERT_EQ(out.records.size(), 3U);
  EXPECT_EQ(out.records[0].first, "orders"); // passed on as read
  EXPECT_EQ(out.records[0].second, kGuestOrder);
  EXPECT_EQ(out.records[1].first, "unified_orders");
  EXPECT_EQ(out.records[2].first, "unified_customers");
  EXPECT_EQ(json::parse(out.records[2].second).at("customer_kind"), "guest");
  // The same stream fed by customers: a registered customer.
  sink.record_from("customers", {"unified_customers"}, kCustomer);
  ASSERT_EQ(out.records.size(), 4U);
  const auto registered = json::parse(out.records[3].second);
  EXPECT_EQ(registered.at("customer_kind"), "registered");
  EXPECT_EQ(registered.at("customer_id"), "65");
  // A stream this read does not write: nothing made.
  sink.record_from("orders", {"orders"}, kGuestOrder);
  EXPECT_EQ(out.records.size(), 5U);
  EXPECT_EQ(out.records[4].first, "orders");
}

TEST(UnifiedSink, NotCreatedWithoutAUnifiedStreamSelected) {
  Recorder out;
  ConnectorConfig cfg;
  cfg.unified = true;
  cfg.store_id = "s";
  EXPECT_EQ(output_sink(cfg, {"orders"}, out), nullptr);
  EXPECT_NE(output_sink(cfg, {"orders", "unified_orders"}, out), nullptr);
  cfg.unified = false;
  EXPECT_EQ(output_sink(cfg, {"unified_orders"}, out), nullptr);
}

TEST(UnifiedSink, MoneyThatIsNotADecimalIsWarnedOncePerField) {
  Recorder out;
  UnifiedSink sink(out, ctx(), {"unified_orders"});
  std::string bad = kGuestOrder;
  bad.replace(bad.find("\"10.00\""), 7, "\"10,00\"");
  sink.record_from("orders", {"unified_orders"}, bad);
  sink.record_from("orders", {"unified_orders"}, bad);
  ASSERT_EQ(out.records.size(), 2U);
  EXPECT_TRUE(json::parse(out.records[0].second).at("total").is_null());
  ASSERT_EQ(out.warnings.size(), 1U);
  EXPECT_NE(out.warnings[0].find("unified_orders.total"), std::string::npos) << out.warnings[0];
}
