#pragma once
// Records that carry their exact text from the response ("raw records").
//
// Parsing every order into a full JSON tree and serializing it again costs most of a read's CPU.
// A page read in raw shape (see record_page.hpp) gives each record a shallow object instead: the
// top-level members the reader keeps as values (for the engine: ids, cursor fields, parent ids
// and the members it adds; see source::raw_record_members) plus, under a reserved key, the
// record's own text, validated and on one line. Emitting such a record writes
// that text, with any members the engine added after parsing (a parent key, a deletion marker)
// spliced in before the closing brace: one copy, no serialization.
//
// Rules for code that handles records:
//  - read only kept top-level members from a raw record (the others, and anything nested, are in
//    its text only; call materialize() first when a transform needs them);
//  - add members with set_member(), and only kept ones: it keeps the raw text and the object
//    consistent;
//  - write records with append_record_json(), never with boost::json::serialize().
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace wc {

// The reserved key (it starts with a NUL byte, which no WooCommerce field name has).
inline constexpr std::string_view kRawTextKey{"\0wcc.raw", 8};

// The record's text when it is a raw record.
std::optional<std::string_view> raw_text(const boost::json::object &record);

// The reserved key of a reference to a raw record's token index (its text's tokens in its page's
// tape, core/json_tape.hpp and core/page_arena.hpp).
inline constexpr std::string_view kRawTokensKey{"\0wcc.tokens", 11};

// Makes `record` a raw record: adds `text` (one JSON object, already validated) under the reserved
// key. Line breaks between tokens are removed, so the text fits on one output line. `tokens`
// (may be empty): a reference to the token index of `text` (PageArena::reference), for the reader
// downstream (EmittedTokens); a line break becomes a space, so the tokens stay where they are.
void attach_raw_text(boost::json::object &record, std::string_view text,
                     boost::json::string tokens = boost::json::string());

// The token index of a raw record whose text is written as it lies (no member added since
// parsing), when its page is in hand on this thread (PageInHand); else empty.
std::string_view raw_tokens(const boost::json::object &record);

// While a raw record is written to the message sink as its own text (ReadContext::emit), the
// line being written and its token index, on this thread. A reader downstream (the relational
// output) that is handed that very line (the same bytes at the same address) takes the tokens
// over (JsonTape::adopt) instead of reading the text a second time.
class EmittedTokens {
public:
  EmittedTokens(std::string_view line, std::string_view tokens);
  ~EmittedTokens();
  EmittedTokens(const EmittedTokens &) = delete;
  EmittedTokens &operator=(const EmittedTokens &) = delete;
  // The tokens of `line` when it is the line being written, else empty.
  static std::string_view of(std::string_view line);

private:
  std::string_view previous_line_, previous_tokens_;
};

// Sets a member. On a raw record, a member the raw text already holds with another value is
// changed by materializing the record first; new members are spliced in when written.
void set_member(boost::json::object &record, std::string_view key, boost::json::value value);

// Turns a raw record into the full tree of its text (plus any members added since parsing).
// A record that is not raw is left as it is.
void materialize(boost::json::object &record);

// Appends the record's JSON text to `out`: the raw text with added members, or a serialization.
void append_record_json(const boost::json::object &record, std::string &out);

} // namespace wc
