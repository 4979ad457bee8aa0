#pragma once
// The demo store's data: every record, the store clock, the change feed and the mutations the
// /__control endpoints perform. Thread-safe: readers take shared_lock(mutex()), mutations take
// the unique lock themselves and notify change listeners after releasing it.
#include "demo_store/records.hpp"
#include "demo_store/site_time.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace wc::demo {

// One change to a webhook-visible resource, as WooCommerce's webhook topics see it.
struct Change {
  std::string resource; // "order", "product" (also variations), "customer", "coupon"
  std::string event;    // "created", "updated", "deleted" (trash or permanent), "restored"
  std::int64_t id = 0;
  boost::json::value payload; // REST single-item response (as the store renders it)
  bool permanent = false;     // "deleted" that removed the record for good (no WC webhook fires)
};
using ChangeListener = std::function<void(const Change &)>;

// Outcome of a control mutation: ids that existed and were changed, ids that did not.
struct MutationResult {
  std::vector<std::int64_t> changed;
  std::vector<std::int64_t> missing;
};

// Edits to an order's lists made through /__control (remove_line_item, set_meta, add_fee,
// remove_coupon). Only edited orders have one, so a million generated orders stay compact.
struct OrderListEdits {
  std::uint32_t removed_lines = 0; // bit i: the i-th generated line item is gone
  bool coupon_removed = false;
  struct Fee {
    std::int64_t id = 0;
    std::string name;
    std::int64_t cents = 0;
  };
  std::vector<Fee> added_fees;
  boost::json::object meta_values; // order meta key -> its value now
};

// Everything the store holds. Guarded by Store::mutex().
struct StoreData {
  std::vector<Order> orders;                                                      // ascending id
  std::vector<Refund> refunds;                                                    // ascending id
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> refunds_by_order; // -> refund ids
  std::unordered_map<std::uint32_t, std::vector<ExtraNote>> extra_notes;
  std::vector<Sellable> sellables;
  std::vector<Doc> products, variations, customers, coupons, reviews; // ascending id
  std::vector<Doc> categories, tags, shipping_classes, attribute_terms, tax_rates;
  boost::json::array attributes, tax_classes, shipping_methods, payment_gateways, tools;
  boost::json::array zones;
  std::map<std::int64_t, boost::json::array> zone_locations, zone_methods;
  boost::json::object system_status, currency;
  // Reference data (GET /data/continents, /data/currencies, /reports): a subset of a real store's.
  boost::json::array continents, currencies, reports;
  // Fields a plugin adds to (or rewrites on) every rendered record of a resource, as
  // register_rest_field / woocommerce_rest_prepare_* filters do: resource -> {field: value}.
  std::map<std::string, boost::json::object> plugin_fields;
  // Guest orders made to be another order's guest (POST /__control/same_guest): order id -> the
  // order whose buyer it shows. Empty unless a test asks.
  std::unordered_map<std::uint32_t, std::uint32_t> same_guest;
  std::unordered_map<std::uint32_t, OrderListEdits> order_edits;
  // related_ids in a new order on every request, as WooCommerce shuffles them (off by default:
  // other tests compare two reads byte for byte); POST /__control/shuffle_related.
  bool shuffle_related_ids = false;
  std::uint32_t next_post_id = 1;
  std::uint32_t next_comment_id = 1;
  std::uint32_t next_user_id = 1;
  std::uint64_t seed = 0;
};

class Store {
public:
  explicit Store(std::string wc_version);

  std::shared_mutex &mutex() const { return mu_; }
  StoreData &data() { return data_; } // hold mutex()
  const StoreData &data() const { return data_; }
  StoreClock &clock() { return clock_; }
  const std::string &wc_version() const { return wc_version_; }
  // Bumped by every mutation; list caches key on it.
  std::uint64_t generation() const { return generation_.load(); }

  // Base used for _links in change payloads, e.g. "https://127.0.0.1:8443/wp-json/wc/v3".
  void set_site_api_base(std::string base);
  std::string site_api_base() const;

  void add_change_listener(ChangeListener listener);

  // --- lookups (hold mutex() shared) ---
  const Order *find_order(std::int64_t id) const;
  const Refund *find_refund(std::int64_t id) const;
  static const Doc *find_doc(const std::vector<Doc> &docs, std::int64_t id);

