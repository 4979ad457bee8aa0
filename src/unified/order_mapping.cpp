#include "unified/order_mapping.hpp"

#include "unified/address.hpp"
#include "unified/guest_id.hpp"
#include "unified/status_table.hpp"
#include "unified/values.hpp"

namespace wc::unified {
namespace json = boost::json;
using relational::Decimal;
namespace {

const json::array *list_at(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  return v != nullptr && v->is_array() ? &v->as_array() : nullptr;
}

// The exact sum of `field` over the objects of `list` (a zero like `like` for none); nullopt
// when an entry's text is not a decimal (warned about as `what`).
std::optional<Decimal> sum_of(const json::array *list, std::string_view field, const Decimal &like,
                              const Context &ctx, const std::string &what) {
  std::optional<Decimal> sum = Decimal::zero_like(like);
  if (list == nullptr) {
    return sum;
  }
  for (const auto &e : *list) {
    if (!e.is_object()) {
      continue;
    }
    bool absent = false;
    auto d = decimal_of(e.as_object().if_contains(field), absent);
    if (absent) {
      continue;
    }
    if (!d) {
      if (ctx.warn) {
        ctx.warn(what, "an entry's text that is not a decimal made the sum null");
      }
      return std::nullopt;
    }
    sum = sum->plus(*d);
    if (!sum) {
      return std::nullopt;
    }
  }
  return sum;
}

std::optional<Decimal> decimal_field(const json::object &o, std::string_view key) {
  bool absent = false;
  return decimal_of(o.if_contains(key), absent);
}

json::object map_line(const json::object &line, const json::object &order_fields,
                      const Context &ctx) {
  json::object r = keyed(ctx);
  r["order_id"] = order_fields.at("order_id");
  r["line_id"] = id_text(line, "id");
  r["product_id"] = id_text(line, "product_id");
  r["variant_id"] = id_text(line, "variation_id");
  r["sku"] = text(line, "sku");
  r["name"] = text(line, "name");
  const auto *q = line.if_contains("quantity");
  r["quantity"] = q != nullptr && q->is_number() ? *q : json::value(nullptr);
  const auto subtotal = decimal_field(line, "subtotal");
  const auto total = decimal_field(line, "total");
  json::value unit = nullptr;
  if (subtotal && q != nullptr && q->is_int64()) {
    if (auto u = divide_exact(subtotal->text(), q->as_int64())) {
      unit = json::value(*u);
    }
  }
  r["unit_price"] = std::move(unit);
  r["subtotal"] = money(line, "subtotal", ctx, "unified_order_lines.subtotal");
  r["discount_total"] =
      subtotal && total ? money_text(subtotal->minus(*total)) : json::value(nullptr);
  r["tax_total"] = money(line, "total_tax", ctx, "unified_order_lines.tax_total");
  r["total"] = money(line, "total", ctx, "unified_order_lines.total");
  r["currency"] = order_fields.at("currency");
  r["updated_at"] = order_fields.at("updated_at");
  return r;
}

} // namespace

std::pair<json::value, json::value> customer_reference(const json::object &woo,
                                                       const Context &ctx) {
  if (json::value id = id_text(woo, "customer_id"); !id.is_null()) {
    return {std::move(id), json::value("registered")};
  }
  const auto *billing = woo.if_contains("billing");
  const auto *email = billing != nullptr && billing->is_object()
                          ? billing->as_object().if_contains("email")
                          : nullptr;
  if (email != nullptr && email->is_string()) {
    if (auto normalized = normalized_email(email->as_string())) {
      return {json::value(guest_id(ctx.store_id, *normalized)), json::value("guest")};
    }
  }
  return {nullptr, nullptr};
}

MappedOrder map_order(const json::object &woo, const Context &ctx) {
  const StatusTable &table = StatusTable::builtin();
  MappedOrder out;
  const auto *status_value = woo.if_contains("status");
  const std::string status = status_value != nullptr && status_value->is_string()
                                 ? std::string(status_value->as_string())
                                 : "";
  if (deleted_at(woo) || table.is_tombstone(status)) {
    out.order = tombstone(ctx, woo, "order_id");
    out.tombstone = true;
    return out;
  }
  json::object r = keyed(ctx);
  r["order_id"] = id_text(woo, "id");
  r["order_number"] = text(woo, "number");
  r["platform_status"] = status.empty() ? json::value(nullptr) : json::value(status);

  const auto total = decimal_field(woo, "total");
  const Decimal like = total ? *total : Decimal::zero();
  const auto subtotal =
      sum_of(list_at(woo, "line_items"), "subtotal", like, ctx, "unified_orders.subtotal");
  const auto fees =
      sum_of(list_at(woo, "fee_lines"), "total", like, ctx, "unified_orders.fee_total");
  const auto refunds_sum =
      sum_of(list_at(woo, "refunds"), "total", like, ctx, "unified_orders.refunded_total");
  const std::optional<Decimal> refunded =
      refunds_sum ? std::optional<Decimal>(refunds_sum->negated()) : std::nullopt;
  const std::optional<Decimal> net = total && refunded ? total->minus(*refunded) : std::nullopt;

  PaymentFacts facts;
  const auto *paid = woo.if_contains("date_paid_gmt");
  facts.paid = paid != nullptr && paid->is_string() && !paid->as_string().empty();
  facts.refunded = refunded;
  facts.total = total;
  const Statuses st = table.decide(status, facts, ctx);
  r["order_status"] = st.order;
  r["payment_status"] = st.payment;
  r["fulfillment_status"] = st.fulfillment;

  r["currency"] = text(woo, "currency");
  r["subtotal"] = money_text(subtotal);
  r["discount_total"] = money(woo, "discount_total", ctx, "unified_orders.discount_total");
  r["shipping_total"] = money(woo, "shipping_total", ctx, "unified_orders.shipping_total");
  r["fee_total"] = money_text(fees);
  r["tax_total"] = money(woo, "total_tax", ctx, "unified_orders.tax_total");
  r["total"] = money(woo, "total", ctx, "unified_orders.total");
  r["refunded_total"] = money_text(refunded);
  r["net_total"] = money_text(net);
  auto [customer_id, kind] = customer_reference(woo, ctx);
  r["customer_id"] = std::move(customer_id);
  r["customer_kind"] = std::move(kind);
  const auto *billing = woo.if_contains("billing");
  r["email"] = billing != nullptr && billing->is_object() ? text(billing->as_object(), "email")
                                                          : json::value(nullptr);
  r["billing_address"] = address_of(billing);
  r["shipping_address"] = address_of(woo.if_contains("shipping"));
  r["payment_method"] = text(woo, "payment_method");
  r["created_at"] = utc_time(woo, "date_created_gmt");
  r["updated_at"] = utc_time(woo, "date_modified_gmt");
  r["paid_at"] = utc_time(woo, "date_paid_gmt");
  r["completed_at"] = utc_time(woo, "date_completed_gmt");
  r["_ab_cdc_deleted_at"] = nullptr;

  if (const auto *lines = list_at(woo, "line_items")) {
    for (const auto &line : *lines) {
      if (line.is_object()) {
        out.lines.push_back(map_line(line.as_object(), r, ctx));
      }
    }
  }
  out.order = std::move(r);
  return out;
}

} // namespace wc::unified
