// The unified model's mapping functions (src/unified/): WooCommerce records -> unified records,
// checked field by field on small hand-written records, and every record checked against its
// versioned schema's properties (catalog/unified/, strict: a field the schema lacks fails).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <openssl/evp.h>

#include "relational/decimal_text.hpp"
#include "unified/catalog_mapping.hpp"
#include "unified/customer_mapping.hpp"
#include "unified/discount_mapping.hpp"
#include "unified/guest_id.hpp"
#include "unified/order_mapping.hpp"
#include "unified/refund_mapping.hpp"
#include "unified/unified_streams.hpp"
#include "unified/values.hpp"

namespace json = boost::json;
using namespace wc;
using namespace wc::unified;

namespace {

Context ctx() {
  Context c;
  c.store_id = "shop.example.com";
  return c;
}

// A completed guest order in WooCommerce's shape: two lines (one discounted), a fee, shipping,
// taxes, a partial refund.
json::object order() {
  return json::parse(R"({
    "id": 1041, "number": "1041", "status": "completed", "currency": "EUR",
    "date_created_gmt": "2025-02-08T16:05:39", "date_modified_gmt": "2025-02-18T06:25:47",
    "date_paid_gmt": "2025-02-08T16:16:37", "date_completed_gmt": "2025-02-10T09:00:00",
    "discount_total": "3.00", "shipping_total": "4.90", "total_tax": "6.43", "total": "55.80",
    "customer_id": 0, "payment_method": "stripe",
    "billing": {"first_name": "Priya", "last_name": "Rossi", "company": "", "address_1": "1 Main St",
                "address_2": "", "city": "Austin", "state": "TX", "postcode": "78701",
                "country": "US", "email": "  Priya.Rossi@Example.org ", "phone": "555-0100"},
    "shipping": {"first_name": "", "last_name": "", "company": "", "address_1": "", "address_2": "",
                 "city": "", "state": "", "postcode": "", "country": "", "phone": ""},
    "line_items": [
      {"id": 11, "name": "Hoodie - M", "product_id": 7, "variation_id": 9, "quantity": 3,
       "subtotal": "29.97", "total": "26.97", "total_tax": "1.96", "sku": "HD-M", "price": 8.99},
      {"id": 12, "name": "Cap", "product_id": 8, "variation_id": 0, "quantity": 1,
       "subtotal": "15.00", "total": "15.00", "total_tax": "1.09", "sku": "", "price": 15}],
    "fee_lines": [{"id": 13, "name": "Gift wrap", "total": "2.50", "total_tax": "0.00"}],
    "refunds": [{"id": 20, "reason": "", "total": "-10.00"}]
  })")
      .as_object();
}

// Every field of `record` is a property of the stream's schema, and its JSON type is allowed.
void expect_fits_schema(const std::string &stream, const json::object &record) {
  const json::object schema = unified_schema(stream);
  const auto &props = schema.at("properties").as_object();
  for (const auto &kv : record) {
    const auto *p = props.if_contains(kv.key());
    ASSERT_NE(p, nullptr) << stream << "." << kv.key() << " is not in the schema";
    const auto &types = p->as_object().at("type");
    auto allowed = [&](const char *t) {
      if (types.is_string()) {
        return types.as_string() == t;
      }
      for (const auto &x : types.as_array()) {
        if (x.as_string() == t) {
          return true;
        }
      }
      return false;
    };
    const json::value &v = kv.value();
    const char *kind = v.is_null()     ? "null"
                       : v.is_string() ? "string"
                       : v.is_bool()   ? "boolean"
                       : v.is_array()  ? "array"
                       : v.is_object() ? "object"
                       : v.is_double() ? "number"
                                       : "integer";
    EXPECT_TRUE(allowed(kind) || (std::string(kind) == "integer" && allowed("number")))
        << stream << "." << kv.key() << " is " << kind;
  }
  for (const auto &req : schema.at("required").as_array()) {
    EXPECT_TRUE(record.contains(req.as_string())) << stream << " lacks " << req.as_string();
  }
}

std::string sha256_hex(const std::string &s) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), md, &n, EVP_sha256(), nullptr);
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", md[i]);
    hex += buf;
  }
  return hex;
}

} // namespace

