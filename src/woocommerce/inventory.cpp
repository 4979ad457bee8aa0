#include "woocommerce/inventory.hpp"

#include "core/error.hpp"
#include "source/checkpoint_json.hpp"
#include "source/record_cursor.hpp"

namespace wc::woo {
namespace json = boost::json;
namespace {

const char *kProductFields = "id,type,sku,name,status,manage_stock,stock_quantity,stock_status,"
                             "backorders,low_stock_amount,date_modified_gmt";
const char *kVariationFields = "id,sku,name,status,manage_stock,stock_quantity,stock_status,"
                               "backorders,low_stock_amount,date_modified_gmt,parent_id";

json::value get(const json::object &o, const char *key) {
  const auto *v = o.if_contains(key);
  return v == nullptr ? json::value(nullptr) : *v;
}

bool truthy(const json::value &v) { return v.is_bool() && v.as_bool(); }

} // namespace

json::object inventory_record(const json::object &product, const json::object *variation) {
  json::object r;
  auto pid = source::record_id(product);
  r["product_id"] = pid ? json::value(*pid) : json::value(nullptr);
  const json::object &item = variation != nullptr ? *variation : product;
  auto vid = variation != nullptr ? source::record_id(*variation) : std::nullopt;
  r["variation_id"] = vid ? json::value(*vid) : json::value(nullptr);
  r["id"] = vid ? json::value(*vid) : r["product_id"];
  r["sku"] = get(item, "sku");
  r["name"] = get(item, "name");
  json::value manage = get(item, "manage_stock");
  r["manage_stock"] = manage;
  const json::object *pool = &item;
  if (manage.is_string() && manage.as_string() == "parent") {
    r["stock_managed_by"] = "parent";
    pool = &product;
  } else if (truthy(manage)) {
    r["stock_managed_by"] = "self";
  } else if (variation != nullptr && truthy(get(product, "manage_stock"))) {
    // Some versions report false on the variation while the parent manages the pool.
    r["stock_managed_by"] = "parent";
    pool = &product;
  } else {
    r["stock_managed_by"] = "none";
  }
  bool tracked = r["stock_managed_by"] != "none";
  r["stock_quantity"] = tracked ? get(*pool, "stock_quantity") : json::value(nullptr);
  r["stock_status"] = get(item, "stock_status");
  r["backorders"] = get(*pool, "backorders");
  r["low_stock_amount"] = tracked ? get(*pool, "low_stock_amount") : json::value(nullptr);
  r["date_modified_gmt"] = get(item, "date_modified_gmt");
  return r;
}

void read_inventory(source::ReadContext &ctx, const source::StreamRequest &stream,
                    const json::object *) {
  const auto &d = *stream.definition;
  source::PageRequest products_listing;
  products_listing.path = "/products";
  products_listing.fixed = {
      {"status", "any"}, {"orderby", "id"}, {"order", "asc"}, {"_fields", kProductFields}};
  source::page_through(ctx, products_listing, d.name, 1, [&](json::array &products, int next) {
    for (auto &pv : products) {
      if (!pv.is_object()) {
        continue;
      }
      auto &product = pv.as_object();
      std::string type = product.contains("type") && product["type"].is_string()
                             ? std::string(product["type"].as_string())
                             : "";
      if (type == "simple") {
        auto rec = inventory_record(product, nullptr);
        ctx.emit(d, rec);
      } else if (type == "variable") {
        auto pid = source::record_id(product);
        if (!pid) {
          continue;
        }
        source::PageRequest variations_listing;
        variations_listing.path = "/products/" + std::to_string(*pid) + "/variations";
        variations_listing.fixed = {
            {"orderby", "id"}, {"order", "asc"}, {"_fields", kVariationFields}};
        source::page_through(
            ctx, variations_listing, d.name, 1,
            [&](json::array &variations, int) {
              for (auto &vv : variations) {
                if (!vv.is_object()) {
                  continue;
                }
                const auto *st = vv.as_object().if_contains("status");
                if (st != nullptr && st->is_string() && st->as_string() == "trash") {
                  continue;
                }
                auto rec = inventory_record(product, &vv.as_object());
                ctx.emit(d, rec);
              }
            },
            false);
      }
    }
    ctx.out.stream_state(d.name, source::checkpoint::resume_at(next));
  });
  ctx.out.stream_state(d.name, source::checkpoint::complete());
}

} // namespace wc::woo
