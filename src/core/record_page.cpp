#include "core/record_page.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/string.hpp>
#include <charconv>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/encoding.hpp"
#include "core/json_tape.hpp"
#include "core/page_arena.hpp"
#include "core/raw_record.hpp"

namespace wc {
namespace json = boost::json;
namespace {

using error_code = boost::system::error_code;

// Builds the page array and each record's top-level scalars; everything deeper is only
// validated. Any other shape (not an array, an element that is not an object) stops the parse.
class ShallowHandler {
public:
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  ShallowHandler(json::storage_ptr sp, const KeptMembers *kept)
      : page_(sp), sp_(std::move(sp)), kept_(kept) {}

  json::array &page() { return page_; }
  // Where each record's first key starts in the input (null when unknown: no key, or a key
  // that begins with an escape, which the parser hands over from its own buffer).
  const std::vector<const char *> &first_keys() const { return first_keys_; }

  bool on_document_begin(error_code &) { return true; }
  bool on_document_end(error_code &) { return true; }

  bool on_array_begin(error_code &ec) {
    if (open_ == 0) {
      open_ = 1;
      return true;
    }
    return open_container(ec);
  }
  bool on_array_end(std::size_t, error_code &) {
    --open_;
    return true;
  }
  bool on_object_begin(error_code &ec) {
    if (open_ == 1) {
      record_.emplace(sp_);
      record_->reserve(kept_ != nullptr ? kept_->size() + 3 : 64);
      open_ = 2;
      first_keys_.push_back(nullptr);
      awaiting_first_key_ = true;
      return true;
    }
    return open_container(ec);
  }
  bool on_object_end(std::size_t, error_code &) {
    if (--open_ == 1) {
      page_.emplace_back(std::move(*record_));
      record_.reset();
    }
    return true;
  }

  bool on_key_part(json::string_view s, std::size_t, error_code &) {
    if (open_ == 2) {
      note_first_key(s);
      key_.append(s.data(), s.size());
    }
    return true;
  }
  bool on_key(json::string_view s, std::size_t, error_code &) {
    if (open_ == 2) {
      note_first_key(s);
      key_.append(s.data(), s.size());
      keep_ = kept_ == nullptr || std::binary_search(kept_->begin(), kept_->end(), key_);
      if (!keep_) {
        key_.clear();
      }
    }
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, error_code &) {
    if (open_ == 2 && keep_) {
      text_.append(s.data(), s.size());
    }
    return true;
  }
  bool on_string(json::string_view s, std::size_t, error_code &ec) {
    if (open_ != 2) {
      return open_ > 2 || fail(ec);
    }
    if (!keep_) {
      return true;
    }
    if (text_.empty()) {
      return member(json::string(s, sp_));
    }
    text_.append(s.data(), s.size());
    json::string value(json::string_view(text_.data(), text_.size()), sp_);
    text_.clear();
    return member(std::move(value));
  }
  bool on_number_part(json::string_view, error_code &) { return true; }
  bool on_int64(std::int64_t i, json::string_view, error_code &ec) { return scalar(i, ec); }
  bool on_uint64(std::uint64_t u, json::string_view, error_code &ec) { return scalar(u, ec); }
  bool on_double(double d, json::string_view, error_code &ec) { return scalar(d, ec); }
  bool on_bool(bool b, error_code &ec) { return scalar(b, ec); }
  bool on_null(error_code &ec) { return scalar(nullptr, ec); }
  bool on_comment_part(json::string_view, error_code &) { return true; }
  bool on_comment(json::string_view, error_code &) { return true; }

private:
  void note_first_key(json::string_view s) {
    if (awaiting_first_key_) {
      first_keys_.back() = s.data();
      awaiting_first_key_ = false;
    }
  }
  bool fail(error_code &ec) {
    ec = json::make_error_code(json::error::syntax);
    return false;
  }
  // A nested container begins: a placeholder for a record member, nothing deeper.
  bool open_container(error_code &ec) {
    if (open_ < 2) {
      return fail(ec); // the document or a page element is not an object
    }
    if (open_ == 2 && keep_) {
      member(json::string(json::string_view(kNestedPlaceholder.data(), kNestedPlaceholder.size()),
                          sp_));
    }
    ++open_;
    return true;
  }
  template <class T> bool scalar(T v, error_code &ec) {
    if (open_ != 2) {
      return open_ > 2 || fail(ec);
    }
    return !keep_ || member(json::value(v, sp_));
  }
  bool member(json::value v) {
    record_->insert_or_assign(json::string_view(key_.data(), key_.size()), std::move(v));
    key_.clear();
    return true;
  }