TEST(UnifiedOrder, MoneyIsExactAndTheTotalsIdentityHolds) {
  const MappedOrder m = map_order(order(), ctx());
  const json::object &o = m.order;
  EXPECT_EQ(o.at("platform"), "woocommerce");
  EXPECT_EQ(o.at("store_id"), "shop.example.com");
  EXPECT_EQ(o.at("order_id"), "1041");
  EXPECT_EQ(o.at("subtotal"), "44.97"); // 29.97 + 15.00, from the lines
  EXPECT_EQ(o.at("fee_total"), "2.50");
  EXPECT_EQ(o.at("refunded_total"), "10.00");
  EXPECT_EQ(o.at("net_total"), "45.80");
  // subtotal - discounts + shipping + fees + tax = total, exactly
  using relational::Decimal;
  auto d = [&](const char *k) { return *Decimal::parse(o.at(k).as_string()); };
  auto sum = d("subtotal").minus(d("discount_total"))->plus(d("shipping_total"));
  sum = sum->plus(d("fee_total"))->plus(d("tax_total"));
  EXPECT_EQ(sum->text(), o.at("total").as_string());
  EXPECT_EQ(o.at("payment_status"), "partially_refunded");
  EXPECT_EQ(o.at("order_status"), "completed");
  EXPECT_EQ(o.at("fulfillment_status"), "fulfilled");
  EXPECT_EQ(o.at("platform_status"), "completed");
  EXPECT_EQ(o.at("created_at"), "2025-02-08T16:05:39Z");
  EXPECT_EQ(o.at("updated_at"), "2025-02-18T06:25:47Z");
  EXPECT_EQ(o.at("paid_at"), "2025-02-08T16:16:37Z");
  EXPECT_TRUE(o.at("_ab_cdc_deleted_at").is_null());
  expect_fits_schema("unified_orders", o);
}

TEST(UnifiedOrder, AddressesTakeOneShapeAndEmptyOnesAreNull) {
  const json::object o = map_order(order(), ctx()).order;
  const auto &b = o.at("billing_address").as_object();
  EXPECT_EQ(b.at("line1"), "1 Main St");
  EXPECT_EQ(b.at("region"), "TX");
  EXPECT_EQ(b.at("postal_code"), "78701");
  EXPECT_TRUE(b.at("line2").is_null());            // "" -> null
  EXPECT_TRUE(o.at("shipping_address").is_null()); // every field empty
}

TEST(UnifiedOrder, LinesCarryTheOrderKeysCurrencyAndVersion) {
  const MappedOrder m = map_order(order(), ctx());
  ASSERT_EQ(m.lines.size(), 2U);
  const json::object &l = m.lines[0];
  EXPECT_EQ(l.at("order_id"), "1041");
  EXPECT_EQ(l.at("line_id"), "11");
  EXPECT_EQ(l.at("product_id"), "7");
  EXPECT_EQ(l.at("variant_id"), "9");
  EXPECT_EQ(l.at("unit_price"), "9.99"); // 29.97 / 3, exact
  EXPECT_EQ(l.at("discount_total"), "3.00");
  EXPECT_EQ(l.at("currency"), "EUR");
  EXPECT_EQ(l.at("updated_at"), m.order.at("updated_at"));
  EXPECT_TRUE(m.lines[1].at("variant_id").is_null()); // variation_id 0
  EXPECT_TRUE(m.lines[1].at("sku").is_null());
  for (const auto &line : m.lines) {
    expect_fits_schema("unified_order_lines", line);
  }
}

TEST(UnifiedOrder, GuestsAreKeyedByTheirNormalizedEmailAndStore) {
  const json::object o = map_order(order(), ctx()).order;
  // The documented formula: guest- + 32 hex digits of SHA-256("<store_id>|<normalized email>").
  const std::string expected =
      "guest-" + sha256_hex("shop.example.com|priya.rossi@example.org").substr(0, 32);
  EXPECT_EQ(o.at("customer_id"), json::value(expected));
  EXPECT_EQ(o.at("customer_kind"), "guest");
  EXPECT_EQ(guest_id("shop.example.com", *normalized_email("PRIYA.rossi@example.org\t")), expected);
  EXPECT_NE(guest_id("other.example.com", "priya.rossi@example.org"), expected);
  EXPECT_FALSE(normalized_email("   ").has_value());
  EXPECT_FALSE(normalized_email("no-at-sign").has_value());
  auto guest = guest_from_order(order(), ctx());
  ASSERT_TRUE(guest.has_value());
  EXPECT_EQ(guest->at("customer_id"), json::value(expected));
  EXPECT_EQ(guest->at("normalized_email"), "priya.rossi@example.org");
  EXPECT_EQ(guest->at("updated_at"), "2025-02-18T06:25:47Z");
  expect_fits_schema("unified_customers", *guest);
  // A registered customer's order names the customer and gives no guest.
  json::object registered = order();
  registered["customer_id"] = 65;
  EXPECT_EQ(map_order(registered, ctx()).order.at("customer_id"), "65");
  EXPECT_EQ(map_order(registered, ctx()).order.at("customer_kind"), "registered");
  EXPECT_FALSE(guest_from_order(registered, ctx()).has_value());
  // A guest order without an email names nobody.
  json::object anonymous = order();
  anonymous["billing"].as_object()["email"] = "";
  EXPECT_TRUE(map_order(anonymous, ctx()).order.at("customer_id").is_null());
  EXPECT_FALSE(guest_from_order(anonymous, ctx()).has_value());
}