  // --- rendering (hold mutex() shared); api = ".../wp-json/wc/v3" without trailing slash ---
  boost::json::object render_order(const Order &o, const std::string &api) const;
  boost::json::object render_refund(const Refund &r, const std::string &api,
                                    bool with_parent_id) const;
  boost::json::array render_notes(const Order &o, const std::string &api) const;
  std::size_t note_count(const Order &o) const;
  boost::json::object render_product(const Doc &d, const std::string &api) const;
  boost::json::object render_variation(const Doc &d, const std::string &api,
                                       bool with_parent_id) const;
  boost::json::object render_customer(const Doc &d, const std::string &api) const;
  boost::json::object render_coupon(const Doc &d, const std::string &api) const;
  boost::json::object render_review(const Doc &d, const std::string &api) const;
  // categories, tags, shipping classes, tax rates: body plus self/collection links.
  boost::json::object render_term(const Doc &d, const std::string &api,
                                  const std::string &collection) const;
  // Order totals in cents (what refunds may take back).
  std::int64_t order_total_cents(const Order &o) const;

  // --- mutations used by /__control (take the lock themselves, then notify listeners) ---
  // resource: orders, products, variations, customers, coupons.
  MutationResult edit(const std::string &resource, const std::vector<std::int64_t> &ids,
                      int seconds_forward);
  MutationResult trash(const std::string &resource, const std::vector<std::int64_t> &ids);
  MutationResult restore(const std::string &resource, const std::vector<std::int64_t> &ids);
  MutationResult remove(const std::string &resource, const std::vector<std::int64_t> &ids);
  // Like a direct database write: a variation's parent is not touched.
  MutationResult set_modified(const std::string &resource, const std::vector<std::int64_t> &ids,
                              UnixSeconds modified_gmt);
  // Sets orders' status (not trash: see trash()); `paid` false clears date_paid, true sets it to
  // the creation time plus a minute when unset. Bumps date_modified like an admin save.
  MutationResult set_status(const std::vector<std::int64_t> &ids, OrderStatus status,
                            std::optional<bool> paid);
  // Makes orders `ids` guest orders (customer_id 0) of the same buyer as order `as`: a guest who
  // ordered again. Bumps date_modified.
  MutationResult same_guest(const std::vector<std::int64_t> &ids, std::int64_t as);
  std::vector<std::int64_t> create(const std::string &resource, int count);
  std::optional<std::int64_t> add_note(std::int64_t order_id, const std::string &text);
  // full: the refund takes all that is left (and, when that is the whole order, lists its lines).
  std::optional<std::int64_t> add_refund(std::int64_t order_id, bool full = false);
  // Order list edits (each saves the order: date_modified = now, an "updated" change).
  // line_item_id 0 = the last line item. Throw std::invalid_argument naming what is missing.
  void remove_line_item(std::int64_t order_id, std::int64_t line_item_id);
  void set_order_meta(std::int64_t order_id, const std::string &key, const boost::json::value &v);
  std::int64_t add_fee(std::int64_t order_id, const std::string &name, std::int64_t cents);
  // Removes the order's last coupon line (the discount goes with it).
  void remove_coupon(std::int64_t order_id);
  void set_shuffle_related(bool on);
  // A plugin field on every record of `resource` (orders, products); null removes it.
  void set_plugin_field(const std::string &resource, const std::string &field,
                        const boost::json::value &value);

  // Records per stream a full refresh should read (see /__control/counts).
  boost::json::object counts() const;

  // Appends a new order (generation and create()); caller holds the unique lock.
  Order &append_order(UnixSeconds created, UnixSeconds modified, std::uint32_t customer_id,
                      OrderStatus status, std::uint32_t seed);

private:
  std::vector<Doc> *docs_for(const std::string &resource);
  Order *find_order_mut(std::int64_t id);
  // A variation saved: its parent product's date_modified follows (caller holds the lock).
  // set_modified (a direct database write) does not do this.
  void touch_parent(const std::string &resource, const Doc &d);
  void notify(const std::vector<Change> &changes);
  Change change_for(const std::string &resource, std::int64_t id, const std::string &event);
  // Applies fn(the order as rendered now, its list edits) under the lock, then saves the order.
  void
  edit_order_lists(std::int64_t order_id,
                   const std::function<void(const boost::json::object &, OrderListEdits &)> &fn);
  template <class Fn>
  MutationResult mutate(const std::string &resource, const std::vector<std::int64_t> &ids,
                        const std::string &event, Fn fn);

  mutable std::shared_mutex mu_;
  StoreData data_;
  StoreClock clock_;
  std::string wc_version_;
  std::atomic<std::uint64_t> generation_{1};
  mutable std::atomic<std::uint64_t> renders_{0}; // a nonce per rendered product (related_ids)
  mutable std::mutex meta_mu_;                    // listeners and site base
  std::vector<ChangeListener> listeners_;
  std::string site_api_base_ = "https://127.0.0.1/wp-json/wc/v3";
};

// Money "12.50" from cents.
std::string money(std::int64_t cents);

} // namespace wc::demo