  json::array page_;
  json::storage_ptr sp_;
  const KeptMembers *kept_;
  bool keep_ = true; // the current member is kept
  std::optional<json::object> record_;
  std::string key_;
  std::string text_;
  std::vector<const char *> first_keys_;
  bool awaiting_first_key_ = false;
  int open_ = 0; // containers open: 1 = in the page, 2 = in a record, 3+ = nested
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

const char *back_over_space(const char *p, const char *floor) {
  while (p > floor && is_space(p[-1])) {
    --p;
  }
  return p;
}

// The records' texts from where their first keys start: a record begins at the '{' before its
// first key's opening quote and ends at the '}' before the ',' that precedes the next record (the
// last one: before the closing ']'). In valid JSON these checks leave no other reading; when one
// fails (an empty record, a key starting with an escape) the answer is empty and the caller scans.
std::vector<std::string_view> spans_from_keys(std::string_view text,
                                              const std::vector<const char *> &first_keys) {
  std::vector<std::string_view> spans;
  const char *floor = text.data();
  const char *end = text.data() + text.size();
  std::vector<const char *> starts;
  starts.reserve(first_keys.size());
  for (const char *key : first_keys) {
    if (key == nullptr || key <= floor + 1 || key >= end || key[-1] != '"') {
      return {};
    }
    const char *brace = back_over_space(key - 1, floor);
    if (brace <= floor || brace[-1] != '{') {
      return {};
    }
    starts.push_back(brace - 1);
  }
  // The array's closing bracket: the last non-space character of `text`.
  const char *close = back_over_space(end, floor);
  if (close <= floor || close[-1] != ']') {
    return {};
  }
  spans.reserve(starts.size());
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const char *stop = i + 1 < starts.size() ? starts[i + 1] : close - 1;
    stop = back_over_space(stop, floor);
    if (i + 1 < starts.size()) {
      if (stop <= floor || stop[-1] != ',') {
        return {};
      }
      stop = back_over_space(stop - 1, floor);
    }
    if (stop <= starts[i] || stop[-1] != '}') {
      return {};
    }
    spans.emplace_back(starts[i], static_cast<std::size_t>(stop - starts[i]));
  }
  return spans;
}

// The text of each element of a valid JSON array at the start of `text`, by scanning it: the
// fallback of spans_from_keys (rare: empty records, first keys starting with an escape).
std::vector<std::string_view> element_spans(std::string_view text) {
  std::vector<std::string_view> spans;
  const char *p = text.data();
  const char *end = p + text.size();
  while (p < end && *p != '[') {
    ++p;
  }
  ++p;
  for (;;) {
    while (p < end && (is_space(*p) || *p == ',')) {
      ++p;
    }
    if (p >= end || *p == ']') {
      return spans;
    }
    const char *start = p;
    int depth = 0;
    for (; p < end; ++p) {
      const char c = *p;
      if (c == '"') {
        for (++p; p < end && *p != '"'; ++p) {
          if (*p == '\\') {
            ++p; // the escaped character
          }
        }
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        ++p;
        break;
      }
    }
    spans.emplace_back(start, static_cast<std::size_t>(p - start));
  }
}

// Boost.JSON's default nesting limit (parse_options::max_depth), the page's array included.
constexpr std::size_t kPageDepth = 32;

// A kept member's value, as Boost.JSON's parser gives it: numbers other than plain integers
// (fractions, exponents, "-0", integers past 64 bits) through the parser itself, reading from
// where the number lies up to `end`, the end of the text a page parse reads: its conversion of a
// fraction can depend on how much text follows (a 19-digit fraction alone and the same fraction
// inside a page came out one unit apart in the last place; the fuzz target record_page found it).
json::value member_value(const TapeValue &v, const json::storage_ptr &sp, std::string &scratch,
                         const char *end) {
  switch (v.kind()) {
  case TapeKind::kNull:
    return json::value(nullptr, sp);
  case TapeKind::kFalse:
  case TapeKind::kTrue:
    return json::value(v.get_bool(), sp);
  case TapeKind::kString: {
    const std::string_view s = v.string(scratch);
    return json::string(json::string_view(s.data(), s.size()), sp);
  }
  case TapeKind::kNumber: {
    const std::string_view t = v.raw();
    if (v.is_integer() && t != "-0") {
      if (t.front() == '-') {
        std::int64_t i = 0;
        std::from_chars(t.data(), t.data() + t.size(), i);
        return json::value(i, sp);
      }
      std::uint64_t u = 0;
      std::from_chars(t.data(), t.data() + t.size(), u);
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return json::value(static_cast<std::int64_t>(u), sp);
      }
      return json::value(u, sp);
    }
    json::parser parser; // rare: the members the engine keeps are ids, dates and flags
    parser.reset(sp);
    json::error_code ec;
    parser.write_some(t.data(), static_cast<std::size_t>(end - t.data()), ec);
    if (ec) { // cannot happen: the tape took the number as JSON's
      return json::parse(json::string_view(t.data(), t.size()), sp);
    }
    return parser.release();
  }
  case TapeKind::kArray:
  case TapeKind::kObject:
    break;
  }
  return json::string(json::string_view(kNestedPlaceholder.data(), kNestedPlaceholder.size()), sp);
}

// parse_record_page with tokens: the page is indexed once into its arena's tape, its records built
// from the tape, each with a reference to its tokens there beside its text (page_arena.hpp).
std::optional<json::value> parse_page_tape(std::string_view text, std::string_view &rest,
                                           const json::storage_ptr &sp, const KeptMembers *kept,
                                           PageArena &arena) {
  JsonTape &tape = *arena.tape(); // the page's own: its records refer to their tokens there
  std::size_t used = 0;
  if (!tape.index_prefix(text, kPageDepth, used) || !valid_utf8(text.substr(0, used))) {
    return std::nullopt;
  }
  const TapeValue root = tape.root();
  if (!root.is_array()) {
    return std::nullopt;
  }
  // The kept members' key lengths: most keys are passed over on their length alone.
  std::uint64_t kept_lengths = 0;
  if (kept != nullptr) {
    for (const std::string &k : *kept) {
      kept_lengths |= k.size() < 64 ? std::uint64_t{1} << k.size() : std::uint64_t{1} << 63;
    }
  }
  const auto is_kept = [&](std::string_view k) {
    if (kept == nullptr) {
      return true;
    }
    const std::uint64_t bit = k.size() < 64 ? std::uint64_t{1} << k.size() : std::uint64_t{1} << 63;
    return (kept_lengths & bit) != 0 && std::binary_search(kept->begin(), kept->end(), k);
  };
  json::array page(sp);
  std::string key_scratch, value_scratch;
  bool objects = true;
  root.for_each_item([&](const TapeValue &item) {
    if (!objects || !item.is_object()) {
      objects = false;
      return;
    }
    json::object record(sp);
    record.reserve(kept != nullptr ? kept->size() + 3 : 64);
    item.for_each_member([&](const TapeValue &key, const TapeValue &value) {
      const std::string_view k = key.string(key_scratch);
      if (is_kept(k)) {
        record.insert_or_assign(json::string_view(k.data(), k.size()),
                                member_value(value, sp, value_scratch, text.data() + text.size()));
      }
    });
    const std::string reference = arena.reference(tape.tokens_of(item));
    attach_raw_text(record, item.text(),
                    json::string(json::string_view(reference.data(), reference.size()), sp));
    page.emplace_back(std::move(record));
  });
  if (!objects) {
    return std::nullopt;
  }
  rest = text.substr(used);
  return json::value(std::move(page));
}

} // namespace

