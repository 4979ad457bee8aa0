#include "demo_store/store.hpp"

#include "demo_store/data_gen.hpp"
#include "demo_store/nested_variety.hpp"

#include <algorithm>
#include <mutex>
#include <random>
#include <stdexcept>

namespace wc::demo {
namespace json = boost::json;
namespace {

json::object link_obj(const std::string &href) { return {{"href", href}}; }
json::object self_link(const std::string &href) {
  return {{"href", href},
          {"targetHints", {{"allow", json::array{"GET", "POST", "PUT", "PATCH", "DELETE"}}}}};
}

void set_dates(json::object &r, const Doc &d, bool modified) {
  r["date_created"] = format_local(d.created);
  r["date_created_gmt"] = format_naive_utc(d.created);
  if (modified) {
    r["date_modified"] = format_local(d.modified);
    r["date_modified_gmt"] = format_naive_utc(d.modified);
  }
}

std::string change_resource(const std::string &resource) {
  if (resource == "orders") {
    return "order";
  }
  if (resource == "products" || resource == "variations") {
    return "product";
  }
  if (resource == "customers") {
    return "customer";
  }
  return "coupon";
}

void bump_edit_meta(Doc &d) {
  ++d.edits;
  auto &meta = d.body["meta_data"];
  if (!meta.is_array()) {
    meta = json::array{};
  }
  auto &arr = meta.as_array();
  for (auto &m : arr) {
    if (m.is_object() && m.as_object().contains("key") &&
        m.as_object().at("key") == "_demo_edit_count") {
      m.as_object()["value"] = std::to_string(d.edits);
      return;
    }
  }
  arr.push_back(
      {{"id", d.id * 10 + 9}, {"key", "_demo_edit_count"}, {"value", std::to_string(d.edits)}});
}

} // namespace

Store::Store(std::string wc_version) : wc_version_(std::move(wc_version)) {}

void Store::set_site_api_base(std::string base) {
  std::lock_guard lock(meta_mu_);
  site_api_base_ = std::move(base);
}

std::string Store::site_api_base() const {
  std::lock_guard lock(meta_mu_);
  return site_api_base_;
}

void Store::add_change_listener(ChangeListener listener) {
  std::lock_guard lock(meta_mu_);
  listeners_.push_back(std::move(listener));
}

void Store::notify(const std::vector<Change> &changes) {
  std::vector<ChangeListener> listeners;
  {
    std::lock_guard lock(meta_mu_);
    listeners = listeners_;
  }
  for (const auto &c : changes) {
    for (const auto &l : listeners) {
      l(c);
    }
  }
}

const Order *Store::find_order(std::int64_t id) const {
  auto it = std::lower_bound(data_.orders.begin(), data_.orders.end(), id,
                             [](const Order &o, std::int64_t v) { return o.id < v; });
  return (it != data_.orders.end() && it->id == id && !it->deleted) ? &*it : nullptr;
}

Order *Store::find_order_mut(std::int64_t id) { return const_cast<Order *>(find_order(id)); }

const Refund *Store::find_refund(std::int64_t id) const {
  auto it = std::lower_bound(data_.refunds.begin(), data_.refunds.end(), id,
                             [](const Refund &r, std::int64_t v) { return r.id < v; });
  return (it != data_.refunds.end() && it->id == id && !it->deleted) ? &*it : nullptr;
}

const Doc *Store::find_doc(const std::vector<Doc> &docs, std::int64_t id) {
  auto it = std::lower_bound(docs.begin(), docs.end(), id,
                             [](const Doc &d, std::int64_t v) { return d.id < v; });
  return (it != docs.end() && it->id == id && !it->deleted) ? &*it : nullptr;
}

json::object Store::render_product(const Doc &d, const std::string &api) const {
  json::object r = d.body;
  set_dates(r, d, true);
  if (data_.shuffle_related_ids) {
    shuffle_related(r, renders_.fetch_add(1) * 1000003ULL + static_cast<std::uint64_t>(d.id));
  }
  const std::string id = std::to_string(d.id);
  r["_links"] = {{"self", json::array{self_link(api + "/products/" + id)}},
                 {"collection", json::array{link_obj(api + "/products")}}};
  if (auto it = data_.plugin_fields.find("products"); it != data_.plugin_fields.end()) {
    for (const auto &kv : it->second) {
      r[kv.key()] = kv.value();
    }
  }
  return r;
}

json::object Store::render_variation(const Doc &d, const std::string &api,
                                     bool with_parent_id) const {
  json::object r = d.body;
  set_dates(r, d, true);
  if (!with_parent_id) {
    r.erase("parent_id");
  }
  const std::string pid = std::to_string(d.parent);
  const std::string id = std::to_string(d.id);
  r["_links"] = {{"self", json::array{self_link(api + "/products/" + pid + "/variations/" + id)}},
                 {"collection", json::array{link_obj(api + "/products/" + pid + "/variations")}},
                 {"up", json::array{link_obj(api + "/products/" + pid)}}};
  return r;
}

json::object Store::render_customer(const Doc &d, const std::string &api) const {
  json::object r = d.body;
  set_dates(r, d, true);
  r["_links"] = {{"self", json::array{self_link(api + "/customers/" + std::to_string(d.id))}},
                 {"collection", json::array{link_obj(api + "/customers")}}};
  return r;
}

json::object Store::render_coupon(const Doc &d, const std::string &api) const {
  json::object r = d.body;
  set_dates(r, d, true);
  r["_links"] = {{"self", json::array{self_link(api + "/coupons/" + std::to_string(d.id))}},
                 {"collection", json::array{link_obj(api + "/coupons")}}};
  return r;
}

json::object Store::render_review(const Doc &d, const std::string &api) const {
  json::object r = d.body;
  set_dates(r, d, false);
  r["_links"] = {
      {"self", json::array{self_link(api + "/products/reviews/" + std::to_string(d.id))}},
      {"collection", json::array{link_obj(api + "/products/reviews")}},
      {"up", json::array{link_obj(api + "/products/" + std::to_string(d.group))}}};
  return r;
}

json::object Store::render_term(const Doc &d, const std::string &api,
                                const std::string &collection) const {
  json::object r = d.body;
  r["_links"] = {
      {"self", json::array{self_link(api + "/" + collection + "/" + std::to_string(d.id))}},
      {"collection", json::array{link_obj(api + "/" + collection)}}};
  return r;
}

std::vector<Doc> *Store::docs_for(const std::string &resource) {
  if (resource == "products") {
    return &data_.products;
  }
  if (resource == "variations") {
    return &data_.variations;
  }
  if (resource == "customers") {
    return &data_.customers;
  }
  if (resource == "coupons") {
    return &data_.coupons;
  }
  return nullptr;
}

Change Store::change_for(const std::string &resource, std::int64_t id, const std::string &event) {
  Change c;
  c.resource = change_resource(resource);
  c.event = event;
  c.id = id;
  const std::string api = site_api_base();
  if (resource == "orders") {
    if (const Order *o = find_order(id)) {
      c.payload = render_order(*o, api);
    }
  } else if (auto *docs = docs_for(resource)) {
    if (const Doc *d = find_doc(*docs, id)) {
      if (resource == "products") {
        c.payload = render_product(*d, api);
      } else if (resource == "variations") {
        c.payload = render_variation(*d, api, false);
      } else if (resource == "customers") {
        c.payload = render_customer(*d, api);
      } else {
        c.payload = render_coupon(*d, api);
      }
    }
  }
  if (c.payload.is_null()) {
    c.payload = {{"id", id}};
  }
  return c;
}

// Applies fn(Order*) or fn(Doc*) to each id under the unique lock; fn returns false to skip.
template <class Fn>
MutationResult Store::mutate(const std::string &resource, const std::vector<std::int64_t> &ids,
                             const std::string &event, Fn fn) {
  MutationResult result;
  std::vector<Change> changes;
  {
    std::unique_lock lock(mu_);
    const UnixSeconds now = clock_.now();
    for (auto id : ids) {
      bool ok = false;
      if (resource == "orders") {
        if (Order *o = find_order_mut(id)) {
          ok = fn(o, static_cast<Doc *>(nullptr), now);
        }
      } else if (auto *docs = docs_for(resource)) {
        if (auto *d = const_cast<Doc *>(find_doc(*docs, id))) {
          ok = fn(static_cast<Order *>(nullptr), d, now);
        }
      }
      if (ok) {
        result.changed.push_back(id);
        if (!event.empty()) {
          changes.push_back(change_for(resource, id, event));
        }
      } else {
        result.missing.push_back(id);
      }
    }
    ++generation_;
  }
  notify(changes);
  return result;
}

void Store::touch_parent(const std::string &resource, const Doc &d) {
  if (resource != "variations") {
    return;
  }
  // Saving a variation re-saves its parent product (WC_Product_Variable::sync): the parent's
  // date_modified becomes the same second (seen on a WooCommerce 10.0.2 store).
  if (auto *p = const_cast<Doc *>(find_doc(data_.products, d.parent))) {
    p->modified = d.modified;
  }
}

MutationResult Store::edit(const std::string &resource, const std::vector<std::int64_t> &ids,
                           int seconds_forward) {
  return mutate(resource, ids, "updated", [&](Order *o, Doc *d, UnixSeconds now) {
    if (o) {
      ++o->edits;
      o->modified = now + seconds_forward;
    } else {
      bump_edit_meta(*d);
      d->modified = now + seconds_forward;
      touch_parent(resource, *d);
    }
    return true;
  });
}

MutationResult Store::set_status(const std::vector<std::int64_t> &ids, OrderStatus status,
                                 std::optional<bool> paid) {
  return mutate("orders", ids, "updated", [&](Order *o, Doc *, UnixSeconds now) {
    if (o == nullptr || o->status == OrderStatus::kTrash) {
      return false;
    }
    o->status = status;
    if (paid && !*paid) {
      o->paid_after = -1;
    } else if (paid && o->paid_after < 0) {
      o->paid_after = 60;
    }
    o->modified = now;
    return true;
  });
}

MutationResult Store::same_guest(const std::vector<std::int64_t> &ids, std::int64_t as) {
  {
    std::shared_lock lock(mu_);
    if (find_order(as) == nullptr) {
      return {{}, ids};
    }
  }
  return mutate("orders", ids, "updated", [&](Order *o, Doc *, UnixSeconds now) {
    if (o == nullptr) {
      return false;
    }
    auto alias = data_.same_guest.find(static_cast<std::uint32_t>(as));
    data_.same_guest[o->id] =
        alias != data_.same_guest.end() ? alias->second : static_cast<std::uint32_t>(as);
    o->customer_id = 0;
    o->modified = now;
    return true;
  });
}

MutationResult Store::trash(const std::string &resource, const std::vector<std::int64_t> &ids) {
  if (resource == "customers") {
    return {{}, ids}; // WooCommerce cannot trash users
  }
  return mutate(resource, ids, "deleted", [&](Order *o, Doc *d, UnixSeconds now) {
    if (o) {
      if (o->status == OrderStatus::kTrash) {
        return false;
      }
      o->status_before_trash = o->status;
      o->status = OrderStatus::kTrash;
      o->modified = now;
    } else {
      if (d->status == "trash") {
        return false;
      }
      d->prev_status = d->status;
      d->status = "trash";
      d->body["status"] = "trash";
      d->modified = now;
      touch_parent(resource, *d);
    }
    return true;
  });
}

MutationResult Store::restore(const std::string &resource, const std::vector<std::int64_t> &ids) {
  return mutate(resource, ids, "restored", [&](Order *o, Doc *d, UnixSeconds now) {
    if (o) {
      if (o->status != OrderStatus::kTrash) {
        return false;
      }
      o->status = o->status_before_trash;
      o->modified = now;
    } else {
      if (d->status != "trash") {
        return false;
      }
      d->status = d->prev_status.empty() ? "publish" : d->prev_status;
      d->body["status"] = d->status;
      d->modified = now;
      touch_parent(resource, *d);
    }
    return true;
  });
}

MutationResult Store::remove(const std::string &resource, const std::vector<std::int64_t> &ids) {
  MutationResult result;
  std::vector<Change> changes;
  {
    std::unique_lock lock(mu_);
    for (auto id : ids) {
      Change c = change_for(resource, id, "deleted");
      c.permanent = true;
      bool ok = false;
      if (resource == "orders") {
        if (Order *o = find_order_mut(id)) {
          o->deleted = true;
          ok = true;
        }
      } else if (auto *docs = docs_for(resource)) {
        if (auto *d = const_cast<Doc *>(find_doc(*docs, id))) {
          d->deleted = true;
          ok = true;
          if (resource == "products") {
            for (auto &v : data_.variations) {
              if (v.parent == id) {
                v.deleted = true;
              }
            }
          }
        }
      }
      if (ok) {
        result.changed.push_back(id);
        changes.push_back(std::move(c));
      } else {
        result.missing.push_back(id);
      }
    }
    ++generation_;
  }
  notify(changes);
  return result;
}

MutationResult Store::set_modified(const std::string &resource,
                                   const std::vector<std::int64_t> &ids, UnixSeconds modified_gmt) {
  return mutate(resource, ids, "updated", [&](Order *o, Doc *d, UnixSeconds) {
    (o ? o->modified : d->modified) = modified_gmt;
    return true;
  });
}

Order &Store::append_order(UnixSeconds created, UnixSeconds modified, std::uint32_t customer_id,
                           OrderStatus status, std::uint32_t seed) {
  Order o;
  o.id = data_.next_post_id++;
  o.customer_id = customer_id;
  o.seed = seed;
  o.created = created;
  o.modified = modified;
  o.status = status;
  o.status_before_trash = status;
  o.note_count = static_cast<std::uint16_t>(1 + seed % 4);
  o.first_note_id = data_.next_comment_id;
  data_.next_comment_id += o.note_count;
  data_.orders.push_back(o);
  return data_.orders.back();
}

std::vector<std::int64_t> Store::create(const std::string &resource, int count) {
  std::vector<std::int64_t> created;
  std::vector<Change> changes;
  {
    std::unique_lock lock(mu_);
    const UnixSeconds now = clock_.now();
    for (int i = 0; i < count; ++i) {
      const std::uint64_t n = data_.next_post_id + data_.seed;
      if (resource == "orders") {
        const std::uint32_t customer =
            data_.customers.empty()
                ? 0
                : static_cast<std::uint32_t>(data_.customers[n % data_.customers.size()].id);
        Order &o = append_order(now, now, customer, OrderStatus::kProcessing,
                                static_cast<std::uint32_t>(n * 2654435761ULL));
        o.paid_after = 0;
        created.push_back(o.id);
      } else if (resource == "products") {
        data_.products.push_back(make_simple_product(data_, n, now));
        created.push_back(data_.products.back().id);
      } else if (resource == "customers") {
        data_.customers.push_back(make_customer(data_, n, now, "customer"));
        created.push_back(data_.customers.back().id);
      } else if (resource == "coupons") {
        data_.coupons.push_back(make_coupon(data_, n, now));
        created.push_back(data_.coupons.back().id);
      } else {
        break;
      }
      changes.push_back(change_for(resource, created.back(), "created"));
    }
    ++generation_;
  }
  notify(changes);
  return created;
}

std::optional<std::int64_t> Store::add_note(std::int64_t order_id, const std::string &text) {
  std::unique_lock lock(mu_);
  const Order *o = find_order(order_id);
  if (!o) {
    return std::nullopt;
  }
  ExtraNote n;
  n.id = data_.next_comment_id++;
  n.created = clock_.now();
  n.text = text.empty() ? "Note added by the test harness." : text;
  data_.extra_notes[o->id].push_back(n);
  ++generation_;
  return n.id; // WooCommerce does not bump the order's date_modified for a note
}

void Store::set_plugin_field(const std::string &resource, const std::string &field,
                             const json::value &value) {
  std::unique_lock lock(mu_);
  auto &fields = data_.plugin_fields[resource];
  if (value.is_null()) {
    fields.erase(field);
  } else {
    fields[field] = value;
  }
  ++generation_;
}

std::optional<std::int64_t> Store::add_refund(std::int64_t order_id, bool full) {
  std::vector<Change> changes;
  std::int64_t refund_id = 0;
  {
    std::unique_lock lock(mu_);
    Order *o = find_order_mut(order_id);
    if (!o) {
      return std::nullopt;
    }
    const UnixSeconds now = clock_.now();
    const std::int64_t total = order_total_cents(*o);
    std::int64_t refunded = 0;
    auto &list = data_.refunds_by_order[o->id];
    for (auto rid : list) {
      if (const Refund *r = find_refund(rid)) {
        refunded += r->amount_cents;
      }
    }
    Refund r;
    r.id = data_.next_post_id++;
    r.order_id = o->id;
    r.created = now;
    r.amount_cents = full ? std::max<std::int64_t>(1, total - refunded)
                          : std::max<std::int64_t>(1, std::min(total - refunded, total / 4 + 1));
    r.full = full && refunded == 0 && r.amount_cents == total;
    r.reason = static_cast<std::uint8_t>(1 + r.id % 4);
    data_.refunds.push_back(r);
    list.push_back(r.id);
    if (refunded + r.amount_cents >= total && o->status != OrderStatus::kTrash) {
      o->status = OrderStatus::kRefunded;
    }
    o->modified = now; // wc_create_refund() saves the parent order
    refund_id = r.id;
    ++generation_;
    changes.push_back(change_for("orders", o->id, "updated"));
  }
  notify(changes);
  return refund_id;
}

void Store::edit_order_lists(
    std::int64_t order_id, const std::function<void(const json::object &, OrderListEdits &)> &fn) {
  std::vector<Change> changes;
  {
    std::unique_lock lock(mu_);
    Order *o = find_order_mut(order_id);
    if (!o) {
      throw std::invalid_argument("unknown order_id " + std::to_string(order_id));
    }
    OrderListEdits edits;
    if (auto it = data_.order_edits.find(o->id); it != data_.order_edits.end()) {
      edits = it->second;
    }
    fn(render_order(*o, site_api_base()), edits); // throws before anything changed
    data_.order_edits[o->id] = std::move(edits);
    o->modified = clock_.now(); // saving the order (WC_Order::save) sets date_modified
    ++generation_;
    changes.push_back(change_for("orders", o->id, "updated"));
  }
  notify(changes);
}

void Store::remove_line_item(std::int64_t order_id, std::int64_t line_item_id) {
  edit_order_lists(order_id, [&](const json::object &order, OrderListEdits &e) {
    const auto &items = order.at("line_items").as_array();
    if (items.empty()) {
      throw std::invalid_argument("order " + std::to_string(order_id) + " has no line item");
    }
    std::int64_t id = line_item_id;
    if (id == 0) {
      id = items.back().as_object().at("id").to_number<std::int64_t>();
    }
    const bool present = std::any_of(items.begin(), items.end(), [&](const json::value &v) {
      return v.as_object().at("id").to_number<std::int64_t>() == id;
    });
    const std::int64_t index = id - order_id * 10 - 1; // generated line i has id order*10+1+i
    if (!present || index < 0 || index >= 32) {
      throw std::invalid_argument("order " + std::to_string(order_id) + " has no line item " +
                                  std::to_string(id));
    }
    e.removed_lines |= 1U << static_cast<unsigned>(index);
  });
}

void Store::set_order_meta(std::int64_t order_id, const std::string &key, const json::value &v) {
  edit_order_lists(order_id, [&](const json::object &order, OrderListEdits &e) {
    const auto &meta = order.at("meta_data").as_array();
    if (std::none_of(meta.begin(), meta.end(), [&](const json::value &m) {
          return m.as_object().at("key").as_string() == key;
        })) {
      throw std::invalid_argument("order " + std::to_string(order_id) + " has no meta entry " +
                                  key);
    }
    e.meta_values[key] = v;
  });
}

std::int64_t Store::add_fee(std::int64_t order_id, const std::string &name, std::int64_t cents) {
  std::int64_t id = 0;
  edit_order_lists(order_id, [&](const json::object &, OrderListEdits &e) {
    // A new order item: an id no generated item has (those are post id * 10 + 1..9).
    id = static_cast<std::int64_t>(data_.next_post_id++) * 10;
    e.added_fees.push_back({id, name.empty() ? "Express handling" : name, cents});
  });
  return id;
}

void Store::remove_coupon(std::int64_t order_id) {
  edit_order_lists(order_id, [&](const json::object &order, OrderListEdits &e) {
    if (order.at("coupon_lines").as_array().empty()) {
      throw std::invalid_argument("order " + std::to_string(order_id) + " has no coupon line");
    }
    e.coupon_removed = true;
  });
}

void Store::set_shuffle_related(bool on) {
  std::unique_lock lock(mu_);
  data_.shuffle_related_ids = on;
  ++generation_;
}

json::object Store::counts() const {
  std::shared_lock lock(mu_);
  std::int64_t orders = 0, notes = 0, refunds = 0;
  for (const auto &o : data_.orders) {
    if (!o.deleted && o.status != OrderStatus::kTrash) {
      ++orders;
      notes += static_cast<std::int64_t>(note_count(o));
    }
  }
  for (const auto &r : data_.refunds) {
    const Order *o = find_order(r.order_id);
    if (!r.deleted && o && o->status != OrderStatus::kTrash) {
      ++refunds;
    }
  }
  auto live = [](const Doc &d) { return !d.deleted && d.status != "trash"; };
  std::int64_t products = 0, variations = 0, inventory = 0;
  for (const auto &p : data_.products) {
    if (live(p)) {
      ++products;
      if (p.body.at("type") == "simple") {
        ++inventory;
      }
    }
  }
  for (const auto &v : data_.variations) {
    const Doc *parent = find_doc(data_.products, v.parent);
    if (live(v) && parent && live(*parent)) {
      ++variations;
      ++inventory;
    }
  }
  auto count_live = [&](const std::vector<Doc> &docs) {
    return static_cast<std::int64_t>(std::count_if(docs.begin(), docs.end(), live));
  };
  std::int64_t reviews = 0;
  for (const auto &r : data_.reviews) {
    if (!r.deleted && (r.status == "approved" || r.status == "hold")) {
      ++reviews;
    }
  }
  std::int64_t locations = 0, methods = 0;
  for (const auto &[id, arr] : data_.zone_locations) {
    locations += static_cast<std::int64_t>(arr.size());
  }
  for (const auto &[id, arr] : data_.zone_methods) {
    methods += static_cast<std::int64_t>(arr.size());
  }
  std::int64_t customers = 0;
  for (const auto &c : data_.customers) {
    customers += c.deleted ? 0 : 1;
  }
  return {{"orders", orders},
          {"order_notes", notes},
          {"refunds", refunds},
          {"products", products},
          {"product_variations", variations},
          {"product_categories", count_live(data_.categories)},
          {"product_tags", count_live(data_.tags)},
          {"product_attributes", data_.attributes.size()},
          {"product_attribute_terms", count_live(data_.attribute_terms)},
          {"product_reviews", reviews},
          {"product_shipping_classes", count_live(data_.shipping_classes)},
          {"customers", customers},
          {"coupons", count_live(data_.coupons)},
          {"tax_rates", count_live(data_.tax_rates)},
          {"tax_classes", data_.tax_classes.size()},
          {"shipping_zones", data_.zones.size()},
          {"shipping_zone_locations", locations},
          {"shipping_zone_methods", methods},
          {"shipping_methods", data_.shipping_methods.size()},
          {"payment_gateways", data_.payment_gateways.size()},
          {"system_status_tools", data_.tools.size()},
          {"inventory", inventory}};
}

} // namespace wc::demo
