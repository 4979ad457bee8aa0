#include "unified/discount_mapping.hpp"

#include "unified/values.hpp"

namespace wc::unified {
namespace json = boost::json;
namespace {

json::value unified_type(const json::value &t) {
  if (!t.is_string()) {
    return nullptr;
  }
  const std::string_view s = t.as_string();
  return s == "percent"         ? json::value("percentage")
         : s == "fixed_cart"    ? json::value("fixed_order")
         : s == "fixed_product" ? json::value("fixed_item")
                                : json::value("other");
}

// "0.00" (WooCommerce's "none") -> null
json::value limit(json::value amount) {
  if (amount.is_string() && amount.as_string().find_first_not_of("0.") == json::string::npos) {
    return nullptr;
  }
  return amount;
}

} // namespace

json::object map_discount(const json::object &woo, const Context &ctx) {
  const auto *s = woo.if_contains("status");
  if (deleted_at(woo) || (s != nullptr && s->is_string() && s->as_string() == "trash")) {
    return tombstone(ctx, woo, "discount_id");
  }
  json::object r = keyed(ctx);
  r["discount_id"] = id_text(woo, "id");
  r["code"] = text(woo, "code");
  json::value type = text(woo, "discount_type");
  r["discount_type"] = unified_type(type);
  r["platform_type"] = std::move(type);
  r["amount"] = money(woo, "amount", ctx, "unified_discounts.amount");
  r["platform_status"] = text(woo, "status");
  r["usage_count"] = integer(woo, "usage_count");
  r["usage_limit"] = integer(woo, "usage_limit");
  r["minimum_amount"] =
      limit(money(woo, "minimum_amount", ctx, "unified_discounts.minimum_amount"));
  r["maximum_amount"] =
      limit(money(woo, "maximum_amount", ctx, "unified_discounts.maximum_amount"));
  r["free_shipping"] = boolean(woo, "free_shipping");
  r["ends_at"] = utc_time(woo, "date_expires_gmt");
  r["created_at"] = utc_time(woo, "date_created_gmt");
  r["updated_at"] = utc_time(woo, "date_modified_gmt");
  r["_ab_cdc_deleted_at"] = nullptr;
  return r;
}

} // namespace wc::unified