std::optional<json::value> parse_record_page(std::string_view text, std::string_view &rest,
                                             json::storage_ptr sp, const KeptMembers *kept,
                                             PageArena *tokens) {
  if (text.empty() || text.front() != '[') {
    return std::nullopt;
  }
  if (tokens != nullptr && tokens->tape() != nullptr) {
    if (auto page = parse_page_tape(text, rest, sp, kept, *tokens)) {
      return page;
    }
    // Not JSON, or JSON the tape does not take: the parser below decides, as without tokens.
  }
  json::basic_parser<ShallowHandler> parser(json::parse_options{}, sp, kept);
  error_code ec;
  std::size_t used = parser.write_some(true, text.data(), text.size(), ec);
  if (!ec && !parser.done()) {
    used += parser.write_some(false, nullptr, 0, ec);
  }
  if (ec || !parser.done()) {
    return std::nullopt;
  }
  json::array &page = parser.handler().page();
  std::vector<std::string_view> spans =
      spans_from_keys(text.substr(0, used), parser.handler().first_keys());
  if (spans.size() != page.size()) {
    spans = element_spans(text.substr(0, used));
  }
  if (spans.size() != page.size()) {
    return std::nullopt; // cannot happen for valid JSON; the tree parse is the safe answer
  }
  for (std::size_t i = 0; i < spans.size(); ++i) {
    attach_raw_text(page[i].as_object(), spans[i]);
  }
  rest = text.substr(used);
  return json::value(std::move(page));
}

} // namespace wc
