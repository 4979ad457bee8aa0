#include "unified/customer_mapping.hpp"

#include "unified/address.hpp"
#include "unified/guest_id.hpp"
#include "unified/status_table.hpp"
#include "unified/values.hpp"

namespace wc::unified {
namespace json = boost::json;
namespace {

json::value normalized(const json::value &email) {
  if (!email.is_string()) {
    return nullptr;
  }
  auto n = normalized_email(email.as_string());
  return n ? json::value(*n) : json::value(nullptr);
}

json::value billing_field(const json::object &o, std::string_view key) {
  const auto *b = o.if_contains("billing");
  return b != nullptr && b->is_object() ? text(b->as_object(), key) : json::value(nullptr);
}

} // namespace

json::object map_customer(const json::object &woo, const Context &ctx) {
  json::object r = keyed(ctx);
  r["customer_id"] = id_text(woo, "id");
  r["customer_kind"] = "registered";
  r["platform_customer_id"] = id_text(woo, "id");
  json::value email = text(woo, "email");
  r["normalized_email"] = normalized(email);
  r["email"] = std::move(email);
  r["first_name"] = text(woo, "first_name");
  r["last_name"] = text(woo, "last_name");
  r["phone"] = billing_field(woo, "phone");
  r["billing_address"] = address_of(woo.if_contains("billing"));
  r["shipping_address"] = address_of(woo.if_contains("shipping"));
  r["created_at"] = utc_time(woo, "date_created_gmt");
  r["updated_at"] = utc_time(woo, "date_modified_gmt");
  return r;
}

std::optional<json::object> guest_from_order(const json::object &woo, const Context &ctx) {
  if (!id_text(woo, "customer_id").is_null() || deleted_at(woo)) {
    return std::nullopt;
  }
  if (const auto *s = woo.if_contains("status");
      s != nullptr && s->is_string() && StatusTable::builtin().is_tombstone(s->as_string())) {
    return std::nullopt;
  }
  json::value email = billing_field(woo, "email");
  json::value norm = normalized(email);
  if (norm.is_null()) {
    return std::nullopt;
  }
  json::object r = keyed(ctx);
  r["customer_id"] = guest_id(ctx.store_id, norm.as_string());
  r["customer_kind"] = "guest";
  r["platform_customer_id"] = nullptr;
  r["email"] = std::move(email);
  r["normalized_email"] = std::move(norm);
  r["first_name"] = billing_field(woo, "first_name");
  r["last_name"] = billing_field(woo, "last_name");
  r["phone"] = billing_field(woo, "phone");
  r["billing_address"] = address_of(woo.if_contains("billing"));
  r["shipping_address"] = address_of(woo.if_contains("shipping"));
  r["created_at"] = nullptr;
  r["updated_at"] = utc_time(woo, "date_modified_gmt");
  return r;
}

} // namespace wc::unified
