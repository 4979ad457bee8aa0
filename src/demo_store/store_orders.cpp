// Rendering of orders, refunds and order notes. An order's details (lines, addresses, payment)
// derive from its seed, so a million orders need only their compact records in memory.
#include "demo_store/people.hpp"
#include "demo_store/store.hpp"

#include <algorithm>
#include <array>
#include <random>

namespace wc::demo {
namespace json = boost::json;
namespace {

struct Line {
  const Sellable *item = nullptr;
  int quantity = 1;
  std::int64_t subtotal = 0;
  std::int64_t tax = 0;
};

struct Payment {
  const char *id, *title;
};
constexpr std::array<Payment, 4> kPayments{{{"bacs", "Direct bank transfer"},
                                            {"cheque", "Check payments"},
                                            {"cod", "Cash on delivery"},
                                            {"stripe", "Credit Card (Stripe)"}}};
constexpr std::array<const char *, 5> kRefundReasons{
    "", "Customer changed mind", "Item damaged in transit", "Late delivery goodwill", "Wrong size"};
constexpr std::array<const char *, 5> kCustomerNotes{"", "", "Gift wrap please!",
                                                     "Leave at the back door.", ""};
constexpr std::array<const char *, 4> kAgents{
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Firefox/121.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64) Firefox/122.0"};

struct Details {
  std::vector<Line> lines;
  std::int64_t shipping = 0;
  bool free_shipping = false;
  bool taxed = false;
  std::int64_t cart_tax = 0;
  std::int64_t discount = 0;
  std::int64_t fee = 0;
  std::int64_t total = 0;
  const Payment *payment = nullptr;
  std::uint64_t guest_key = 0;
  bool with_meta = false;
  const char *customer_note = "";
  std::string transaction_id;
  std::string order_key;
  const char *agent = "";
  int ip = 1;
};

Details details_for(const StoreData &d, const Order &o) {
  std::mt19937_64 rng(d.seed * 1000003ULL + o.seed);
  Details x;
  const int n_lines = 1 + static_cast<int>(rng() % 4);
  x.taxed = rng() % 10 < 4;
  for (int i = 0; i < n_lines && !d.sellables.empty(); ++i) {
    Line l;
    l.item = &d.sellables[rng() % d.sellables.size()];
    l.quantity = 1 + static_cast<int>(rng() % 3 == 0 ? rng() % 3 : 0);
    l.subtotal = l.item->price_cents * l.quantity;
    l.tax = x.taxed ? (l.subtotal * 725 + 5000) / 10000 : 0;
    x.cart_tax += l.tax;
    x.lines.push_back(l);
  }
  std::int64_t items = 0;
  for (const auto &l : x.lines) {
    items += l.subtotal;
  }
  x.free_shipping = items > 10000;
  x.shipping = x.free_shipping ? 0 : (rng() % 2 ? 999 : 500);
  if (rng() % 10 == 0) {
    x.discount = items / 10;
  }
  if (rng() % 20 == 0) {
    x.fee = 250;
  }
  x.total = items - x.discount + x.shipping + x.fee + x.cart_tax;
  x.payment = &kPayments[rng() % kPayments.size()];
  x.guest_key = 1000000 + rng() % 5000000;
  x.with_meta = rng() % 2 == 0;
  x.customer_note = kCustomerNotes[rng() % kCustomerNotes.size()];
  static constexpr char kHex[] = "0123456789ABCDEF";
  static constexpr char kAlnum[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  for (int i = 0; i < 17; ++i) {
    x.transaction_id += kHex[rng() % 16];
  }
  x.order_key = "wc_order_";
  for (int i = 0; i < 13; ++i) {
    x.order_key += kAlnum[rng() % (sizeof(kAlnum) - 1)];
  }
  x.agent = kAgents[rng() % kAgents.size()];
  x.ip = 1 + static_cast<int>(rng() % 250);
  return x;
}

json::object link_obj(const std::string &href) { return {{"href", href}}; }

json::object self_link(const std::string &href, std::initializer_list<const char *> allow) {
  json::array a;
  for (const char *m : allow) {
    a.emplace_back(m);
  }
  return {{"href", href}, {"targetHints", {{"allow", a}}}};
}

std::string note_text(const Order &o, std::size_t k) {
  static constexpr std::array<const char *, 6> kTexts{
      "Order status changed from Pending payment to Processing.",
      "Stock levels reduced: item 7&rarr;6",
      "Payment received, transaction reference recorded.",
      "Order status changed from Processing to Completed.",
      "Customer asked about delivery time.",
      "Shipping label printed."};
  return kTexts[(o.seed + k) % kTexts.size()];
}

} // namespace

std::string money(std::int64_t cents) {
  const bool neg = cents < 0;
  const std::int64_t a = neg ? -cents : cents;
  std::string frac = std::to_string(a % 100);
  if (frac.size() < 2) {
    frac.insert(frac.begin(), '0');
  }
  return (neg ? "-" : "") + std::to_string(a / 100) + "." + frac;
}

std::int64_t Store::order_total_cents(const Order &o) const { return details_for(data_, o).total; }

json::object Store::render_order(const Order &o, const std::string &api) const {
  const Details x = details_for(data_, o);
  std::uint64_t guest_key = x.guest_key;
  if (auto it = data_.same_guest.find(o.id); it != data_.same_guest.end()) {
    if (const Order *first = find_order(it->second)) {
      guest_key = details_for(data_, *first).guest_key; // a guest who ordered again
    }
  }
  const Person p = person_for(o.customer_id ? o.customer_id : guest_key);
  const std::string id = std::to_string(o.id);
  json::object r;
  r["id"] = o.id;
  r["parent_id"] = 0;
  r["status"] = to_string(o.status);
  r["currency"] = "USD";
  r["version"] = "10.0.2";
  r["prices_include_tax"] = false;
  r["date_created"] = format_local(o.created);
  r["date_modified"] = format_local(o.modified);
  r["discount_total"] = money(x.discount);
  r["discount_tax"] = "0.00";
  r["shipping_total"] = money(x.shipping);
  r["shipping_tax"] = "0.00";
  r["cart_tax"] = money(x.cart_tax);
  r["total"] = money(x.total);
  r["total_tax"] = money(x.cart_tax);
  r["customer_id"] = o.customer_id;
  r["order_key"] = x.order_key;
  r["billing"] = billing_json(p);
  r["shipping"] = shipping_json(p);
  r["payment_method"] = x.payment->id;
  r["payment_method_title"] = x.payment->title;
  r["transaction_id"] = o.paid_after >= 0 ? x.transaction_id : "";
  r["customer_ip_address"] = "192.0.2." + std::to_string(x.ip);
  r["customer_user_agent"] = x.agent;
  r["created_via"] = "checkout";
  std::string note = x.customer_note;
  if (o.edits > 0) {
    note += (note.empty() ? "" : " ") + std::string("[edited ") + std::to_string(o.edits) + "]";
  }
  r["customer_note"] = note;
  const bool completed = o.completed_after >= 0;
  const bool paid = o.paid_after >= 0;
  r["date_completed"] =
      completed ? json::value(format_local(o.created + o.completed_after)) : nullptr;
  r["date_paid"] = paid ? json::value(format_local(o.created + o.paid_after)) : nullptr;
  r["cart_hash"] = "";
  r["number"] = id;
  json::array meta;
  if (x.with_meta) {
    const std::int64_t mid = static_cast<std::int64_t>(o.id) * 10;
    meta.push_back(
        {{"id", mid + 1}, {"key", "_wc_order_attribution_source_type"}, {"value", "typein"}});
    meta.push_back({{"id", mid + 2}, {"key", "_demo_loyalty_points"}, {"value", o.seed % 500}});
    meta.push_back({{"id", mid + 3},
                    {"key", "_demo_delivery"},
                    {"value", {{"window", "morning"}, {"signature", (o.seed % 2) == 0}}}});
    meta.push_back(
        {{"id", mid + 4}, {"key", "_demo_tags"}, {"value", json::array{"web", "promo"}}});
  }
  if (o.edits > 0) {
    meta.push_back({{"id", static_cast<std::int64_t>(o.id) * 10 + 9},
                    {"key", "_demo_edit_count"},
                    {"value", std::to_string(o.edits)}});
  }
  r["meta_data"] = std::move(meta);
  json::array items;
  std::int64_t item_id = static_cast<std::int64_t>(o.id) * 10;
  for (const Line &l : x.lines) {
    json::array lmeta;
    std::int64_t meta_id = item_id * 10;
    for (const auto &[slug, option] : l.item->attributes) {
      std::string display_key = slug.substr(3);
      if (!display_key.empty()) {
        display_key[0] =
            static_cast<char>(std::toupper(static_cast<unsigned char>(display_key[0])));
      }
      std::string value = option;
      std::transform(value.begin(), value.end(), value.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      lmeta.push_back({{"id", ++meta_id},
                       {"key", slug},
                       {"value", value},
                       {"display_key", display_key},
                       {"display_value", option}});
    }
    lmeta.push_back({{"id", ++meta_id},
                     {"key", "_reduced_stock"},
                     {"value", std::to_string(l.quantity)},
                     {"display_key", "_reduced_stock"},
                     {"display_value", std::to_string(l.quantity)}});
    json::array taxes;
    if (x.taxed) {
      taxes.push_back({{"id", 1}, {"total", money(l.tax)}, {"subtotal", money(l.tax)}});
    }
    items.push_back({{"id", ++item_id},
                     {"name", l.item->name},
                     {"product_id", l.item->product_id},
                     {"variation_id", l.item->variation_id},
                     {"quantity", l.quantity},
                     {"tax_class", ""},
                     {"subtotal", money(l.subtotal)},
                     {"subtotal_tax", money(l.tax)},
                     {"total", money(l.subtotal)},
                     {"total_tax", money(l.tax)},
                     {"taxes", std::move(taxes)},
                     {"meta_data", std::move(lmeta)},
                     {"sku", l.item->sku},
                     {"price", static_cast<double>(l.item->price_cents) / 100.0},
                     {"image", {{"id", 0}, {"src", ""}}},
                     {"parent_name", l.item->variation_id ? json::value(l.item->parent_name)
                                                          : json::value(nullptr)}});
  }
  r["line_items"] = std::move(items);
  json::array tax_lines;
  if (x.taxed) {
    tax_lines.push_back({{"id", ++item_id},
                         {"rate_code", "US-CA-CA STATE TAX-1"},
                         {"rate_id", 1},
                         {"label", "CA State Tax"},
                         {"compound", false},
                         {"tax_total", money(x.cart_tax)},
                         {"shipping_tax_total", "0.00"},
                         {"rate_percent", 7.25},
                         {"meta_data", json::array{}}});
  }
  r["tax_lines"] = std::move(tax_lines);
  r["shipping_lines"] =
      json::array{{{"id", ++item_id},
                   {"method_title", x.free_shipping ? "Free shipping" : "Flat rate"},
                   {"method_id", x.free_shipping ? "free_shipping" : "flat_rate"},
                   {"instance_id", x.free_shipping ? "2" : "1"},
                   {"total", money(x.shipping)},
                   {"total_tax", "0.00"},
                   {"taxes", json::array{}},
                   {"tax_status", "taxable"},
                   {"meta_data", json::array{}}}};
  json::array fees;
  if (x.fee) {
    fees.push_back({{"id", ++item_id},
                    {"name", "Gift wrapping"},
                    {"tax_class", ""},
                    {"tax_status", "taxable"},
                    {"amount", money(x.fee)},
                    {"total", money(x.fee)},
                    {"total_tax", "0.00"},
                    {"taxes", json::array{}},
                    {"meta_data", json::array{}}});
  }
  r["fee_lines"] = std::move(fees);
  json::array coupons;
  if (x.discount) {
    coupons.push_back({{"id", ++item_id},
                       {"code", "save10"},
                       {"discount", money(x.discount)},
                       {"discount_tax", "0.00"},
                       {"meta_data", json::array{}}});
  }
  r["coupon_lines"] = std::move(coupons);
  json::array refunds;
  if (auto it = data_.refunds_by_order.find(o.id); it != data_.refunds_by_order.end()) {
    for (auto rid : it->second) {
      if (const Refund *rf = find_refund(rid); rf && !rf->deleted) {
        refunds.push_back({{"id", rf->id},
                           {"reason", kRefundReasons[rf->reason % kRefundReasons.size()]},
                           {"total", money(-rf->amount_cents)}});
      }
    }
  }
  r["refunds"] = std::move(refunds);
  r["payment_url"] =
      "https://127.0.0.1/checkout/order-pay/" + id + "/?pay_for_order=true&key=" + x.order_key;
  r["is_editable"] = o.status == OrderStatus::kPending || o.status == OrderStatus::kOnHold;
  r["needs_payment"] = !paid && o.status == OrderStatus::kPending;
  r["needs_processing"] = true;
  r["date_created_gmt"] = format_naive_utc(o.created);
  r["date_modified_gmt"] = format_naive_utc(o.modified);
  r["date_completed_gmt"] =
      completed ? json::value(format_naive_utc(o.created + o.completed_after)) : nullptr;
  r["date_paid_gmt"] = paid ? json::value(format_naive_utc(o.created + o.paid_after)) : nullptr;
  r["currency_symbol"] = "$";
  json::object links;
  links["self"] =
      json::array{self_link(api + "/orders/" + id, {"GET", "POST", "PUT", "PATCH", "DELETE"})};
  links["collection"] = json::array{link_obj(api + "/orders")};
  links["email_templates"] = json::array{
      {{"embeddable", true}, {"href", api + "/orders/" + id + "/actions/email_templates"}}};
  if (o.customer_id) {
    links["customer"] = json::array{link_obj(api + "/customers/" + std::to_string(o.customer_id))};
  }
  r["_links"] = std::move(links);
  if (auto it = data_.plugin_fields.find("orders"); it != data_.plugin_fields.end()) {
    for (const auto &kv : it->second) {
      r[kv.key()] = kv.value();
    }
  }
  return r;
}

json::object Store::render_refund(const Refund &rf, const std::string &api,
                                  bool with_parent_id) const {
  const std::string oid = std::to_string(rf.order_id);
  const std::string rid = std::to_string(rf.id);
  json::object r;
  r["id"] = rf.id;
  if (with_parent_id) {
    r["parent_id"] = rf.order_id;
  }
  r["date_created"] = format_local(rf.created);
  r["date_created_gmt"] = format_naive_utc(rf.created);
  r["amount"] = money(rf.amount_cents);
  r["reason"] = kRefundReasons[rf.reason % kRefundReasons.size()];
  r["refunded_by"] = 1;
  r["refunded_payment"] = false;
  r["meta_data"] = json::array{};
  r["line_items"] = json::array{};
  r["shipping_lines"] = json::array{};
  r["tax_lines"] = json::array{};
  r["fee_lines"] = json::array{};
  r["_links"] = {{"self", json::array{self_link(api + "/orders/" + oid + "/refunds/" + rid,
                                                {"GET", "DELETE"})}},
                 {"collection", json::array{link_obj(api + "/orders/" + oid + "/refunds")}},
                 {"up", json::array{link_obj(api + "/orders/" + oid)}}};
  return r;
}

std::size_t Store::note_count(const Order &o) const {
  std::size_t n = o.note_count;
  if (auto it = data_.extra_notes.find(o.id); it != data_.extra_notes.end()) {
    n += it->second.size();
  }
  return n;
}

json::array Store::render_notes(const Order &o, const std::string &api) const {
  struct N {
    std::uint32_t id;
    UnixSeconds created;
    std::string text;
    bool customer;
    bool system;
  };
  std::vector<N> notes;
  for (std::size_t k = 0; k < o.note_count; ++k) {
    notes.push_back({o.first_note_id + static_cast<std::uint32_t>(k),
                     o.created + static_cast<UnixSeconds>(k) * 60, note_text(o, k), false, true});
  }
  if (auto it = data_.extra_notes.find(o.id); it != data_.extra_notes.end()) {
    for (const auto &e : it->second) {
      notes.push_back({e.id, e.created, e.text, e.customer_note, false});
    }
  }
  std::sort(notes.begin(), notes.end(), [](const N &a, const N &b) {
    return a.created != b.created ? a.created > b.created : a.id > b.id;
  });
  const std::string oid = std::to_string(o.id);
  json::array out;
  for (const auto &n : notes) {
    const std::string nid = std::to_string(n.id);
    out.push_back({{"id", n.id},
                   {"author", n.system ? "WooCommerce" : "shopmanager"},
                   {"date_created", format_local(n.created)},
                   {"date_created_gmt", format_naive_utc(n.created)},
                   {"note", n.text},
                   {"customer_note", n.customer},
                   {"_links",
                    {{"self", json::array{self_link(api + "/orders/" + oid + "/notes/" + nid,
                                                    {"GET", "DELETE"})}},
                     {"collection", json::array{link_obj(api + "/orders/" + oid + "/notes")}},
                     {"up", json::array{link_obj(api + "/orders/" + oid)}}}}});
  }
  return out;
}

} // namespace wc::demo
