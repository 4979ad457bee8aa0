#pragma once
// One raw record (WooCommerce's JSON) -> its relational record (one flat JSON object), by the
// stream's plan. Never fails on data: a value that cannot take its column's type becomes null and
// is reported through `warn` (the caller says it once per field per sync); fields the plan does
// not know go into _extra.
#include <boost/json/object.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "relational/relational_schema.hpp"

namespace wc::relational {

// (column, what was wrong with the value)
using ConversionWarn = std::function<void(const std::string &column, const std::string &why)>;

// The relational record's JSON text. `options` must be those the plan was derived with.
std::string convert_record(const StreamPlan &plan, const Options &options,
                           const boost::json::object &raw, const ConversionWarn &warn);

} // namespace wc::relational
