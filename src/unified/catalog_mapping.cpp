#include "unified/catalog_mapping.hpp"

#include "unified/values.hpp"

namespace wc::unified {
namespace json = boost::json;
namespace {

bool is_tombstone(const json::object &woo) {
  const auto *s = woo.if_contains("status");
  return deleted_at(woo) || (s != nullptr && s->is_string() && s->as_string() == "trash");
}

json::value names_of(const json::object &woo, std::string_view key) {
  const auto *v = woo.if_contains(key);
  if (v == nullptr || !v->is_array()) {
    return nullptr;
  }
  json::array out;
  for (const auto &e : v->as_array()) {
    if (e.is_object()) {
      if (auto n = text(e.as_object(), "name"); !n.is_null()) {
        out.push_back(std::move(n));
      }
    }
  }
  return out;
}

json::value unified_product_status(const json::value &s) {
  if (!s.is_string()) {
    return nullptr;
  }
  if (s.as_string() == "publish") {
    return "active";
  }
  if (s.as_string() == "draft" || s.as_string() == "pending") {
    return "draft";
  }
  return "other";
}

} // namespace

json::object map_product(const json::object &woo, const Context &ctx) {
  if (is_tombstone(woo)) {
    return tombstone(ctx, woo, "product_id");
  }
  json::object r = keyed(ctx);
  r["product_id"] = id_text(woo, "id");
  r["name"] = text(woo, "name");
  r["sku"] = text(woo, "sku");
  r["product_type"] = text(woo, "type");
  r["platform_status"] = text(woo, "status");
  r["status"] = unified_product_status(r["platform_status"]);
  r["price"] = money(woo, "price", ctx, "unified_products.price");
  r["regular_price"] = money(woo, "regular_price", ctx, "unified_products.regular_price");
  r["sale_price"] = money(woo, "sale_price", ctx, "unified_products.sale_price");
  r["url"] = text(woo, "permalink");
  r["category_names"] = names_of(woo, "categories");
  r["tag_names"] = names_of(woo, "tags");
  const auto *variations = woo.if_contains("variations");
  r["variant_count"] = variations != nullptr && variations->is_array()
                           ? json::value(static_cast<std::int64_t>(variations->as_array().size()))
                           : json::value(nullptr);
  r["created_at"] = utc_time(woo, "date_created_gmt");
  r["updated_at"] = utc_time(woo, "date_modified_gmt");
  r["_ab_cdc_deleted_at"] = nullptr;
  return r;
}

json::object map_variant(const json::object &woo, const Context &ctx) {
  if (is_tombstone(woo)) {
    json::object t = tombstone(ctx, woo, "variant_id");
    t["product_id"] = id_text(woo, woo.contains("product_id") ? "product_id" : "parent_id");
    return t;
  }
  json::object r = keyed(ctx);
  r["variant_id"] = id_text(woo, "id");
  r["product_id"] = id_text(woo, woo.contains("product_id") ? "product_id" : "parent_id");
  r["name"] = text(woo, "name");
  r["sku"] = text(woo, "sku");
  r["platform_status"] = text(woo, "status");
  r["price"] = money(woo, "price", ctx, "unified_product_variants.price");
  r["regular_price"] = money(woo, "regular_price", ctx, "unified_product_variants.regular_price");
  r["sale_price"] = money(woo, "sale_price", ctx, "unified_product_variants.sale_price");
  json::value options = nullptr;
  if (const auto *a = woo.if_contains("attributes"); a != nullptr && a->is_array()) {
    json::array list;
    for (const auto &e : a->as_array()) {
      if (e.is_object()) {
        list.push_back(json::object{{"name", text(e.as_object(), "name")},
                                    {"value", text(e.as_object(), "option")}});
      }
    }
    options = std::move(list);
  }
  r["options"] = std::move(options);
  r["stock_quantity"] = integer(woo, "stock_quantity");
  r["stock_status"] = text(woo, "stock_status");
  r["created_at"] = utc_time(woo, "date_created_gmt");
  r["updated_at"] = utc_time(woo, "date_modified_gmt");
  r["_ab_cdc_deleted_at"] = nullptr;
  return r;
}

json::object map_inventory_level(const json::object &woo, const Context &ctx) {
  json::object r = is_tombstone(woo) ? tombstone(ctx, woo, "inventory_item_id") : keyed(ctx);
  r["location_id"] = kDefaultLocation;
  if (r.contains("_ab_cdc_deleted_at")) {
    r.erase("platform_status"); // inventory levels have no status of their own
    return r;
  }
  r["inventory_item_id"] = id_text(woo, "id");
  r["product_id"] = id_text(woo, "product_id");
  r["variant_id"] = id_text(woo, "variation_id");
  r["sku"] = text(woo, "sku");
  r["name"] = text(woo, "name");
  const auto *manage = woo.if_contains("manage_stock");
  // true, or "parent" (a variation whose stock its product tracks)
  r["tracked"] = manage == nullptr
                     ? json::value(nullptr)
                     : json::value((manage->is_bool() && manage->as_bool()) ||
                                   (manage->is_string() && manage->as_string() == "parent"));
  r["quantity"] = integer(woo, "stock_quantity");
  json::value status = text(woo, "stock_status");
  r["available"] = status.is_string() ? json::value(status.as_string() == "instock" ||
                                                    status.as_string() == "onbackorder")
                                      : json::value(nullptr);
  r["stock_status"] = std::move(status);
  r["updated_at"] = utc_time(woo, "date_modified_gmt");
  r["_ab_cdc_deleted_at"] = nullptr;
  return r;
}

} // namespace wc::unified
