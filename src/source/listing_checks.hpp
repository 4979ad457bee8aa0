#pragma once
// What a listing page must look like before any of it is emitted: every item an object holding
// the stream's key fields, and totals (X-WP-Total, X-WP-TotalPages) that agree with the page.
// A proxy, cache or plugin answering in another shape must fail the page with a message naming
// the request and what came back, never become junk rows or end a listing early and silently.
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "http/http_types.hpp"
#include "source/page_source.hpp"
#include "source/stream_definition.hpp"

namespace wc::source {

// The top-level fields every record of the stream must hold: the first name of each primary key
// path, except the parent key the engine adds itself.
std::vector<std::string> key_members(const StreamDefinition &definition);

// Throws a system_error when an item is not an object or lacks (or has null) one of `fields`.
void require_records(const boost::json::array &items, const std::vector<std::string> &fields,
                     const std::string &label, const std::string &request);

// Why the page's totals contradict the page itself (a non-empty page `page` of at most
// `page_size` items past X-WP-TotalPages, or more items than X-WP-Total leaves), or nullopt.
std::optional<std::string> totals_contradiction(const Page &page, int page_number, int page_size);

} // namespace wc::source