TEST(UnifiedOrder, TrashedAndDeletedOrdersAreTombstones) {
  json::object trashed = order();
  trashed["status"] = "trash";
  trashed["_ab_cdc_deleted_at"] = "2025-03-01T10:00:00Z";
  const MappedOrder m = map_order(trashed, ctx());
  EXPECT_TRUE(m.tombstone);
  EXPECT_TRUE(m.lines.empty());
  EXPECT_EQ(m.order.at("order_id"), "1041");
  EXPECT_EQ(m.order.at("_ab_cdc_deleted_at"), "2025-03-01T10:00:00Z");
  EXPECT_FALSE(m.order.contains("order_status"));
  EXPECT_FALSE(guest_from_order(trashed, ctx()).has_value());
  expect_fits_schema("unified_orders", m.order);
  // The sweep's tombstone: {id, date_modified_gmt, _ab_cdc_deleted_at}.
  const auto swept = map_order(json::parse(R"({"id": 7, "date_modified_gmt": "2025-03-02T00:00:00",
      "_ab_cdc_deleted_at": "2025-03-02T00:00:00Z"})")
                                   .as_object(),
                               ctx());
  EXPECT_TRUE(swept.tombstone);
  EXPECT_EQ(swept.order.at("updated_at"), "2025-03-02T00:00:00Z");
  expect_fits_schema("unified_orders", swept.order);
}

TEST(UnifiedOrder, TextThatIsNotADecimalIsNullAndWarned) {
  json::object o = order();
  o["shipping_total"] = "4,90";
  Context c = ctx();
  std::vector<std::string> warned;
  c.warn = [&](const std::string &field, const std::string &) { warned.push_back(field); };
  const json::object u = map_order(o, c).order;
  EXPECT_TRUE(u.at("shipping_total").is_null());
  EXPECT_EQ(u.at("total"), "55.80");
  ASSERT_EQ(warned.size(), 1U);
  EXPECT_EQ(warned[0], "unified_orders.shipping_total");
}

