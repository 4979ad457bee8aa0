#pragma once
// The listing pager: a full listing page by page, with pages of a known-size listing fetched
// ahead, smaller pages after timeouts, and the totals checked against the pages.
#include <boost/json/array.hpp>
#include <functional>
#include <string>
#include <vector>

#include "source/read_context.hpp"

namespace wc::source {

// Pages through a full listing (`listing` with page and page size set), from `first_page`,
// stopping on X-WP-TotalPages or an empty page (never a short page), and on a repeated page. Calls
// on_page(records, next_page) after each page. Returns the X-WP-Total of the first page.
// Every item must be an object holding `fields` (else a system_error names the request), and a
// page whose totals contradict it is read again, then fails the listing (transient_error).
std::int64_t page_through(ReadContext &ctx, const PageRequest &listing, const std::string &label,
                          int first_page,
                          const std::function<void(boost::json::array &, int next_page)> &on_page,
                          bool estimate = true, const std::vector<std::string> &fields = {});

} // namespace wc::source
