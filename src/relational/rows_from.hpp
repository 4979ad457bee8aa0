#pragma once
// Streams whose rows are the items of a list inside another stream's records (rule `rows_from`
// in catalog/relational.yaml): the rows' raw schema, derived from the records' schema, and one
// record's rows. The rows are then converted like any record (record_converter.hpp).
#include <boost/json/object.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "relational/rules.hpp"

namespace wc::relational {

// The raw JSON schema of the rows: the carried columns (in the rule's order, typed as their
// fields) then the properties of the innermost list's items. Throws wc::Error(kSystem) when the
// path or a carried field is not in `records_schema`, or a carried column clashes with an item
// field.
boost::json::object rows_schema(std::string_view stream, const boost::json::object &records_schema,
                                const RowsFromRule &rule);

// The rows of one record: one per item of the innermost list, each with the carried fields of
// its enclosing levels. A missing, null or empty list gives no row; a list that is not a list is
// reported through `unexpected` (with its path) and gives no row.
std::vector<boost::json::object>
expand_rows(const RowsFromRule &rule, const boost::json::object &record,
            const std::function<void(const std::string &list_path)> &unexpected);

} // namespace wc::relational
