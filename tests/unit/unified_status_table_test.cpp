// The unified decision table (catalog/unified/status_table.json, docs/unified.md): every
// WooCommerce status lands where the table says, custom statuses are `other` unless the config
// maps them, payment follows date_paid_gmt and the refunds, and the precedence holds.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "config/option_rules.hpp"
#include "core/error.hpp"
#include "relational/decimal_text.hpp"
#include "unified/context.hpp"
#include "unified/status_table.hpp"

namespace json = boost::json;
using namespace wc;
using namespace wc::unified;
using relational::Decimal;

namespace {

PaymentFacts facts(bool paid, const char *refunded = "0.00", const char *total = "100.00") {
  PaymentFacts f;
  f.paid = paid;
  f.refunded = Decimal::parse(refunded);
  f.total = Decimal::parse(total);
  return f;
}

Statuses decide(const char *status, const PaymentFacts &f, const Context &ctx = Context{}) {
  return StatusTable::builtin().decide(status, f, ctx);
}

void expect(const Statuses &s, const char *order, const char *payment, const char *fulfillment,
            const char *what) {
  EXPECT_EQ(s.order, order) << what;
  EXPECT_EQ(s.payment, payment) << what;
  EXPECT_EQ(s.fulfillment, fulfillment) << what;
}

} // namespace

// The table of docs/unified.md, row by row, for a paid order without refunds and an unpaid one.
TEST(UnifiedStatusTable, EveryWooCommerceStatusLandsWhereTheTableSays) {
  expect(decide("pending", facts(false)), "open", "unpaid", "unfulfilled", "pending");
  expect(decide("on-hold", facts(false)), "open", "unpaid", "unfulfilled", "on-hold");
  expect(decide("processing", facts(true)), "open", "paid", "unfulfilled", "processing");
  expect(decide("completed", facts(true)), "completed", "paid", "fulfilled", "completed");
  expect(decide("cancelled", facts(false)), "cancelled", "unpaid", "cancelled", "cancelled");
  expect(decide("refunded", facts(true, "100.00")), "completed", "refunded", "unknown", "refunded");
  expect(decide("failed", facts(false)), "cancelled", "failed", "cancelled", "failed");
  expect(decide("checkout-draft", facts(false)), "other", "unpaid", "unknown", "checkout-draft");
}

TEST(UnifiedStatusTable, PrecedenceWhenRulesMeet) {
  // processing with no date_paid_gmt (cash on delivery): date_paid_gmt decides, not the status.
  expect(decide("processing", facts(false)), "open", "unpaid", "unfulfilled", "processing unpaid");
  // A fixed payment of the row wins over date_paid_gmt and refunds.
  expect(decide("failed", facts(true, "10.00")), "cancelled", "failed", "cancelled", "failed");
  expect(decide("refunded", facts(true, "0.00")), "completed", "refunded", "unknown",
         "refunded, no refund record");
  // Refunds win over a missing date_paid_gmt: a refund implies a payment.
  EXPECT_EQ(decide("cancelled", facts(false, "20.00")).payment, "partially_refunded");
  EXPECT_EQ(decide("completed", facts(true, "20.00")).payment, "partially_refunded");
  EXPECT_EQ(decide("completed", facts(true, "100.00")).payment, "refunded");
  EXPECT_EQ(decide("completed", facts(true, "100.01")).payment, "refunded");
  EXPECT_EQ(decide("completed", facts(true, "99.99")).payment, "partially_refunded");
  // A free order (total 0) is paid, not "refunded" by its zero refunds.
  EXPECT_EQ(decide("completed", facts(true, "0.00", "0.00")).payment, "paid");
  // Unknown refunds (text that is not a decimal): date_paid_gmt decides.
  PaymentFacts unknown = facts(true);
  unknown.refunded.reset();
  EXPECT_EQ(decide("completed", unknown).payment, "paid");
  // trash is a tombstone, not a status
  EXPECT_TRUE(StatusTable::builtin().is_tombstone("trash"));
  EXPECT_FALSE(StatusTable::builtin().is_tombstone("cancelled"));
}

TEST(UnifiedStatusTable, CustomStatusesAreOtherUnlessTheConfigMapsThem) {
  expect(decide("awaiting-shipment", facts(true)), "other", "paid", "unknown", "custom");
  Context ctx;
  ctx.status_map["awaiting-shipment"] = "open";
  expect(decide("awaiting-shipment", facts(true), ctx), "open", "paid", "unknown", "mapped");
  expect(decide("awaiting-shipment", facts(false, "5.00"), ctx), "open", "partially_refunded",
         "unknown", "mapped, refunded");
  // The map never touches WooCommerce's own statuses.
  ctx.status_map["processing"] = "completed";
  EXPECT_EQ(decide("processing", facts(true), ctx).order, "open");
}

TEST(UnifiedStatusTable, ConfigMapIsValidated) {
  auto cfg_with = [](json::object map) {
    json::object c{{"store_url", "https://shop.example.com"},
                   {"consumer_key", "ck_1"},
                   {"consumer_secret", "cs_1"},
                   {"unified_status_map", std::move(map)}};
    return parse_config(json::serialize(c));
  };
  const Context ctx = context_from(cfg_with({{"wc-awaiting-shipment", "completed"}}));
  EXPECT_EQ(ctx.status_map.at("awaiting-shipment"), "completed");
  EXPECT_EQ(ctx.store_id, "shop.example.com"); // the default: the store URL's host
  try {
    (void)context_from(cfg_with({{"processing", "completed"}}));
    ADD_FAILURE() << "a WooCommerce status was remapped";
  } catch (const Error &e) {
    EXPECT_EQ(e.type(), FailureType::kConfig);
    EXPECT_NE(std::string(e.what()).find("unified_status_map"), std::string::npos) << e.what();
  }
  // Unknown targets: the spec's enum (one validator).
  EXPECT_THROW((void)cfg_with({{"awaiting-shipment", "shipped"}}), Error);
}

// The config's targets (spec/spec.json) are exactly the table's order statuses.
TEST(UnifiedStatusTable, SpecTargetsAreTheTablesOrderStatuses) {
  const auto &rule = OptionRules::spec().rule("unified_status_map");
  EXPECT_EQ(rule.allowed, StatusTable::builtin().order_statuses());
}

TEST(UnifiedStatusTable, RefusesATableItCannotApply) {
  auto doc = json::parse(R"({"order_statuses": ["open"], "payment_statuses": ["paid"],
    "fulfillment_statuses": ["unknown"], "tombstone_statuses": ["trash"],
    "rows": {"pending": {"order": "open", "payment": "derived", "fulfillment": "unknown"}},
    "custom": {"order": "open", "payment": "derived", "fulfillment": "unknown"},
    "payment_rules": [{"when": "otherwise", "payment": "paid"}]})");
  EXPECT_NO_THROW(StatusTable{doc});
  auto bad = doc;
  bad.at("rows").at("pending").as_object()["order"] = "shipped";
  EXPECT_THROW(StatusTable{bad}, Error);
  bad = doc;
  bad.at("payment_rules").as_array()[0].as_object()["when"] = "sometimes";
  EXPECT_THROW(StatusTable{bad}, Error);
}
