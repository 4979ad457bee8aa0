#pragma once
// The engine's PageRequest as a wc/v3 listing query. The parameters, their order and their
// values are what the connector has always sent (the demo store's strict date filters and the
// end-to-end tests pin them):
//  - date windows: modified_after/modified_before (or after/before for the creation date) with
//    dates_are_gmt=true, ordered by that date (orderby=modified|date&order=asc);
//  - the life cycle as status=any (live) or status=trash, replacing the definition's status;
//  - include= for a list of ids, type= for the parent listing's type, _fields= for a projection.
#include <string>

#include "http/http_types.hpp"
#include "source/page_request.hpp"

namespace wc::woo {

http::Params to_query(const source::PageRequest &request);

// "GET /orders?status=any&per_page=100&page=3": the request, for messages (no credentials: the
// engine's requests never hold any).
std::string describe_query(const source::PageRequest &request);

} // namespace wc::woo
