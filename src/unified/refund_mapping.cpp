#include "unified/refund_mapping.hpp"

#include "unified/values.hpp"

namespace wc::unified {
namespace json = boost::json;

json::object map_refund(const json::object &woo, const Context &ctx) {
  json::object r = keyed(ctx);
  r["refund_id"] = id_text(woo, "id");
  r["order_id"] = id_text(woo, woo.contains("order_id") ? "order_id" : "parent_id");
  r["amount"] = money(woo, "amount", ctx, "unified_refunds.amount");
  r["currency"] = nullptr;
  r["reason"] = text(woo, "reason");
  r["created_at"] = utc_time(woo, "date_created_gmt");
  return r;
}

} // namespace wc::unified
