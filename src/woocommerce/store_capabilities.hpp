#pragma once
// What this store can do, from its public route index (GET /wp-json/wc/v3 lists every route and
// its parameters) and one confirming request: whether /refunds (WooCommerce 9.0+) and
// /variations (10.3+) exist, and whether the modified_after filter really works (stores older
// than 5.8 silently ignore it and return everything).
#include <boost/json/value.hpp>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "source/page_source.hpp"
#include "source/stream_reader.hpp"
#include "woocommerce/api_client.hpp"

namespace wc::woo {

struct RouteIndex {
  bool loaded = false;
  std::set<std::string> routes;        // "/orders", "/refunds", ...
  std::set<std::string> orders_params; // parameters of GET /orders
  bool orders_params_known = false;    // the index lists them (some caches strip the args)
  bool has(const std::string &route) const { return !loaded || routes.count(route) > 0; }
};

RouteIndex parse_route_index(const boost::json::value &index);

// Loads the index (switching the client to ?rest_route= URLs when /wp-json is missing) and
// confirms the modified_after filter when `need_modified_filter`. Warnings go to `warn`.
source::StoreCapabilities detect_capabilities(ApiClient &api, bool need_modified_filter,
                                              const std::function<void(const std::string &)> &warn);

// PageSource over the API client (whose HttpClient holds the in-flight limit and the budget).
class ApiPageSource : public source::PageSource {
public:
  // With a raw RecordShape, listings come back as raw records (core/raw_record.hpp).
  explicit ApiPageSource(ApiClient &api, RecordShape shape = RecordShape::tree())
      : api_(api), shape_(shape) {}
  // The request as a wc/v3 query (page_query.hpp).
  source::Page fetch(const source::PageRequest &request, std::string_view label) override;
  std::string describe(const source::PageRequest &request) const override;
  std::string ignored_window(source::WindowTime time) const override;
  // Pages asked for under `label` (a stream's name) so far, retries inside one fetch not counted.
  std::int64_t requests(std::string_view label) const;

private:
  ApiClient &api_;
  RecordShape shape_;
  mutable std::mutex count_mu_;
  std::map<std::string, std::int64_t, std::less<>> counts_;
};

} // namespace wc::woo
