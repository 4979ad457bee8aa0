#pragma once
// Where the engine gets pages from. The store's API client implements it; tests can fake it.
#include <boost/json/value.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/page_arena.hpp"
#include "core/time_util.hpp"
#include "http/http_types.hpp"
#include "source/page_request.hpp"

namespace wc::source {

struct Page {
  // Owns the memory of a body read as raw records (whose nodes are then freed at once, without
  // walking the tree) and their tokens' tape (core/page_arena.hpp); declared first, so it
  // outlives `body`.
  std::shared_ptr<PageArena> arena;
  boost::json::value body;                // the parsed JSON (an array for listings)
  std::int64_t total = -1;                // X-WP-Total
  std::int64_t total_pages = -1;          // X-WP-TotalPages
  std::optional<UnixSeconds> server_date; // Date header
};

class PageSource {
public:
  virtual ~PageSource() = default;
  virtual Page fetch(const PageRequest &request, std::string_view label) = 0;
  // The request as the store sees it, for messages ("GET /orders?status=any&page=3"); no
  // credentials. By default the route and the page.
  virtual std::string describe(const PageRequest &request) const {
    std::string out = "GET " + request.path;
    if (request.page) {
      out += " (page " + std::to_string(*request.page) + ")";
    }
    return out;
  }
  // Why a full page of records older than a window's start came back: the store ignores the
  // filter. Ends the engine's message ("...older than the cursor: <this>").
  virtual std::string ignored_window(WindowTime) const { return "it ignores the date filter"; }
};

} // namespace wc::source
