#pragma once
// WooCommerce collection parameters (page, per_page, offset, order, orderby, after/before,
// modified_after/modified_before, dates_are_gmt, include/exclude, status, parent, _fields):
// parsing with WordPress's validation errors, and the paginated response with X-WP-Total,
// X-WP-TotalPages and a Link header that echoes every query parameter received.
#include "demo_store/router.hpp"
#include "demo_store/wc_time.hpp"

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wc::demo {

struct ListSpec {
  std::vector<std::string> orderby; // allowed values; empty = orderby not accepted
  std::string default_orderby;
  bool default_desc = true;
  bool created_filters = false;  // after / before on the creation date
  bool modified_filters = false; // modified_after / modified_before (subject to the WC version)
};

struct ListQuery {
  int page = 1;
  int per_page = 10;
  std::optional<long> offset;
  bool desc = true;
  std::string orderby;
  // Bounds in UTC seconds, exclusive.
  std::optional<UnixSeconds> after, before, modified_after, modified_before;
  std::vector<std::string> status;
  std::vector<std::int64_t> include, exclude, parent;
  std::vector<std::string> fields;
};

// Parses and validates the query into `q`; on invalid input returns the 400 response WordPress
// would send. wc_version gates modified_* (>= 5.8, else silently ignored) and dates_are_gmt
// (>= 5.4).
std::optional<ApiResponse> read_list_query(const ApiRequest &req, const ListSpec &spec,
                                           const std::string &wc_version, ListQuery &q);

// 400 rest_invalid_param for one parameter, in WordPress's shape.
ApiResponse invalid_param(const std::string &name, const std::string &message,
                          const std::string &detail_code = "rest_invalid_param");

// [begin, end) of the requested page within total items.
std::pair<std::size_t, std::size_t> page_bounds(const ListQuery &q, std::size_t total);

// The 200 response for one page (items already sliced and rendered), with paging headers.
ApiResponse paged_response(const ApiRequest &req, const ListQuery &q, std::size_t total,
                           boost::json::array items);
// Unpaginated list (notes, gateways...): every item, X-WP-Total = size, X-WP-TotalPages = 1
// when with_totals.
ApiResponse full_list_response(const ApiRequest &req, boost::json::array items, bool with_totals);

// Keeps only the listed top-level fields (WordPress _fields); no-op when fields is empty.
void apply_fields(boost::json::value &item, const std::vector<std::string> &fields);

// RFC 3986 percent-encoding (unreserved characters kept), as PHP's rawurlencode.
std::string rawurlencode(const std::string &s);

} // namespace wc::demo
