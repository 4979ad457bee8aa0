#pragma once
// Parses a listing page (a JSON array of objects) into raw records (see raw_record.hpp) in one
// validating pass: Boost.JSON's parser checks the whole text (syntax, UTF-8, depth) while a
// handler keeps only each record's top-level scalars; a structural scan then cuts each record's
// text out of the page. Nested objects and arrays are validated but never built, and nothing is
// serialized again when the records are written.
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string_view>

namespace wc {

// How a listing's records are wanted: full trees, or raw records (top-level scalars + text).
enum class RecordShape { kTree, kRaw };

// The placeholder a raw record holds under a key whose value is a nested object or array.
inline constexpr std::string_view kNestedPlaceholder{"\0wcc.nested", 11};

// Parses the JSON array at the start of `text` (no leading whitespace) into an array of raw
// records allocated from `sp`; `rest` gets what follows the array. Returns nullopt, and leaves
// `rest` alone, when the text does not start with a valid JSON array whose elements are all
// objects: the caller then parses it as a tree (and reports what is wrong with it).
std::optional<boost::json::value> parse_record_page(std::string_view text, std::string_view &rest,
                                                    boost::json::storage_ptr sp);

} // namespace wc
