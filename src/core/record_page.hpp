#pragma once
// Parses a listing page (a JSON array of objects) into raw records (see raw_record.hpp) in one
// validating pass: Boost.JSON's parser (or a JsonTape, see parse_record_page) checks the whole text
// (syntax, UTF-8, depth) while a handler keeps only each record's top-level scalars (or the ones
// asked for); each record's text is then cut out of the page. Nested objects and arrays are
// validated but never built, and nothing is serialized again when the records are written.
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wc {

class PageArena;

// The top-level members a raw record keeps as values (sorted, unique); all others are in its text
// only. The engine names the members it reads (ids, cursors, parent keys) and the ones it adds.
using KeptMembers = std::vector<std::string>;

// How a listing's records are wanted: full trees, or raw records (text plus kept members).
struct RecordShape {
  bool raw = false;
  const KeptMembers *kept = nullptr; // raw: the members kept as values; null keeps every one
  // raw: each record also carries the token index of its text (core/json_tape.hpp), for a reader
  // that reads records in place (the relational output): the page is then read by a JsonTape
  // instead of Boost.JSON's parser, and no record is tokenized twice.
  bool tokens = false;
  static RecordShape tree() { return {}; }
  static RecordShape raw_records(const KeptMembers *kept, bool tokens = false) {
    return {true, kept, tokens};
  }
};

// The placeholder a raw record holds under a key whose value is a nested object or array.
inline constexpr std::string_view kNestedPlaceholder{"\0wcc.nested", 11};

// Parses the JSON array at the start of `text` (no leading whitespace) into an array of raw
// records allocated from `sp`; `rest` gets what follows the array. Returns nullopt, and leaves
// `rest` alone, when the text does not start with a valid JSON array whose elements are all
// objects: the caller then parses it as a tree (and reports what is wrong with it). `kept`
// (null: every member) names the top-level members each record keeps as values. With `tokens`
// (an arena with a tape, page_arena.hpp), the page is read into its tape by a JsonTape that
// checks what Boost.JSON's parser checks (syntax, UTF-8, UTF-16 surrogate escapes, depth), and
// each record keeps a reference to its tokens there (see RecordShape); the records are the same
// either way.
std::optional<boost::json::value> parse_record_page(std::string_view text, std::string_view &rest,
                                                    boost::json::storage_ptr sp,
                                                    const KeptMembers *kept = nullptr,
                                                    PageArena *tokens = nullptr);

} // namespace wc
