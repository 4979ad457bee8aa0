#include "woocommerce/store_capabilities.hpp"

#include "woocommerce/page_query.hpp"
#include "woocommerce/response_body.hpp"

namespace wc::woo {
namespace json = boost::json;

RouteIndex parse_route_index(const json::value &index) {
  RouteIndex out;
  if (!index.is_object()) {
    return out;
  }
  const auto *routes = index.as_object().if_contains("routes");
  if (routes == nullptr || !routes->is_object()) {
    return out;
  }
  out.loaded = true;
  for (const auto &kv : routes->as_object()) {
    std::string route(kv.key());
    if (route.rfind("/wc/v3", 0) == 0) {
      route = route.substr(6);
    }
    out.routes.insert(route.empty() ? "/" : route);
    if (route == "/orders" && kv.value().is_object()) {
      const auto *eps = kv.value().as_object().if_contains("endpoints");
      if (eps != nullptr && eps->is_array()) {
        for (const auto &ep : eps->as_array()) {
          const auto *args = ep.is_object() ? ep.as_object().if_contains("args") : nullptr;
          if (args != nullptr && args->is_object()) {
            out.orders_params_known = true;
            for (const auto &a : args->as_object()) {
              out.orders_params.insert(std::string(a.key()));
            }
          }
        }
      }
    }
  }
  return out;
}

source::StoreCapabilities
detect_capabilities(ApiClient &api, bool need_modified_filter,
                    const std::function<void(const std::string &)> &warn) {
  source::StoreCapabilities caps;
  RouteIndex index;
  http::Response r = api.probe("", {}, false);
  if (r.status == 404 && !api.uses_rest_route()) {
    api.use_rest_route(true);
    http::Response alt = api.probe("", {}, false);
    if (alt.status == 200) {
      warn(std::string("the store answers /wp-json/ with 404 but ?rest_route= works (plain "
                       "permalinks): using ?rest_route= URLs") +
           (api.uses_route_hint() ? std::string(" with a ") + kRouteHintParam +
                                        " parameter, so that WooCommerce 10.0 and older accept "
                                        "the API key there"
                                  : std::string()) +
           ". Setting pretty permalinks in WordPress → Settings → Permalinks is recommended.");
      r = std::move(alt);
    } else {
      api.use_rest_route(false);
    }
  }
  if (auto date = r.header("Date")) {
    caps.store_now = parse_http_date(*date);
  }
  if (r.status == 200) {
    try {
      index = parse_route_index(parse_json_body(r, "route index", nullptr));
    } catch (const Error &) {
      // Not JSON: handled as "no index" below.
    }
  }
  if (!index.loaded) {
    warn("could not read the store's route index (GET /wp-json/wc/v3): assuming a current "
         "WooCommerce (store-wide /refunds and /variations, working modified_after)");
  }
  caps.has_route = [index](const std::string &path) { return index.has(path); };
  // An index without argument lists (caches and security plugins strip them) says nothing about
  // modified_after: the probe below decides.
  if (index.loaded && index.orders_params_known &&
      index.orders_params.count("modified_after") == 0) {
    caps.modified_filter = false;
    warn("the store's /orders route has no modified_after parameter (WooCommerce older than "
         "5.8): incremental streams are read in full and filtered on our side");
  } else if (need_modified_filter) {
    // Confirm: a filter far in the future must leave nothing.
    try {
      auto all = api.get("/orders", {{"per_page", "1"}, {"status", "any"}}, "capability probe");
      auto none = api.get("/orders",
                          {{"per_page", "1"},
                           {"status", "any"},
                           {"dates_are_gmt", "true"},
                           {"modified_after", "2999-01-01T00:00:00"}},
                          "capability probe");
      if (all.total > 0 && none.total == all.total) {
        caps.modified_filter = false;
        warn("the store ignores the modified_after filter (X-WP-Total " +
             std::to_string(all.total) +
             " with and without it): incremental streams are read "
             "in full and filtered on our side");
      }
    } catch (const std::exception &) {
      // The streams themselves will report the problem.
    }
  }
  return caps;
}

source::Page ApiPageSource::fetch(const source::PageRequest &request, std::string_view label) {
  {
    std::lock_guard lock(count_mu_);
    auto it = counts_.find(label);
    if (it == counts_.end()) {
      it = counts_.emplace(std::string(label), 0).first;
    }
    ++it->second;
  }
  ApiResponse r = api_.get_page(request.path, to_query(request), label, shape_);
  // Moved by construction, which keeps the page's arena (assignment would copy the tree).
  return source::Page{std::move(r.arena), std::move(r.body), r.total, r.total_pages, r.server_date};
}

std::string ApiPageSource::describe(const source::PageRequest &request) const {
  return describe_query(request);
}

std::string ApiPageSource::ignored_window(source::WindowTime time) const {
  return std::string("it ignores the '") +
         (time == source::WindowTime::kCreated ? "after" : "modified_after") +
         "' filter (WooCommerce older than 5.8?)";
}

std::int64_t ApiPageSource::requests(std::string_view label) const {
  std::lock_guard lock(count_mu_);
  auto it = counts_.find(label);
  return it != counts_.end() ? it->second : 0;
}

} // namespace wc::woo
