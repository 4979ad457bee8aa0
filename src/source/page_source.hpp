#pragma once
// Where the engine gets pages from. The WooCommerce API client implements it; tests can fake it.
#include <boost/json/value.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "core/time_util.hpp"
#include "http/http_types.hpp"

namespace wc::source {

struct Page {
  // Owns the memory of a body read as raw records (whose nodes are then freed at once, without
  // walking the tree); declared first, so it outlives `body`.
  std::shared_ptr<void> arena;
  boost::json::value body;                // the parsed JSON (an array for listings)
  std::int64_t total = -1;                // X-WP-Total
  std::int64_t total_pages = -1;          // X-WP-TotalPages
  std::optional<UnixSeconds> server_date; // Date header
};

class PageSource {
public:
  virtual ~PageSource() = default;
  virtual Page fetch(std::string_view path, http::Params params, std::string_view label) = 0;
};

} // namespace wc::source
