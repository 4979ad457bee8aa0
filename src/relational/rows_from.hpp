#pragma once
// Streams whose rows are the items of a list inside another stream's records (rule `rows_from`
// in catalog/relational.yaml): the rows' raw schema, derived from the records' schema, and one
// record's rows. The rows are then converted like any record (record_converter.hpp).
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_tape.hpp"
#include "relational/rules.hpp"

namespace wc::relational {

// The raw JSON schema of the rows: the carried columns (in the rule's order, typed as their
// fields), `key` (a map's entries), `position`, then the properties of the innermost list's
// items (items that are not objects: one `value` column typed as the items), `_parent_version`.
// Throws wc::Error(kSystem) when the path or a carried field is not in `records_schema`, or a
// carried column clashes with an item field.
boost::json::object rows_schema(std::string_view stream, const boost::json::object &records_schema,
                                const RowsFromRule &rule);

// One row as found in the record, nothing copied: the carried fields' values (absent when the
// level has no such field; in the rule's carry order), the map entry's key, the item's position,
// the item itself and the parent's version. Valid during the callback only.
struct RowParts {
  std::vector<TapeValue> carried;
  std::string_view map_key;
  std::int64_t position = 0;
  TapeValue item;
  std::string_view parent_version;
};

// Calls `row` for every row of the record (read in place: json_tape.hpp), in order
// (expand_rows' rows, not built).
void for_each_row(const RowsFromRule &rule, const TapeValue &record,
                  std::string_view parent_version,
                  const std::function<void(const std::string &list_path)> &unexpected,
                  const std::function<void(const RowParts &)> &row);

// The rows of one record: one per item of the innermost list (or entry of the innermost map),
// each with the carried fields of its enclosing levels, then `key` (maps), `position` (with
// rule.position), the item's fields (a value that is not an object: `value`) and
// `_parent_version` = parent_version (with rule.parent_version). A missing, null or empty list
// gives no row; a list that is not a list is reported through `unexpected` (with its path) and
// gives no row.
std::vector<boost::json::object>
expand_rows(const RowsFromRule &rule, const boost::json::object &record,
            std::string_view parent_version,
            const std::function<void(const std::string &list_path)> &unexpected);

} // namespace wc::relational
