#include "relational/json_tape.hpp"

#include <bit>
#include <charconv>
#include <cstring>
#include <limits>

namespace wc::relational {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHigh = 0x8080808080808080ULL;

// Where the first byte of `x` (8 bytes of text, in memory order) is a quote, a backslash or a
// control character: 0 to 7, or 8 when none is. Each "has less than" test flags its lowest true
// byte exactly (only a true hit borrows from the bytes above it), so the lowest flag is exact.
unsigned first_stop(std::uint64_t x) {
  static_assert(std::endian::native == std::endian::little, "the byte order of x86 and arm64");
  const std::uint64_t quote = x ^ (kOnes * '"');
  const std::uint64_t backslash = x ^ (kOnes * '\\');
  const std::uint64_t hit = (((x - kOnes * 0x20) & ~x) | ((quote - kOnes) & ~quote) |
                             ((backslash - kOnes) & ~backslash)) &
                            kHigh;
  return hit == 0 ? 8 : static_cast<unsigned>(std::countr_zero(hit)) / 8;
}

bool stops_string(char c) { return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; }

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// The four hex digits at p (p + 4 <= end checked by the caller), or -1.
long hex4(const char *p) {
  long v = 0;
  for (int i = 0; i < 4; ++i) {
    const int h = hex_value(p[i]);
    if (h < 0) {
      return -1;
    }
    v = v * 16 + h;
  }
  return v;
}

void append_utf8(std::string &out, unsigned long cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool literal(const char *&p, const char *end, std::string_view word) {
  if (static_cast<std::size_t>(end - p) < word.size() ||
      std::memcmp(p, word.data(), word.size()) != 0) {
    return false;
  }
  p += word.size();
  return true;
}

} // namespace

bool unescape_json_string(std::string_view raw, std::string &out) {
  out.clear();
  const char *p = raw.data();
  const char *end = p + raw.size();
  while (p < end) {
    const char *bs = static_cast<const char *>(std::memchr(p, '\\', end - p));
    if (bs == nullptr) {
      out.append(p, end);
      break;
    }
    out.append(p, bs);
    if (bs + 1 >= end) {
      return false;
    }
    p = bs + 2;
    switch (bs[1]) {
    case '"':
      out.push_back('"');
      break;
    case '\\':
      out.push_back('\\');
      break;
    case '/':
      out.push_back('/');
      break;
    case 'b':
      out.push_back('\b');
      break;
    case 'f':
      out.push_back('\f');
      break;
    case 'n':
      out.push_back('\n');
      break;
    case 'r':
      out.push_back('\r');
      break;
    case 't':
      out.push_back('\t');
      break;
    case 'u': {
      if (end - p < 4) {
        return false;
      }
      long cp = hex4(p);
      if (cp < 0) {
        return false;
      }
      p += 4;
      if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
        const long low = hex4(p + 2);
        if (low >= 0xDC00 && low <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          p += 6;
        }
      }
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        cp = 0xFFFD; // a lone surrogate: the replacement character, as Boost.JSON's parser does
      }
      append_utf8(out, static_cast<unsigned long>(cp));
      break;
    }
    default:
      return false;
    }
  }
  return true;
}

bool JsonTape::fail() {
  tokens_.clear();
  open_.clear();
  return false;
}

// p is at the opening quote; on success p is after the closing one.
bool JsonTape::string_token(const char *&p, const char *end) {
  const char *q = p + 1;
  bool escaped = false;
  for (;;) {
    if (end - q >= 8) {
      std::uint64_t x = 0;
      std::memcpy(&x, q, 8);
      const unsigned k = first_stop(x);
      q += k;
      if (k == 8) {
        continue;
      }
    } else {
      while (q < end && !stops_string(*q)) {
        ++q;
      }
      if (q == end) {
        return false; // unterminated
      }
    }
    if (*q == '"') {
      break;
    }
    if (*q != '\\' || end - q < 2) {
      return false; // a raw control character, or a backslash at the end
    }
    // the escape must be one of JSON's
    const char e = q[1];
    if (e == 'u') {
      if (end - q < 6 || hex4(q + 2) < 0) {
        return false;
      }
      q += 6;
    } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
               e == 't') {
      q += 2;
    } else {
      return false;
    }
    escaped = true;
  }
  tokens_.push_back(Token{static_cast<std::uint32_t>(p + 1 - text_.data()),
                          static_cast<std::uint32_t>(q - text_.data()),
                          static_cast<std::uint32_t>(tokens_.size() + 1), TapeKind::kString,
                          escaped});
  p = q + 1;
  return true;
}

// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool JsonTape::number_token(const char *&p, const char *end) {
  const char *q = p;
  if (q < end && *q == '-') {
    ++q;
  }
  if (q == end || !is_digit(*q)) {
    return false;
  }
  if (*q == '0') {
    ++q;
  } else {
    while (q < end && is_digit(*q)) {
      ++q;
    }
  }
  const char *digits_end = q;
  if (q < end && *q == '.') {
    ++q;
    if (q == end || !is_digit(*q)) {
      return false;
    }
    while (q < end && is_digit(*q)) {
      ++q;
    }
  }
  if (q < end && (*q == 'e' || *q == 'E')) {
    ++q;
    if (q < end && (*q == '+' || *q == '-')) {
      ++q;
    }
    if (q == end || !is_digit(*q)) {
      return false;
    }
    while (q < end && is_digit(*q)) {
      ++q;
    }
  }
  Token t;
  t.begin = static_cast<std::uint32_t>(p - text_.data());
  t.end = static_cast<std::uint32_t>(q - text_.data());
  t.next = static_cast<std::uint32_t>(tokens_.size() + 1);
  t.kind = TapeKind::kNumber;
  if (digits_end == q) { // no fraction, no exponent: an integer, when it fits 64 bits
    if (q - p <= 18) {
      t.integer = true;
    } else if (*p == '-') {
      std::int64_t v = 0;
      t.integer = std::from_chars(p, q, v).ec == std::errc();
    } else {
      std::uint64_t v = 0;
      t.integer = std::from_chars(p, q, v).ec == std::errc();
    }
  }
  tokens_.push_back(t);
  p = q;
  return true;
}

bool JsonTape::index(std::string_view text) {
  tokens_.clear();
  open_.clear();
  text_ = text;
  if (text.size() >= std::numeric_limits<std::uint32_t>::max()) {
    return fail();
  }
  tokens_.reserve(text.size() / 2 + 2); // every token but one takes two bytes or more
  const char *p = text.data();
  const char *const end = p + text.size();
  auto skip_space = [&] {
    while (p < end && is_space(*p)) {
      ++p;
    }
  };
  auto scalar = [&](TapeKind kind, const char *start) {
    Token t;
    t.begin = static_cast<std::uint32_t>(start - text.data());
    t.end = static_cast<std::uint32_t>(p - text.data());
    t.next = static_cast<std::uint32_t>(tokens_.size() + 1);
    t.kind = kind;
    tokens_.push_back(t);
  };
  // Closes the innermost container, whose closing bracket is at p.
  auto close = [&] {
    Token &t = tokens_[open_.back()];
    t.end = static_cast<std::uint32_t>(p + 1 - text.data());
    t.next = static_cast<std::uint32_t>(tokens_.size());
    open_.pop_back();
    ++p;
  };
  skip_space();
  for (;;) {
    // A value is expected at p.
    if (p == end) {
      return fail();
    }
    const char *start = p;
    switch (*p) {
    case '{':
    case '[': {
      if (open_.size() >= kMaxDepth) {
        return fail();
      }
      const bool object = *p == '{';
      Token t;
      t.begin = static_cast<std::uint32_t>(p - text.data());
      t.kind = object ? TapeKind::kObject : TapeKind::kArray;
      open_.push_back(static_cast<std::uint32_t>(tokens_.size()));
      tokens_.push_back(t);
      ++p;
      skip_space();
      if (p < end && *p == (object ? '}' : ']')) {
        close();
        break; // an empty container is a whole value
      }
      if (object) {
        if (p == end || *p != '"' || !string_token(p, end)) {
          return fail();
        }
        skip_space();
        if (p == end || *p != ':') {
          return fail();
        }
        ++p;
        skip_space();
      }
      continue; // the first item or member value
    }
    case '"':
      if (!string_token(p, end)) {
        return fail();
      }
      break;
    case 't':
      if (!literal(p, end, "true")) {
        return fail();
      }
      scalar(TapeKind::kTrue, start);
      break;
    case 'f':
      if (!literal(p, end, "false")) {
        return fail();
      }
      scalar(TapeKind::kFalse, start);
      break;
    case 'n':
      if (!literal(p, end, "null")) {
        return fail();
      }
      scalar(TapeKind::kNull, start);
      break;
    default:
      if (!number_token(p, end)) {
        return fail();
      }
      break;
    }
    // A value ended: close containers, or go on to the next item or member.
    for (;;) {
      skip_space();
      if (open_.empty()) {
        return p == end || fail();
      }
      if (p == end) {
        return fail();
      }
      const bool object = tokens_[open_.back()].kind == TapeKind::kObject;
      if (*p == (object ? '}' : ']')) {
        close();
        continue;
      }
      if (*p != ',') {
        return fail();
      }
      ++p;
      skip_space();
      if (object) {
        if (p == end || *p != '"' || !string_token(p, end)) {
          return fail();
        }
        skip_space();
        if (p == end || *p != ':') {
          return fail();
        }
        ++p;
        skip_space();
      }
      break;
    }
  }
}

TapeValue JsonTape::root() const { return tokens_.empty() ? TapeValue() : TapeValue(this, 0); }

std::string_view TapeValue::string(std::string &scratch) const {
  if (!escaped()) {
    return raw();
  }
  unescape_json_string(raw(), scratch); // checked by index()
  return scratch;
}

TapeValue TapeValue::find(std::string_view key) const {
  if (!is_object()) {
    return {};
  }
  const auto &tokens = tape_->tokens_;
  const std::string_view text = tape_->text_;
  std::string scratch;
  for (std::uint32_t i = index_ + 1; i < token().next;) {
    const auto &k = tokens[i];
    const std::size_t size = k.end - k.begin;
    if (!k.escaped) {
      if (size == key.size() &&
          (size == 0 || (text[k.begin] == key[0] &&
                         std::memcmp(text.data() + k.begin, key.data(), size) == 0))) {
        return TapeValue(tape_, i + 1);
      }
    } else if (TapeValue(tape_, i).string(scratch) == key) {
      return TapeValue(tape_, i + 1);
    }
    i = tokens[i + 1].next;
  }
  return {};
}

} // namespace wc::relational
