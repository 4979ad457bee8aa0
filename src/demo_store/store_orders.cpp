// Rendering of orders, refunds and order notes. An order's details (lines, addresses, payment)
// derive from its seed, so a million orders need only their compact records in memory.
#include "demo_store/nested_variety.hpp"
#include "demo_store/people.hpp"
#include "demo_store/store.hpp"

#include <algorithm>
#include <array>
#include <random>

namespace wc::demo {
namespace json = boost::json;
namespace {

// The two tax rates an order can carry (multi-rate: both): CA state tax and LA county tax.
struct TaxRate {
  std::int64_t id;
  int basis_points;
  const char *code, *label;
  double percent;
};
constexpr std::array<TaxRate, 2> kRates{{{1, 725, "US-CA-CA STATE TAX-1", "CA State Tax", 7.25},
                                         {7, 100, "US-CA-LA COUNTY TAX-2", "LA County Tax", 1.0}}};
using RateAmounts = std::array<std::int64_t, 2>; // per kRates entry, cents

std::int64_t sum(const RateAmounts &a) { return a[0] + a[1]; }

struct Line {
  std::int64_t id = 0;
  const Sellable *item = nullptr;
  int quantity = 1;
  std::int64_t subtotal = 0;
  std::int64_t tax = 0; // sum of taxes
  RateAmounts taxes{};
};

struct Fee {
  std::int64_t id = 0;
  std::string name;
  std::int64_t cents = 0;
  RateAmounts taxes{};
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
  std::vector<Line> lines; // present ones (an edit may have removed some)
  std::int64_t shipping = 0;
  std::int64_t shipping_id = 0;
  RateAmounts shipping_taxes{};
  bool free_shipping = false;
  bool taxed = false;
  int rates = 0; // 0, 1 or 2 (multi-rate) of kRates
  std::array<std::int64_t, 2> tax_line_ids{};
  std::int64_t cart_tax = 0; // line items' and fees' taxes
  std::int64_t shipping_tax = 0;
  std::int64_t discount = 0;
  std::int64_t coupon_id = 0; // 0 = no coupon line
  std::int64_t fee = 0;
  std::vector<Fee> fees;
  std::int64_t total = 0;
  json::object meta_values; // edited meta values by key
  const Payment *payment = nullptr;
  std::uint64_t guest_key = 0;
  bool with_meta = false;
  const char *customer_note = "";
  std::string transaction_id;
  std::string order_key;
  const char *agent = "";
  int ip = 1;
};

RateAmounts taxes_on(const Details &x, std::int64_t cents) {
  RateAmounts t{};
  for (int r = 0; r < x.rates; ++r) {
    t[static_cast<std::size_t>(r)] =
        (cents * kRates[static_cast<std::size_t>(r)].basis_points + 5000) / 10000;
  }
  return t;
}

// Line ids, taxes per rate, fees and the edits made through /__control; then the totals. Ids
// follow the generated layout (order id * 10 + 1, + 2, ...), so removing a line renumbers
// nothing; the variety (multi-rate, a second kind of fee) derives from the order's seed.
void add_lists(const StoreData &d, const Order &o, Details &x) {
  const std::uint64_t h = variety_mix(d.seed * 1000003ULL + o.seed + 77);
  x.rates = x.taxed ? (h % 3 != 0 ? 2 : 1) : 0;
  std::int64_t next_id = static_cast<std::int64_t>(o.id) * 10;
  for (Line &l : x.lines) {
    l.id = ++next_id;
    l.taxes = taxes_on(x, l.subtotal);
    l.tax = sum(l.taxes);
  }
  for (int r = 0; r < x.rates; ++r) {
    x.tax_line_ids[static_cast<std::size_t>(r)] = ++next_id;
  }
  x.shipping_id = ++next_id;
  if (x.fee == 0 && (h >> 8) % 4 == 0) {
    x.fee = 375;
  }
  if (x.fee) {
    x.fees.push_back({++next_id, x.fee == 250 ? "Gift wrapping" : "Handling", x.fee, {}});
  }
  if (x.discount) {
    x.coupon_id = ++next_id;
  }
  if (auto it = d.order_edits.find(o.id); it != d.order_edits.end()) {
    const OrderListEdits &e = it->second;
    std::vector<Line> kept;
    for (std::size_t i = 0; i < x.lines.size(); ++i) {
      if ((e.removed_lines & (1U << i)) == 0) {
        kept.push_back(x.lines[i]);
      }
    }
    x.lines = std::move(kept);
    if (e.coupon_removed) {
      x.discount = 0;
      x.coupon_id = 0;
    }
    for (const auto &f : e.added_fees) {
      x.fees.push_back({f.id, f.name, f.cents, {}});
    }
    x.meta_values = e.meta_values;
  }
  std::int64_t items = 0, fees = 0;
  for (const Line &l : x.lines) {
    items += l.subtotal;
    x.cart_tax += l.tax;
  }
  for (Fee &f : x.fees) {
    f.taxes = taxes_on(x, f.cents);
    fees += f.cents;
    x.cart_tax += sum(f.taxes);
  }
  x.shipping_taxes = taxes_on(x, x.shipping);
  x.shipping_tax = sum(x.shipping_taxes);
  x.fee = fees;
  x.total = items - x.discount + x.shipping + x.shipping_tax + fees + x.cart_tax;
}

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
  add_lists(d, o, x);
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

std::string money(std::int64_t cents);

namespace {

// taxes[] of a line, shipping line or fee line: one entry per rate ({id, total, subtotal});
// shipping and fee lines have no subtotal (""); a rate that took nothing (free shipping) has
// no entry. sign -1 for refunds.
json::array tax_list(const Details &x, const RateAmounts &t, bool with_subtotal, int sign = 1) {
  json::array out;
  for (int r = 0; r < x.rates; ++r) {
    if (t[static_cast<std::size_t>(r)] == 0) {
      continue;
    }
    const std::string v = money(sign * t[static_cast<std::size_t>(r)]);
    out.push_back({{"id", kRates[static_cast<std::size_t>(r)].id},
                   {"total", v},
                   {"subtotal", with_subtotal ? v : std::string()}});
  }
  return out;
}

// The order's (or, sign -1, a full refund's) tax_lines: one per rate with tax on it.
json::array tax_lines_of(const Details &x, int sign, std::int64_t refund_first_id = 0) {
  json::array out;
  for (int r = 0; r < x.rates; ++r) {
    const auto k = static_cast<std::size_t>(r);
    std::int64_t items = 0;
    for (const Line &l : x.lines) {
      items += l.taxes[k];
    }
    for (const Fee &f : x.fees) {
      items += f.taxes[k];
    }
    if (items + x.shipping_taxes[k] == 0) {
      continue;
    }
    out.push_back({{"id", refund_first_id ? refund_first_id + r : x.tax_line_ids[k]},
                   {"rate_code", kRates[k].code},
                   {"rate_id", kRates[k].id},
                   {"label", kRates[k].label},
                   {"compound", false},
                   {"tax_total", money(sign * items)},
                   {"shipping_tax_total", money(sign * x.shipping_taxes[k])},
                   {"rate_percent", kRates[k].percent},
                   {"meta_data", json::array{}}});
  }
  return out;
}

json::object shipping_line(const Details &x, std::int64_t id, int sign, const std::string &items) {
  json::array meta;
  if (!items.empty()) {
    meta.push_back({{"id", id * 10 + 1},
                    {"key", "Items"},
                    {"value", items},
                    {"display_key", "Items"},
                    {"display_value", items}});
  }
  return {{"id", id},
          {"method_title", x.free_shipping ? "Free shipping" : "Flat rate"},
          {"method_id", x.free_shipping ? "free_shipping" : "flat_rate"},
          {"instance_id", x.free_shipping ? "2" : "1"},
          {"total", money(sign * x.shipping)},
          {"total_tax", money(sign * x.shipping_tax)},
          {"taxes", tax_list(x, x.shipping_taxes, false, sign)},
          {"tax_status", "taxable"},
          {"meta_data", std::move(meta)}};
}

json::object fee_line(const Fee &f, std::int64_t id, int sign, const Details &x) {
  return {{"id", id},
          {"name", f.name},
          {"tax_class", ""},
          {"tax_status", "taxable"},
          {"amount", money(sign * f.cents)},
          {"total", money(sign * f.cents)},
          {"total_tax", money(sign * sum(f.taxes))},
          {"taxes", tax_list(x, f.taxes, false, sign)},
          {"meta_data", json::array{}}};
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
  r["shipping_tax"] = money(x.shipping_tax);
  r["cart_tax"] = money(x.cart_tax);
  r["total"] = money(x.total);
  r["total_tax"] = money(x.cart_tax + x.shipping_tax);
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
    meta.push_back({{"id", mid + 5}, {"key", "_demo_gift"}, {"value", (o.seed % 3) == 0}});
    meta.push_back({{"id", mid + 6}, {"key", "_demo_referrer"}, {"value", nullptr}});
  }
  if (o.edits > 0) {
    meta.push_back({{"id", static_cast<std::int64_t>(o.id) * 10 + 9},
                    {"key", "_demo_edit_count"},
                    {"value", std::to_string(o.edits)}});
  }
  for (auto &m : meta) {
    if (const auto *v = x.meta_values.if_contains(m.as_object().at("key").as_string())) {
      m.as_object()["value"] = *v;
    }
  }
  r["meta_data"] = std::move(meta);
  json::array items;
  for (const Line &l : x.lines) {
    json::array lmeta;
    std::int64_t meta_id = l.id * 10;
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
    items.push_back({{"id", l.id},
                     {"name", l.item->name},
                     {"product_id", l.item->product_id},
                     {"variation_id", l.item->variation_id},
                     {"quantity", l.quantity},
                     {"tax_class", ""},
                     {"subtotal", money(l.subtotal)},
                     {"subtotal_tax", money(l.tax)},
                     {"total", money(l.subtotal)},
                     {"total_tax", money(l.tax)},
                     {"taxes", tax_list(x, l.taxes, true)},
                     {"meta_data", std::move(lmeta)},
                     {"sku", l.item->sku},
                     {"price", static_cast<double>(l.item->price_cents) / 100.0},
                     {"image", {{"id", 0}, {"src", ""}}},
                     {"parent_name", l.item->variation_id ? json::value(l.item->parent_name)
                                                          : json::value(nullptr)}});
  }
  r["line_items"] = std::move(items);
  r["tax_lines"] = tax_lines_of(x, 1);
  json::array shipping;
  if (x.shipping_id) {
    std::string names;
    for (const Line &l : x.lines) {
      names +=
          (names.empty() ? "" : ", ") + l.item->name + " &times; " + std::to_string(l.quantity);
    }
    shipping.push_back(shipping_line(x, x.shipping_id, 1, names));
  }
  r["shipping_lines"] = std::move(shipping);
  json::array fees;
  for (const Fee &f : x.fees) {
    fees.push_back(fee_line(f, f.id, 1, x));
  }
  r["fee_lines"] = std::move(fees);
  json::array coupons;
  if (x.coupon_id) {
    coupons.push_back({{"id", x.coupon_id},
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
  json::array meta, items, shipping, taxes, fees;
  const Order *o = find_order(rf.order_id);
  if (rf.full && o != nullptr) {
    // A refund of the whole order lists what it gave back, as WooCommerce records it: every
    // line negated, each line item pointing at the order's by _refunded_item_id. Its own item
    // ids are refund id * 10 + 1, + 2, ... (at most 9).
    const Details x = details_for(data_, *o);
    std::int64_t next = static_cast<std::int64_t>(rf.id) * 10;
    const std::int64_t last = next + 9;
    meta.push_back({{"id", next + 1}, {"key", "_demo_refund_channel"}, {"value", "dashboard"}});
    for (const Line &l : x.lines) {
      if (next >= last) {
        break;
      }
      const std::int64_t id = ++next;
      const std::string ref = std::to_string(l.id);
      items.push_back({{"id", id},
                       {"name", l.item->name},
                       {"product_id", l.item->product_id},
                       {"variation_id", l.item->variation_id},
                       {"quantity", -l.quantity},
                       {"tax_class", ""},
                       {"subtotal", money(-l.subtotal)},
                       {"subtotal_tax", money(-l.tax)},
                       {"total", money(-l.subtotal)},
                       {"total_tax", money(-l.tax)},
                       {"taxes", tax_list(x, l.taxes, true, -1)},
                       {"meta_data", json::array{{{"id", id * 10 + 1},
                                                  {"key", "_refunded_item_id"},
                                                  {"value", ref},
                                                  {"display_key", "_refunded_item_id"},
                                                  {"display_value", ref}}}},
                       {"sku", l.item->sku},
                       // total / quantity: both negative, the price is not
                       {"price", static_cast<double>(l.item->price_cents) / 100.0},
                       {"image", {{"id", 0}, {"src", ""}}},
                       {"parent_name", l.item->variation_id ? json::value(l.item->parent_name)
                                                            : json::value(nullptr)}});
    }
    // WooCommerce marks every refunded line, shipping and fees too, with _refunded_item_id.
    auto refunded_item = [](json::object line, std::int64_t order_item) {
      const std::string ref = std::to_string(order_item);
      line["meta_data"].as_array().push_back({{"id", line.at("id").as_int64() * 10 + 1},
                                              {"key", "_refunded_item_id"},
                                              {"value", ref},
                                              {"display_key", "_refunded_item_id"},
                                              {"display_value", ref}});
      return line;
    };
    if (x.shipping > 0 && next < last) {
      shipping.push_back(refunded_item(shipping_line(x, ++next, -1, ""), x.shipping_id));
    }
    for (const Fee &f : x.fees) {
      if (next < last) {
        fees.push_back(refunded_item(fee_line(f, ++next, -1, x), f.id));
      }
    }
    if (next + x.rates <= last) {
      taxes = tax_lines_of(x, -1, next + 1);
    }
  }
  r["meta_data"] = std::move(meta);
  r["line_items"] = std::move(items);
  r["shipping_lines"] = std::move(shipping);
  r["tax_lines"] = std::move(taxes);
  r["fee_lines"] = std::move(fees);
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
