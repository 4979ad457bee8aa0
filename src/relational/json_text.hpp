#pragma once
// JSON strings appended to a buffer without a serializer object: the converter writes the text
// it makes itself (unescaped strings, names in _extra) with these (docs/relational.md, Cost).
// The text is exactly boost::json::serialize's: a string with nothing to escape is copied between
// quotes, any other goes through serialize.
#include <string>
#include <string_view>

namespace wc::relational {

// True when serialize would escape a character of `text` (a quote, a backslash or a control
// character; everything else, UTF-8 included, is written as is). Eight bytes at a time.
bool needs_json_escape(std::string_view text);

// Appends `text` as a JSON string.
void append_json_string(std::string &out, std::string_view text);

} // namespace wc::relational
