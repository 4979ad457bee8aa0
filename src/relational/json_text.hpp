#pragma once
// JSON text appended to a buffer without a serializer object per value: the converter writes
// every cell of every row with these (docs/relational.md, Cost). The text is exactly
// boost::json::serialize's: strings with nothing to escape are copied between quotes, integers
// written with to_chars; anything else (escapes, floats, lists, objects) goes through serialize.
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace wc::relational {

// True when serialize would escape a character of `text` (a quote, a backslash or a control
// character; everything else, UTF-8 included, is written as is). Eight bytes at a time.
bool needs_json_escape(std::string_view text);

// Appends `text` as a JSON string.
void append_json_string(std::string &out, std::string_view text);

// Appends `v` as JSON text.
void append_json(std::string &out, const boost::json::value &v);

} // namespace wc::relational