TEST(UnifiedCatalog, ProductsVariantsInventoryRefundsDiscounts) {
  const Context c = ctx();
  const json::object product = map_product(json::parse(R"({"id": 7, "name": "Hoodie",
      "type": "variable", "status": "publish", "sku": "HD", "price": "30", "regular_price": "30",
      "sale_price": "", "permalink": "https://shop.example.com/p/hoodie",
      "categories": [{"id": 3, "name": "Clothing"}], "tags": [], "variations": [9, 10],
      "date_created_gmt": "2025-01-01T00:00:00", "date_modified_gmt": "2025-01-02T00:00:00"})")
                                               .as_object(),
                                           c);
  EXPECT_EQ(product.at("status"), "active");
  EXPECT_EQ(product.at("variant_count"), 2);
  EXPECT_TRUE(product.at("sale_price").is_null());
  EXPECT_EQ(product.at("category_names"), json::array{"Clothing"});
  expect_fits_schema("unified_products", product);

  const json::object variant = map_variant(json::parse(R"({"id": 9, "product_id": 7,
      "status": "publish", "price": "30.00", "regular_price": "30.00", "sale_price": "",
      "attributes": [{"id": 1, "name": "Size", "option": "M"}], "stock_quantity": 4,
      "stock_status": "instock", "date_modified_gmt": "2025-01-02T00:00:00"})")
                                               .as_object(),
                                           c);
  EXPECT_EQ(variant.at("product_id"), "7");
  EXPECT_EQ(variant.at("options"), (json::array{json::object{{"name", "Size"}, {"value", "M"}}}));
  expect_fits_schema("unified_product_variants", variant);

  const json::object level = map_inventory_level(json::parse(R"({"id": 9, "product_id": 7,
      "variation_id": 9, "manage_stock": "parent", "stock_quantity": 4,
      "stock_status": "onbackorder", "date_modified_gmt": "2025-01-02T00:00:00"})")
                                                     .as_object(),
                                                 c);
  EXPECT_EQ(level.at("inventory_item_id"), "9");
  EXPECT_EQ(level.at("location_id"), "default");
  EXPECT_EQ(level.at("tracked"), true);
  EXPECT_EQ(level.at("available"), true);
  expect_fits_schema("unified_inventory_levels", level);

  const json::object refund = map_refund(json::parse(R"({"id": 20, "order_id": 1041,
      "amount": "10.00", "reason": "", "date_created_gmt": "2025-02-09T00:00:00"})")
                                             .as_object(),
                                         c);
  EXPECT_EQ(refund.at("amount"), "10.00");
  EXPECT_EQ(refund.at("order_id"), "1041");
  EXPECT_TRUE(refund.at("reason").is_null());
  expect_fits_schema("unified_refunds", refund);

  const json::object discount = map_discount(json::parse(R"({"id": 5, "code": "save10",
      "discount_type": "percent", "amount": "10.00", "status": "publish", "usage_count": 3,
      "usage_limit": null, "minimum_amount": "0.00", "maximum_amount": "50.00",
      "free_shipping": false, "date_expires_gmt": null,
      "date_modified_gmt": "2025-01-02T00:00:00"})")
                                                 .as_object(),
                                             c);
  EXPECT_EQ(discount.at("discount_type"), "percentage");
  EXPECT_TRUE(discount.at("minimum_amount").is_null()); // "0.00": no minimum
  EXPECT_EQ(discount.at("maximum_amount"), "50.00");
  expect_fits_schema("unified_discounts", discount);
}

TEST(UnifiedDeriver, GuestsOncePerEmailPerReadAndOnlySelectedStreams) {
  Deriver deriver(ctx(), {"unified_customers", "unified_order_lines"});
  std::map<std::string, int> emitted;
  auto emit = [&](const std::string &stream, const json::object &) { ++emitted[stream]; };
  json::object second = order();
  second["id"] = 1042;
  second["billing"].as_object()["email"] = "PRIYA.ROSSI@example.org";
  deriver.derive("orders", order(), emit);
  deriver.derive("orders", second, emit);
  EXPECT_EQ(emitted["unified_customers"], 1);   // one guest, two orders
  EXPECT_EQ(emitted["unified_order_lines"], 4); // two lines each
  EXPECT_EQ(emitted.count("unified_orders"), 0U);
  deriver.derive("customers", json::parse(R"({"id": 65, "email": "a@b.c"})").as_object(), emit);
  EXPECT_EQ(emitted["unified_customers"], 2);
}

// The open model: every unified stream has its versioned, strict schema, with a description on
// every field (nested ones too), and its key and cursor are properties of it.
TEST(UnifiedSchemas, VersionedStrictAndDescribed) {
  ASSERT_EQ(unified_streams().size(), 8U);
  for (const auto &s : unified_streams()) {
    const json::object schema = unified_schema(s.name);
    EXPECT_EQ(schema.at("x-unified-version"), 1) << s.name;
    EXPECT_NE(schema.at("$id").as_string().find("/v1/" + s.name + ".json"), std::string::npos);
    std::function<void(const json::object &, const std::string &)> check =
        [&](const json::object &node, const std::string &where) {
          if (const auto *props = node.if_contains("properties")) {
            EXPECT_EQ(node.at("additionalProperties"), false) << where;
            for (const auto &kv : props->as_object()) {
              const auto &p = kv.value().as_object();
              EXPECT_FALSE(p.at("description").as_string().empty()) << where << "." << kv.key();
              check(p, where + "." + std::string(kv.key()));
            }
          }
          if (const auto *items = node.if_contains("items")) {
            check(items->as_object(), where + "[]");
          }
        };
    check(schema, s.name);
    const auto &props = schema.at("properties").as_object();
    for (const auto &path : s.primary_key) {
      EXPECT_TRUE(props.contains(path[0])) << s.name << " key " << path[0];
    }
    EXPECT_TRUE(props.contains(s.cursor)) << s.name << " cursor";
    EXPECT_EQ(s.primary_key[0][0], "platform");
    EXPECT_EQ(s.primary_key[1][0], "store_id");
  }
}
