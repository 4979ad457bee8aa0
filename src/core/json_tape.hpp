#pragma once
// A JSON text read in place: one pass records every token's kind and where it lies (a "tape"),
// so that a record can be converted without building a tree of it (docs/relational.md, Cost).
// The text stays where it is: a string is a view of its bytes between the quotes, a number its
// token, a list or object its whole text; nothing is copied, and one tape is reused record after
// record without allocating once it has grown.
//
// The grammar is JSON's (RFC 8259) with two limits: strings are not checked for valid UTF-8 (the
// caller does: core/record_page.cpp checks a page's bytes before its tape is used) and an object
// may repeat a key (lookups find the first). Anything else that is not JSON makes index() refuse
// the text, so a value's text is always JSON that can be written as it lies.
//
// A page's tape can hand each record's tokens on (tokens_of), so that the record's reader takes
// them over (adopt) instead of indexing the record's text a second time.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wc {

enum class TapeKind : std::uint8_t { kNull, kFalse, kTrue, kNumber, kString, kArray, kObject };

class TapeValue;

class JsonTape {
public:
  // Indexes `text`: one JSON value, whitespace around it allowed. False (and an empty tape) when
  // it is not JSON, or nests deeper than kMaxDepth. `text` must outlive every use of the tape.
  bool index(std::string_view text) { return parse(text, kMaxDepth, nullptr); }
  // Indexes the JSON value at the very start of `text`, nesting at most `max_depth` deep; `used`
  // gets the length of its text and the whitespace after it (what follows is not looked at).
  // False as index().
  bool index_prefix(std::string_view text, std::size_t max_depth, std::size_t &used) {
    return parse(text, max_depth, &used);
  }
  // The indexed value (absent when index() failed or was not called).
  TapeValue root() const;

  static constexpr std::size_t kMaxDepth = 512;

  // The tokens of `value`, an object or array of this tape, as bytes: what adopt() takes (valid
  // until the tape is used again; copy them to keep them).
  std::string_view tokens_of(const TapeValue &value) const;
  // Reads `text` through the tokens that tokens_of gave for exactly this text (a record cut out of
  // a page indexed before), moved so that it is the root: no second pass over the text. False
  // (and an empty tape) when they cannot describe `text` (sizes or the root's kind differ); the
  // caller then index()es it.
  bool adopt(std::string_view text, std::string_view tokens);

private:
  friend class TapeValue;
  struct Token {         // every field is set when it is written (parse's push)
    std::uint32_t begin; // strings: after the opening quote; else the value's first byte
    std::uint32_t end;   // strings: at the closing quote; else after the value's last byte
    std::uint32_t next;  // the token after this value (after everything in a container)
    TapeKind kind;
    bool escaped; // a string holding a backslash escape
    bool integer; // a number that is an integer fitting 64 bits
    std::uint8_t unused;
  };
  static_assert(sizeof(Token) == 16, "tokens are copied as bytes (tokens_of, adopt)");
  void grow();
  void reserve(std::uint32_t count);
  bool fail();
  bool parse(std::string_view text, std::size_t max_depth, std::size_t *used);
  // The root object's members by key, built at its first lookup when it has many (a record's
  // top level: every nested-list stream looks its list up there). A tape is used by one thread.
  TapeValue find_in_root(std::string_view key) const;
  std::string_view text_;
  std::unique_ptr<Token[]> tokens_;
  std::uint32_t count_ = 0, capacity_ = 0;
  mutable bool directory_built_ = false;
  mutable std::vector<std::uint32_t> directory_; // open addressing: key token + 1, 0 = empty
};

// One value of a tape, or absent. Cheap to copy; valid while its tape holds the same text.
class TapeValue {
public:
  TapeValue() = default;
  explicit operator bool() const { return tape_ != nullptr; }

  TapeKind kind() const { return token().kind; }
  bool is_null() const { return kind() == TapeKind::kNull; }
  bool is_bool() const { return kind() == TapeKind::kTrue || kind() == TapeKind::kFalse; }
  bool is_number() const { return kind() == TapeKind::kNumber; }
  bool is_string() const { return kind() == TapeKind::kString; }
  bool is_array() const { return kind() == TapeKind::kArray; }
  bool is_object() const { return kind() == TapeKind::kObject; }
  bool get_bool() const { return kind() == TapeKind::kTrue; }

  // The value as JSON text, as it lies in the input (a string with its quotes). Every token lies
  // within the text (parse and adopt see to it), so no bounds are checked here.
  std::string_view text() const {
    const auto &t = token();
    const std::uint32_t quote = t.kind == TapeKind::kString ? 1 : 0;
    return {tape_->text_.data() + (t.begin - quote), t.end - t.begin + 2 * quote};
  }
  // A string's bytes between its quotes, escapes as written; a number's token.
  std::string_view raw() const {
    const auto &t = token();
    return {tape_->text_.data() + t.begin, t.end - t.begin};
  }
  // A string holds a backslash escape (raw() is then not its value).
  bool escaped() const { return token().escaped; }
  // A string's value: raw() itself, or (escaped) its unescaped text written into `scratch`.
  std::string_view string(std::string &scratch) const;
  // A number whose token is an integer that fits 64 bits (signed, or unsigned when positive).
  bool is_integer() const { return token().integer; }
  // An array or object without items or members.
  bool empty() const { return token().next == index_ + 1; }

  // The first member of an object whose key is `key` (absent: none, or not an object).
  TapeValue find(std::string_view key) const;

  // Calls f(TapeValue key, TapeValue value) for each member of an object, in order.
  template <typename F> void for_each_member(F &&f) const {
    for (std::uint32_t i = index_ + 1; i < token().next;) {
      const TapeValue key(tape_, i);
      const TapeValue value(tape_, i + 1);
      f(key, value);
      i = value.token().next;
    }
  }
  // Calls f(TapeValue item) for each item of an array, in order.
  template <typename F> void for_each_item(F &&f) const {
    for (std::uint32_t i = index_ + 1; i < token().next;) {
      const TapeValue item(tape_, i);
      f(item);
      i = item.token().next;
    }
  }

private:
  friend class JsonTape;
  TapeValue find_linear(std::string_view key) const;
  TapeValue(const JsonTape *tape, std::uint32_t index) : tape_(tape), index_(index) {}
  const JsonTape::Token &token() const { return tape_->tokens_[index_]; }
  const JsonTape *tape_ = nullptr;
  std::uint32_t index_ = 0;
};

// A JSON string's raw text (between its quotes, escapes as written) unescaped into `out`
// (replacing it). False when an escape is not JSON's.
bool unescape_json_string(std::string_view raw, std::string &out);

} // namespace wc
