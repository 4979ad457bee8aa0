// The WooCommerce wc/v3 GET routes the connector reads, with WooCommerce's query semantics.
#include "demo_store/list_cache.hpp"
#include "demo_store/list_query.hpp"
#include "demo_store/options.hpp"
#include "demo_store/router.hpp"
#include "demo_store/store.hpp"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <memory>
#include <shared_mutex>

namespace wc::demo {
namespace json = boost::json;

bool contains_str(const std::vector<std::string> &v, const std::string &s);

namespace {

const std::vector<std::string> kPostOrderby{"date", "id", "include", "title", "slug", "modified"};
const std::vector<std::string> kTermOrderby{"id",         "include",     "name", "slug",
                                            "term_group", "description", "count"};

ApiResponse no_route() {
  return ApiResponse::error(404, "rest_no_route",
                            "No route was found matching the URL and request method.");
}

std::int64_t id_capture(const ApiRequest &r, std::size_t i) {
  return std::strtoll(r.captures.at(i).c_str(), nullptr, 10);
}

bool contains(const std::vector<std::int64_t> &v, std::int64_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool icontains(const std::string &hay, const std::string &needle) {
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
  return it != hay.end();
}

// Canonical filter key: every parameter except paging, projection and credentials.
std::string filter_key(const ApiRequest &req) {
  std::vector<std::pair<std::string, std::string>> q;
  for (const auto &kv : req.query) {
    const std::string &k = kv.first;
    if (k == "page" || k == "per_page" || k == "offset" || k == "_fields" || k == "context" ||
        k == "dp" || k.rfind("consumer_", 0) == 0 || k.rfind("oauth_", 0) == 0) {
      continue;
    }
    q.push_back(kv);
  }
  std::sort(q.begin(), q.end());
  std::string key = req.route + "?";
  for (const auto &[k, v] : q) {
    key += k + "=" + v + "&";
  }
  return key;
}

// Sort helper: key(a) compared, id as tie-break, in the requested direction.
template <class T, class KeyFn> void sort_by(std::vector<const T *> &v, bool desc, KeyFn key) {
  std::stable_sort(v.begin(), v.end(), [&](const T *a, const T *b) {
    auto ka = key(a);
    auto kb = key(b);
    if (ka != kb) {
      return desc ? kb < ka : ka < kb;
    }
    return desc ? b->id < a->id : a->id < b->id;
  });
}

// The ids of a sorted listing, as the list cache keeps them.
template <class T> ListCache::Ids ids_of(const std::vector<const T *> &v) {
  ListCache::Ids out;
  out.reserve(v.size());
  for (const T *item : v) {
    out.push_back(item->id);
  }
  return out;
}

// One page of a cached listing: each id of the page rendered by `render`, which returns null for
// an id that is gone since the listing was cached.
template <class RenderFn>
ApiResponse page_of_ids(const ApiRequest &req, const ListQuery &q, const ListCache::Ids &ids,
                        RenderFn render) {
  auto [b, e] = page_bounds(q, ids.size());
  json::array items;
  for (std::size_t i = b; i < e; ++i) {
    json::value item = render(ids[i]);
    if (!item.is_null()) {
      items.push_back(std::move(item));
    }
  }
  return paged_response(req, q, ids.size(), std::move(items));
}

std::int64_t include_pos(const ListQuery &q, std::int64_t id) {
  auto it = std::find(q.include.begin(), q.include.end(), id);
  return it - q.include.begin();
}

// Sorts docs per orderby (WooCommerce appends the ID as a tie-break).
void sort_docs(std::vector<const Doc *> &v, const ListQuery &q) {
  const std::string &by = q.orderby;
  if (by == "modified") {
    sort_by(v, q.desc, [](const Doc *d) { return d->modified; });
  } else if (by == "id") {
    sort_by(v, q.desc, [](const Doc *d) { return d->id; });
  } else if (by == "include") {
    sort_by(v, false, [&](const Doc *d) { return include_pos(q, d->id); });
  } else if (by == "title" || by == "name" || by == "description") {
    sort_by(v, q.desc, [](const Doc *d) { return d->sort_name; });
  } else if (by == "slug") {
    sort_by(v, q.desc, [](const Doc *d) { return d->slug; });
  } else if (by == "product") {
    sort_by(v, q.desc, [](const Doc *d) { return d->group; });
  } else if (by == "order" || by == "priority") {
    sort_by(v, q.desc, [](const Doc *d) { return d->group; });
  } else if (by == "menu_order") {
    sort_by(v, q.desc, [](const Doc *d) {
      auto it = d->body.find("menu_order");
      return it != d->body.end() && it->value().is_int64() ? it->value().as_int64() : 0;
    });
  } else if (by == "price") {
    sort_by(v, q.desc, [](const Doc *d) {
      auto it = d->body.find("price");
      return it != d->body.end() && it->value().is_string()
                 ? std::atof(it->value().as_string().c_str())
                 : 0.0;
    });
  } else if (by == "popularity") {
    sort_by(v, q.desc, [](const Doc *d) {
      auto it = d->body.find("total_sales");
      return it != d->body.end() && it->value().is_number() ? it->value().to_number<double>() : 0.0;
    });
  } else if (by == "count" || by == "term_group" || by == "rating" || by == "rand") {
    sort_by(v, q.desc, [](const Doc *d) { return d->id; });
  } else { // date, date_gmt, registered_date
    sort_by(v, q.desc, [](const Doc *d) { return d->created; });
  }
}

// WooCommerce's date filters: strictly exclusive bounds on the creation and modification times.
bool in_date_window(const ListQuery &q, UnixSeconds created, UnixSeconds modified) {
  return !((q.after && !(created > *q.after)) || (q.before && !(created < *q.before)) ||
           (q.modified_after && !(modified > *q.modified_after)) ||
           (q.modified_before && !(modified < *q.modified_before)));
}

// Common filters for dated docs: include/exclude, created and modified bounds, search.
bool doc_passes(const ApiRequest &req, const ListQuery &q, const Doc &d) {
  if (d.deleted) {
    return false;
  }
  if (!q.include.empty() && !contains(q.include, d.id)) {
    return false;
  }
  if (contains(q.exclude, d.id)) {
    return false;
  }
  if (!in_date_window(q, d.created, d.modified)) {
    return false;
  }
  if (auto s = req.param("search"); s && !s->empty()) {
    if (!icontains(d.sort_name, *s) && !icontains(d.slug, *s)) {
      return false;
    }
  }
  return true;
}

// Post status filter for products/variations/coupons: any (default) excludes trash.
bool post_status_passes(const ListQuery &q, const Doc &d) {
  if (q.status.empty() || contains_str(q.status, "any")) {
    return d.status != "trash";
  }
  return std::find(q.status.begin(), q.status.end(), d.status) != q.status.end();
}

using Render = std::function<json::value(const Doc &)>;
using Filter = std::function<bool(const Doc &)>;

ApiResponse list_docs(const ApiRequest &req, Store &store, const ListSpec &spec,
                      const std::vector<Doc> &docs, const Filter &filter, const Render &render) {
  ListQuery q;
  if (auto err = read_list_query(req, spec, store.wc_version(), q)) {
    return *err;
  }
  std::shared_lock lock(store.mutex());
  std::vector<const Doc *> v;
  for (const auto &d : docs) {
    if (doc_passes(req, q, d) && filter(d)) {
      v.push_back(&d);
    }
  }
  sort_docs(v, q);
  auto [b, e] = page_bounds(q, v.size());
  json::array items;
  for (std::size_t i = b; i < e; ++i) {
    items.push_back(render(*v[i]));
  }
  return paged_response(req, q, v.size(), std::move(items));
}

ApiResponse single(const json::value &v, const ApiRequest &req) {
  json::value copy = v;
  apply_fields(copy, req.param_list("_fields"));
  return ApiResponse::json(200, copy);
}

// The item of `items` whose "id" `matches`, as a single resource; WooCommerce's 404 otherwise.
template <class MatchFn>
ApiResponse single_where(const json::array &items, MatchFn matches, const ApiRequest &req,
                         const char *code, const char *message) {
  for (const auto &item : items) {
    if (matches(item.as_object().at("id"))) {
      return single(item, req);
    }
  }
  return ApiResponse::error(404, code, message);
}

bool same_id(const json::value &id, std::int64_t want) {
  return id.to_number<std::int64_t>() == want;
}

// GET <collection>/{id} for documents kept in one StoreData vector.
void add_single_doc_route(Router &router, Store &store, const std::string &pattern,
                          const std::string &name, std::vector<Doc> StoreData::*docs,
                          const char *not_found_code, const char *not_found_message,
                          std::function<json::value(const Doc &, const ApiRequest &)> render) {
  router.add("GET", pattern, name, Access::kRead,
             [&store, docs, not_found_code, not_found_message, render](const ApiRequest &req) {
               std::shared_lock lock(store.mutex());
               const Doc *d = Store::find_doc(store.data().*docs, id_capture(req, 0));
               if (!d) {
                 return ApiResponse::error(404, not_found_code, not_found_message);
               }
               return single(render(*d, req), req);
             });
}

bool order_status_passes(const ListQuery &q, const Order &o) {
  if (q.status.empty() || contains_str(q.status, "any")) {
    return o.status != OrderStatus::kTrash;
  }
  const std::string_view s = to_string(o.status);
  for (const auto &want : q.status) {
    if (want == s || (want.rfind("wc-", 0) == 0 && want.substr(3) == s)) {
      return true;
    }
  }
  return false;
}

struct Routes {
  explicit Routes(Store &s) : store(s) {}
  Store &store;
  ListCache cache;
};

void register_orders(AppContext &ctx, const std::shared_ptr<Routes> &rt) {
  Store &store = ctx.store;
  const ListSpec order_spec{kPostOrderby, "date", true, true, true};

  ctx.router.add(
      "GET", "/wc/v3/orders", "orders", Access::kRead, [rt, order_spec](const ApiRequest &req) {
        Store &st = rt->store;
        ListQuery q;
        if (auto err = read_list_query(req, order_spec, st.wc_version(), q)) {
          return *err;
        }
        std::shared_lock lock(st.mutex());
        const auto customer = req.param("customer");
        const std::int64_t customer_id =
            customer ? std::strtoll(customer->c_str(), nullptr, 10) : -1;
        auto ids = rt->cache.get(filter_key(req), st.generation(), [&] {
          const auto &orders = st.data().orders;
          std::vector<const Order *> v;
          v.reserve(orders.size());
          for (const auto &o : orders) {
            if (o.deleted || !order_status_passes(q, o)) {
              continue;
            }
            if ((!q.include.empty() && !contains(q.include, o.id)) || contains(q.exclude, o.id)) {
              continue;
            }
            if (!q.parent.empty() && !contains(q.parent, 0)) {
              continue;
            }
            if (customer_id >= 0 && o.customer_id != customer_id) {
              continue;
            }
            if (!in_date_window(q, o.created, o.modified)) {
              continue;
            }
            v.push_back(&o);
          }
          if (q.orderby == "modified") {
            sort_by(v, q.desc, [](const Order *o) { return o->modified; });
          } else if (q.orderby == "id") {
            sort_by(v, q.desc, [](const Order *) { return std::int64_t{0}; });
          } else if (q.orderby == "include") {
            sort_by(v, false, [&](const Order *o) { return include_pos(q, o->id); });
          } else { // date; title/slug are ignored under HPOS and fall back to the date
            sort_by(v, q.desc, [](const Order *o) { return o->created; });
          }
          return ids_of(v);
        });
        const std::string api = req.api_base();
        return page_of_ids(req, q, *ids, [&](std::int64_t id) {
          const Order *o = st.find_order(id);
          return o ? json::value(st.render_order(*o, api)) : json::value();
        });
      });

  ctx.router.add(
      "GET", "/wc/v3/orders/(\\d+)", "orders/{id}", Access::kRead, [&store](const ApiRequest &req) {
        std::shared_lock lock(store.mutex());
        const Order *o = store.find_order(id_capture(req, 0));
        if (!o) {
          return ApiResponse::error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.");
        }
        return single(store.render_order(*o, req.api_base()), req);
      });

  ctx.router.add("GET", "/wc/v3/orders/(\\d+)/notes", "orders/{id}/notes", Access::kRead,
                 [&store](const ApiRequest &req) {
                   std::shared_lock lock(store.mutex());
                   const Order *o = store.find_order(id_capture(req, 0));
                   if (!o) {
                     return ApiResponse::error(404, "woocommerce_rest_order_invalid_id",
                                               "Invalid order ID.");
                   }
                   json::array notes = store.render_notes(*o, req.api_base());
                   if (auto type = req.param("type"); type && *type != "any") {
                     json::array kept;
                     for (auto &n : notes) {
                       const bool cust = n.as_object().at("customer_note").as_bool();
                       if ((*type == "customer") == cust) {
                         kept.push_back(n);
                       }
                     }
                     notes = std::move(kept);
                   }
                   return full_list_response(req, std::move(notes), false);
                 });

  auto refunds_list = [rt, order_spec](const ApiRequest &req, std::int64_t order_id) {
    Store &st = rt->store;
    ListQuery q;
    if (auto err = read_list_query(req, order_spec, st.wc_version(), q)) {
      return *err;
    }
    std::shared_lock lock(st.mutex());
    if (order_id && !st.find_order(order_id)) {
      return ApiResponse::error(404, "woocommerce_rest_order_invalid_id", "Invalid order ID.");
    }
    auto ids = rt->cache.get(filter_key(req), st.generation(), [&] {
      std::vector<const Refund *> v;
      for (const auto &r : st.data().refunds) {
        if (r.deleted || (order_id && r.order_id != order_id)) {
          continue;
        }
        const Order *parent = st.find_order(r.order_id);
        if (!parent || (!order_id && parent->status == OrderStatus::kTrash)) {
          continue;
        }
        if ((!q.include.empty() && !contains(q.include, r.id)) || contains(q.exclude, r.id)) {
          continue;
        }
        // Refunds have no modification date of their own: post_modified == post_date.
        if (!in_date_window(q, r.created, r.created)) {
          continue;
        }
        v.push_back(&r);
      }
      if (q.orderby == "id") {
        sort_by(v, q.desc, [](const Refund *) { return 0; });
      } else if (q.orderby == "include") {
        sort_by(v, false, [&](const Refund *r) { return include_pos(q, r->id); });
      } else {
        sort_by(v, q.desc, [](const Refund *r) { return r->created; });
      }
      return ids_of(v);
    });
    const std::string api = req.api_base();
    return page_of_ids(req, q, *ids, [&](std::int64_t id) {
      const Refund *r = st.find_refund(id);
      return r ? json::value(st.render_refund(*r, api, order_id == 0)) : json::value();
    });
  };
  ctx.router.add(
      "GET", "/wc/v3/orders/(\\d+)/refunds", "orders/{id}/refunds", Access::kRead,
      [refunds_list](const ApiRequest &req) { return refunds_list(req, id_capture(req, 0)); });
  ctx.router.add("GET", "/wc/v3/orders/(\\d+)/refunds/(\\d+)", "orders/{id}/refunds/{id}",
                 Access::kRead, [&store](const ApiRequest &req) {
                   std::shared_lock lock(store.mutex());
                   const Refund *r = store.find_refund(id_capture(req, 1));
                   if (!r || r->order_id != id_capture(req, 0)) {
                     return ApiResponse::error(404, "woocommerce_rest_invalid_id",
                                               "Invalid resource ID.");
                   }
                   return single(store.render_refund(*r, req.api_base(), false), req);
                 });
  if (version_at_least(ctx.options.wc_version, "9.0")) {
    ctx.router.add("GET", "/wc/v3/refunds", "refunds", Access::kRead,
                   [refunds_list](const ApiRequest &req) { return refunds_list(req, 0); });
  }
}

void register_products(AppContext &ctx) {
  Store &store = ctx.store;
  const ListSpec product_spec{{"date", "id", "include", "title", "slug", "modified", "rand",
                               "menu_order", "price", "popularity", "rating"},
                              "date",
                              true,
                              true,
                              true};
  ctx.router.add(
      "GET", "/wc/v3/products", "products", Access::kRead,
      [&store, product_spec](const ApiRequest &req) {
        ListQuery q;
        if (auto err = read_list_query(req, product_spec, store.wc_version(), q)) {
          return *err;
        }
        const auto type = req.param("type");
        const auto stock_status = req.param("stock_status");
        const auto sku = req.param_list("sku");
        return list_docs(
            req, store, product_spec, store.data().products,
            [&](const Doc &d) {
              if (!post_status_passes(q, d)) {
                return false;
              }
              if (type && d.body.at("type") != type->c_str()) {
                return false;
              }
              if (stock_status && d.body.at("stock_status") != stock_status->c_str()) {
                return false;
              }
              if (!sku.empty() && !contains_str(sku, d.body.at("sku").as_string().c_str())) {
                return false;
              }
              return true;
            },
            [&](const Doc &d) { return json::value(store.render_product(d, req.api_base())); });
      });
  add_single_doc_route(ctx.router, store, "/wc/v3/products/(\\d+)", "products/{id}",
                       &StoreData::products, "woocommerce_rest_product_invalid_id", "Invalid ID.",
                       [&store](const Doc &d, const ApiRequest &req) {
                         return json::value(store.render_product(d, req.api_base()));
                       });
  const ListSpec var_spec{{"date", "id", "include", "title", "slug", "modified", "menu_order"},
                          "date",
                          true,
                          true,
                          true};
  ctx.router.add("GET", "/wc/v3/products/(\\d+)/variations", "products/{id}/variations",
                 Access::kRead, [&store, var_spec](const ApiRequest &req) {
                   const std::int64_t pid = id_capture(req, 0);
                   {
                     std::shared_lock lock(store.mutex());
                     if (!Store::find_doc(store.data().products, pid)) {
                       return ApiResponse::error(404, "woocommerce_rest_product_invalid_id",
                                                 "Invalid ID.");
                     }
                   }
                   ListQuery q;
                   if (auto err = read_list_query(req, var_spec, store.wc_version(), q)) {
                     return *err;
                   }
                   return list_docs(
                       req, store, var_spec, store.data().variations,
                       [&](const Doc &d) { return d.parent == pid && post_status_passes(q, d); },
                       [&](const Doc &d) {
                         return json::value(store.render_variation(d, req.api_base(), false));
                       });
                 });
  ctx.router.add("GET", "/wc/v3/products/(\\d+)/variations/(\\d+)", "products/{id}/variations/{id}",
                 Access::kRead, [&store](const ApiRequest &req) {
                   std::shared_lock lock(store.mutex());
                   const Doc *d = Store::find_doc(store.data().variations, id_capture(req, 1));
                   if (!d || d->parent != id_capture(req, 0)) {
                     return ApiResponse::error(404, "woocommerce_rest_product_variation_invalid_id",
                                               "Invalid ID.");
                   }
                   return single(store.render_variation(*d, req.api_base(), false), req);
                 });
  if (version_at_least(ctx.options.wc_version, "10.3")) {
    ctx.router.add("GET", "/wc/v3/variations", "variations", Access::kRead,
                   [&store, var_spec](const ApiRequest &req) {
                     ListQuery q;
                     if (auto err = read_list_query(req, var_spec, store.wc_version(), q)) {
                       return *err;
                     }
                     return list_docs(
                         req, store, var_spec, store.data().variations,
                         [&](const Doc &d) {
                           const Doc *parent = Store::find_doc(store.data().products, d.parent);
                           return parent && parent->status != "trash" && post_status_passes(q, d) &&
                                  (q.parent.empty() || contains(q.parent, d.parent));
                         },
                         [&](const Doc &d) {
                           return json::value(store.render_variation(d, req.api_base(), true));
                         });
                   });
  }
}

void register_terms(AppContext &ctx) {
  Store &store = ctx.store;
  const ListSpec term_spec{kTermOrderby, "name", false, false, false};
  struct TermRoute {
    const char *path;
    const char *name;
    std::vector<Doc> StoreData::*docs;
  };
  for (const TermRoute &t :
       {TermRoute{"products/categories", "products/categories", &StoreData::categories},
        TermRoute{"products/tags", "products/tags", &StoreData::tags},
        TermRoute{"products/shipping_classes", "products/shipping_classes",
                  &StoreData::shipping_classes}}) {
    const std::string collection = t.path;
    auto member = t.docs;
    ctx.router.add("GET", "/wc/v3/" + collection, t.name, Access::kRead,
                   [&store, term_spec, collection, member](const ApiRequest &req) {
                     const auto parent = req.param("parent");
                     return list_docs(
                         req, store, term_spec, store.data().*member,
                         [&](const Doc &d) {
                           return !parent || d.parent == std::strtoll(parent->c_str(), nullptr, 10);
                         },
                         [&](const Doc &d) {
                           return json::value(store.render_term(d, req.api_base(), collection));
                         });
                   });
    add_single_doc_route(ctx.router, store, "/wc/v3/" + collection + "/(\\d+)",
                         std::string(t.name) + "/{id}", member, "woocommerce_rest_term_invalid",
                         "Resource does not exist.",
                         [&store, collection](const Doc &d, const ApiRequest &req) {
                           return json::value(store.render_term(d, req.api_base(), collection));
                         });
  }
  ctx.router.add("GET", "/wc/v3/products/attributes", "products/attributes", Access::kRead,
                 [&store](const ApiRequest &req) {
                   std::shared_lock lock(store.mutex());
                   return full_list_response(req, store.data().attributes, true);
                 });
  ctx.router.add("GET", "/wc/v3/products/attributes/(\\d+)", "products/attributes/{id}",
                 Access::kRead, [&store](const ApiRequest &req) {
                   std::shared_lock lock(store.mutex());
                   return single_where(
                       store.data().attributes,
                       [&](const json::value &id) { return same_id(id, id_capture(req, 0)); }, req,
                       "woocommerce_rest_attribute_invalid", "Resource does not exist.");
                 });
  ctx.router.add("GET", "/wc/v3/products/attributes/(\\d+)/terms", "products/attributes/{id}/terms",
                 Access::kRead, [&store, term_spec](const ApiRequest &req) {
                   const std::int64_t aid = id_capture(req, 0);
                   bool known = false;
                   {
                     std::shared_lock lock(store.mutex());
                     for (const auto &a : store.data().attributes) {
                       known = known || a.as_object().at("id").to_number<std::int64_t>() == aid;
                     }
                   }
                   if (!known) {
                     return ApiResponse::error(404, "woocommerce_rest_taxonomy_invalid",
                                               "Resource does not exist.");
                   }
                   const std::string collection =
                       "products/attributes/" + std::to_string(aid) + "/terms";
                   return list_docs(
                       req, store, term_spec, store.data().attribute_terms,
                       [&](const Doc &d) { return d.group == aid; },
                       [&](const Doc &d) {
                         return json::value(store.render_term(d, req.api_base(), collection));
                       });
                 });
  const ListSpec review_spec{
      {"date", "date_gmt", "id", "include", "product"}, "date_gmt", true, true, false};
  ctx.router.add(
      "GET", "/wc/v3/products/reviews", "products/reviews", Access::kRead,
      [&store, review_spec](const ApiRequest &req) {
        auto statuses = req.param_list("status");
        std::vector<std::int64_t> products;
        for (const auto &p : req.param_list("product")) {
          products.push_back(std::strtoll(p.c_str(), nullptr, 10));
        }
        return list_docs(
            req, store, review_spec, store.data().reviews,
            [&](const Doc &d) {
              const bool status_ok = statuses.empty() ? d.status == "approved"
                                                      : contains_str(statuses, "all") ||
                                                            contains_str(statuses, d.status);
              return status_ok && (products.empty() || contains(products, d.group));
            },
            [&](const Doc &d) { return json::value(store.render_review(d, req.api_base())); });
      });
}

void register_people_and_settings(AppContext &ctx) {
  Store &store = ctx.store;
  const ListSpec customer_spec{
      {"id", "include", "name", "registered_date"}, "name", false, false, false};
  ctx.router.add(
      "GET", "/wc/v3/customers", "customers", Access::kRead,
      [&store, customer_spec](const ApiRequest &req) {
        // modified_after and friends are not customer parameters: WordPress ignores them.
        const std::string role = req.param("role").value_or("customer");
        const auto email = req.param("email");
        return list_docs(
            req, store, customer_spec, store.data().customers,
            [&](const Doc &d) {
              return (role == "all" || d.status == role) &&
                     (!email || d.body.at("email") == email->c_str());
            },
            [&](const Doc &d) { return json::value(store.render_customer(d, req.api_base())); });
      });
  add_single_doc_route(ctx.router, store, "/wc/v3/customers/(\\d+)", "customers/{id}",
                       &StoreData::customers, "woocommerce_rest_invalid_id", "Invalid resource ID.",
                       [&store](const Doc &d, const ApiRequest &req) {
                         return json::value(store.render_customer(d, req.api_base()));
                       });
  const ListSpec coupon_spec{kPostOrderby, "date", true, true, true};
  ctx.router.add(
      "GET", "/wc/v3/coupons", "coupons", Access::kRead,
      [&store, coupon_spec](const ApiRequest &req) {
        ListQuery q;
        if (auto err = read_list_query(req, coupon_spec, store.wc_version(), q)) {
          return *err;
        }
        const auto code = req.param("code");
        return list_docs(
            req, store, coupon_spec, store.data().coupons,
            [&](const Doc &d) { return post_status_passes(q, d) && (!code || d.slug == *code); },
            [&](const Doc &d) { return json::value(store.render_coupon(d, req.api_base())); });
      });
  add_single_doc_route(ctx.router, store, "/wc/v3/coupons/(\\d+)", "coupons/{id}",
                       &StoreData::coupons, "woocommerce_rest_shop_coupon_invalid_id",
                       "Invalid ID.", [&store](const Doc &d, const ApiRequest &req) {
                         return json::value(store.render_coupon(d, req.api_base()));
                       });
  const ListSpec tax_spec{{"id", "order", "priority"}, "order", false, false, false};
  ctx.router.add("GET", "/wc/v3/taxes", "taxes", Access::kManager,
                 [&store, tax_spec](const ApiRequest &req) {
                   const auto cls = req.param("class");
                   return list_docs(
                       req, store, tax_spec, store.data().tax_rates,
                       [&](const Doc &d) { return !cls || d.body.at("class") == cls->c_str(); },
                       [&](const Doc &d) {
                         return json::value(store.render_term(d, req.api_base(), "taxes"));
                       });
                 });
  auto static_list = [&](const std::string &path, const std::string &name, Access access,
                         json::array StoreData::*member, bool totals) {
    ctx.router.add("GET", "/wc/v3/" + path, name, access,
                   [&store, member, totals](const ApiRequest &req) {
                     std::shared_lock lock(store.mutex());
                     return full_list_response(req, store.data().*member, totals);
                   });
  };
  static_list("taxes/classes", "taxes/classes", Access::kManager, &StoreData::tax_classes, false);
  static_list("shipping/zones", "shipping/zones", Access::kRead, &StoreData::zones, true);
  static_list("shipping_methods", "shipping_methods", Access::kRead, &StoreData::shipping_methods,
              false);
  static_list("payment_gateways", "payment_gateways", Access::kManager,
              &StoreData::payment_gateways, false);
  static_list("system_status/tools", "system_status/tools", Access::kManager, &StoreData::tools,
              false);
  // Reference data: WooCommerce checks settings-read (data) and reports-view rights here.
  static_list("data/continents", "data/continents", Access::kManager, &StoreData::continents,
              false);
  static_list("data/currencies", "data/currencies", Access::kManager, &StoreData::currencies,
              false);
  static_list("reports", "reports", Access::kManager, &StoreData::reports, false);
  auto zone_child = [&](const char *suffix,
                        std::map<std::int64_t, json::array> StoreData::*member) {
    ctx.router.add("GET", std::string("/wc/v3/shipping/zones/(\\d+)/") + suffix,
                   std::string("shipping/zones/{id}/") + suffix, Access::kRead,
                   [&store, member](const ApiRequest &req) {
                     std::shared_lock lock(store.mutex());
                     const auto &m = store.data().*member;
                     auto it = m.find(id_capture(req, 0));
                     if (it == m.end()) {
                       return ApiResponse::error(404, "woocommerce_rest_shipping_zone_invalid",
                                                 "Invalid resource ID.");
                     }
                     return full_list_response(req, it->second, false);
                   });
  };
  zone_child("locations", &StoreData::zone_locations);
  zone_child("methods", &StoreData::zone_methods);
  ctx.router.add("GET", "/wc/v3/shipping/zones/(\\d+)", "shipping/zones/{id}", Access::kRead,
                 [&store](const ApiRequest &req) {
                   std::shared_lock lock(store.mutex());
                   return single_where(
                       store.data().zones,
                       [&](const json::value &id) { return same_id(id, id_capture(req, 0)); }, req,
                       "woocommerce_rest_shipping_zone_invalid", "Invalid resource ID.");
                 });
  ctx.router.add("GET", "/wc/v3/payment_gateways/([a-z_0-9-]+)", "payment_gateways/{id}",
                 Access::kManager, [&store](const ApiRequest &req) {
                   std::shared_lock lock(store.mutex());
                   return single_where(
                       store.data().payment_gateways,
                       [&](const json::value &id) { return id == req.captures.at(0).c_str(); }, req,
                       "woocommerce_rest_payment_gateway_invalid", "Resource does not exist.");
                 });
  const std::string version = ctx.options.wc_version;
  ctx.router.add("GET", "/wc/v3/system_status", "system_status", Access::kManager,
                 [&store, version](const ApiRequest &req) {
                   json::object s{
                       {"environment",
                        {{"home_url", req.scheme_host + req.base_path},
                         {"site_url", req.scheme_host + req.base_path},
                         {"version", version},
                         {"wp_version", "6.8.8"},
                         {"php_version", "8.2.0"},
                         {"server_info", "woo-demo-store"},
                         {"default_timezone", "UTC"}}},
                       {"database", {{"wc_database_version", version}}},
                       {"active_plugins", json::array{}},
                       {"theme", {{"name", "Storefront"}}},
                       {"settings",
                        {{"api_enabled", true},
                         {"currency", "USD"},
                         {"currency_symbol", "&#36;"},
                         {"timezone", "Europe/Berlin"},
                         {"taxonomies", {{"simple", "simple"}, {"variable", "variable"}}}}},
                       {"security", {{"secure_connection", req.https}, {"hide_errors", true}}},
                       {"pages", json::array{}}};
                   return single(s, req);
                 });
  ctx.router.add("GET", "/wc/v3/data/currencies/current", "data/currencies/current", Access::kRead,
                 [&store](const ApiRequest &req) {
                   std::shared_lock lock(store.mutex());
                   return single(store.data().currency, req);
                 });
  (void)no_route;
}

} // namespace

bool contains_str(const std::vector<std::string> &v, const std::string &s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

void register_rest_routes(AppContext &ctx) {
  auto rt = std::make_shared<Routes>(ctx.store);
  register_orders(ctx, rt);
  register_products(ctx);
  register_terms(ctx);
  register_people_and_settings(ctx);
}

} // namespace wc::demo
