#include "core/json_tape.hpp"

#include <bit>
#include <charconv>
#include <cstring>
#include <limits>

#include "core/encoding.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace wc {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHigh = 0x8080808080808080ULL;

bool stops_string(char c) { return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; }

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

// The first byte at or after `q` that ends or interrupts a string's plain run (a quote, a
// backslash or a control character), or `end`: sixteen bytes at a time with SSE2 (every x86-64
// has it), else eight at a time, then byte by byte.
[[gnu::always_inline]] inline const char *next_stop(const char *q, const char *end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i control = _mm_set1_epi8(0x1F);
  while (end - q >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i *>(q));
    const __m128i hit =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                     _mm_cmpeq_epi8(_mm_min_epu8(x, control), x)); // x <= 0x1F
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (mask != 0) {
      return q + std::countr_zero(mask);
    }
    q += 16;
  }
#endif
  while (end - q >= 8) {
    std::uint64_t x = 0;
    std::memcpy(&x, q, 8);
    const unsigned k = first_stop(x);
    if (k < 8) {
      return q + k;
    }
    q += 8;
  }
  while (q < end && !stops_string(*q)) {
    ++q;
  }
  return q;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The four hex digits at p (p + 4 <= end checked by the caller), or -1.
long hex4(const char *p) {
  long v = 0;
  for (int i = 0; i < 4; ++i) {
    const int h = hex_digit_value(p[i]);
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

// The character a one-letter escape (\" \\ \/ \b \f \n \r \t) stands for, or 0.
char simple_escape(char e) {
  switch (e) {
  case '"':
  case '\\':
  case '/':
    return e;
  case 'b':
    return '\b';
  case 'f':
    return '\f';
  case 'n':
    return '\n';
  case 'r':
    return '\r';
  case 't':
    return '\t';
  default:
    return 0;
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
    if (const char c = simple_escape(bs[1]); c != 0) {
      out.push_back(c);
      continue;
    }
    if (bs[1] != 'u') {
      return false;
    }
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
  }
  return true;
}

void JsonTape::grow() {
  const std::uint32_t capacity = capacity_ < 256 ? 256 : capacity_ * 2;
  auto bigger = std::make_unique_for_overwrite<Token[]>(capacity);
  if (count_ > 0) {
    std::memcpy(bigger.get(), tokens_.get(), count_ * sizeof(Token));
  }
  tokens_ = std::move(bigger);
  capacity_ = capacity;
}

void JsonTape::reserve(std::uint32_t count) {
  if (count > capacity_) {
    tokens_ = std::make_unique_for_overwrite<Token[]>(count);
    capacity_ = count;
  }
}

std::string_view JsonTape::tokens_of(const TapeValue &value) const {
  const std::uint32_t first = value.index_;
  return {reinterpret_cast<const char *>(&tokens_[first]),
          (tokens_[first].next - first) * sizeof(Token)};
}

bool JsonTape::adopt(std::string_view text, std::string_view tokens) {
  count_ = 0;
  directory_built_ = false;
  directory_.clear();
  text_ = text;
  const std::size_t count = tokens.size() / sizeof(Token);
  if (count == 0 || count * sizeof(Token) != tokens.size() ||
      text.size() >= std::numeric_limits<std::uint32_t>::max() / 2) {
    return fail();
  }
  Token root;
  std::memcpy(&root, tokens.data(), sizeof root);
  // Where the value lay in its page: its first byte and its token's index there.
  const std::uint32_t base = root.begin;
  const std::uint32_t first = root.next - static_cast<std::uint32_t>(count);
  if ((root.kind != TapeKind::kObject && root.kind != TapeKind::kArray) ||
      root.end - base != text.size() || root.next < count ||
      text.front() != (root.kind == TapeKind::kObject ? '{' : '[')) {
    return fail();
  }
  reserve(static_cast<std::uint32_t>(count));
  // Every token moved: begin and end by the value's offset, next by its index.
  const char *in = tokens.data();
  auto *out = reinterpret_cast<char *>(tokens_.get());
#if defined(__SSE2__)
  const __m128i by =
      _mm_set_epi32(0, static_cast<int>(first), static_cast<int>(base), static_cast<int>(base));
  for (std::size_t i = 0; i < count; ++i) {
    const __m128i t = _mm_loadu_si128(reinterpret_cast<const __m128i *>(in + i * sizeof(Token)));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(out + i * sizeof(Token)), _mm_sub_epi32(t, by));
  }
#else
  for (std::size_t i = 0; i < count; ++i) {
    Token t;
    std::memcpy(&t, in + i * sizeof(Token), sizeof t);
    t.begin -= base;
    t.end -= base;
    t.next -= first;
    std::memcpy(out + i * sizeof(Token), &t, sizeof t);
  }
#endif
  count_ = static_cast<std::uint32_t>(count);
  if (tokens_[count_ - 1].end > text.size() ||
      text.back() != (root.kind == TapeKind::kObject ? '}' : ']')) {
    return fail();
  }
  return true;
}

bool JsonTape::fail() {
  count_ = 0;
  directory_built_ = false;
  directory_.clear();
  return false;
}

namespace {

// A string at p (its opening quote): where its closing quote is, or nullptr when it is not JSON's.
// `escaped`: it holds a backslash escape.
[[gnu::always_inline]] inline const char *scan_string(const char *p, const char *end,
                                                      bool &escaped) {
  const char *q = p + 1;
  escaped = false;
  for (;;) {
    q = next_stop(q, end);
    if (q == end) {
      return nullptr; // unterminated
    }
    if (*q == '"') {
      return q;
    }
    if (*q != '\\' || end - q < 2) {
      return nullptr; // a raw control character, or a backslash at the end
    }
    // the escape must be one of JSON's
    const char e = q[1];
    if (e == 'u') {
      const long cp = end - q < 6 ? -1 : hex4(q + 2);
      if (cp < 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) {
        return nullptr; // not four hex digits, or a low surrogate alone
      }
      q += 6;
      if (cp >= 0xD800 && cp <= 0xDBFF) { // a high surrogate: a low one must follow, as UTF-16's
        const long low = end - q < 6 || q[0] != '\\' || q[1] != 'u' ? -1 : hex4(q + 2);
        if (low < 0xDC00 || low > 0xDFFF) {
          return nullptr;
        }
        q += 6;
      }
    } else if (simple_escape(e) != 0) {
      q += 2;
    } else {
      return nullptr;
    }
    escaped = true;
  }
}

// A number at p, -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?: where it ends, or nullptr.
// `integer`: no fraction, no exponent, and it fits 64 bits.
const char *scan_number(const char *p, const char *end, bool &integer) {
  const char *q = p;
  integer = false;
  if (q < end && *q == '-') {
    ++q;
  }
  if (q == end || !is_digit(*q)) {
    return nullptr;
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
      return nullptr;
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
      return nullptr;
    }
    // Boost.JSON's parser refuses an exponent past 2^31 - 1 (leading zeros aside): so does the
    // tape, which must not take what the parser upstream would not.
    std::uint64_t exponent = 0;
    while (q < end && is_digit(*q)) {
      exponent = exponent * 10 + static_cast<std::uint64_t>(*q - '0');
      if (exponent > 2147483647u) {
        return nullptr;
      }
      ++q;
    }
  }
  if (digits_end == q) { // no fraction, no exponent: an integer, when it fits 64 bits
    if (q - p <= 18) {
      integer = true;
    } else if (*p == '-') {
      std::int64_t v = 0;
      integer = std::from_chars(p, q, v).ec == std::errc();
    } else {
      std::uint64_t v = 0;
      integer = std::from_chars(p, q, v).ec == std::errc();
    }
  }
  return q;
}

} // namespace

bool JsonTape::parse(std::string_view text, std::size_t max_depth, std::size_t *used) {
  count_ = 0;
  directory_built_ = false;
  directory_.clear();
  text_ = text;
  if (text.size() >= std::numeric_limits<std::uint32_t>::max() / 2) {
    return fail();
  }
  // The tokens written so far, kept in locals while the text is read (the members would be
  // reloaded after every token written: a token's fields could alias them, for all the compiler
  // knows) and stored back when done.
  Token *tokens = tokens_.get();
  std::uint32_t count = 0;
  std::uint32_t capacity = capacity_;
  // A new token (its `next` set for a scalar): no initialization of the buffer.
  const auto push = [&](TapeKind kind, std::uint32_t begin, std::uint32_t end)
                        __attribute__((always_inline))
                            ->Token & {
    if (count == capacity) [[unlikely]] {
      count_ = count;
      grow();
      tokens = tokens_.get();
      capacity = capacity_;
    }
    Token &t = tokens[count];
    t.begin = begin;
    t.end = end;
    t.next = count + 1;
    t.kind = kind;
    t.escaped = false;
    t.integer = false;
    t.unused = 0;
    ++count;
    return t;
  };
  const char *p = text.data();
  const char *const end = p + text.size();
  const auto offset = [&](const char *at) { return static_cast<std::uint32_t>(at - text.data()); };
  // A string token at p (its opening quote); p then after its closing quote.
  const auto string_token = [&]() __attribute__((always_inline)) {
    bool escaped = false;
    const char *q = scan_string(p, end, escaped);
    if (q == nullptr) {
      return false;
    }
    push(TapeKind::kString, offset(p + 1), offset(q)).escaped = escaped;
    p = q + 1;
    return true;
  };
  // Whitespace is looked for only where the expected character is not found: compact JSON (what
  // WooCommerce sends and the engine writes) costs one comparison per separator.
  const auto skip_space = [&] {
    while (p < end && is_space(*p)) {
      ++p;
    }
  };
  // A member's key and its colon, p at or before the key's quote; p then after the colon. Inlined
  // at both its calls, as the code it replaced was: a call per member costs 2 % of a nested read.
  const auto member_key = [&]() __attribute__((always_inline)) {
    if (p < end && *p != '"') {
      skip_space();
    }
    if (p == end || *p != '"' || !string_token()) {
      return false;
    }
    if (p < end && *p != ':') {
      skip_space();
    }
    if (p == end || *p != ':') {
      return false;
    }
    ++p;
    return true;
  };
  // The containers being read, innermost last: each its token's index times two, plus one for
  // an object (so that what closes it is known without reading the token).
  std::uint32_t open[kMaxDepth];
  std::size_t depth = 0;
  // The innermost open container ends at p.
  const auto close = [&] {
    Token &t = tokens[open[--depth] >> 1];
    t.end = offset(p + 1);
    t.next = count;
    ++p;
  };
  for (;;) {
    // A value is expected at p.
    if (p == end) {
      return fail();
    }
    const char *start = p;
    switch (*p) {
    case ' ':
    case '\n':
    case '\r':
    case '\t':
      skip_space();
      continue;
    case '{':
    case '[': {
      if (depth >= max_depth || depth >= kMaxDepth) {
        return fail();
      }
      const bool object = *p == '{';
      open[depth++] = count << 1 | (object ? 1u : 0u);
      push(object ? TapeKind::kObject : TapeKind::kArray, offset(p), 0);
      ++p;
      if (p < end && is_space(*p)) {
        skip_space();
      }
      if (p < end && *p == (object ? '}' : ']')) {
        close();
        break; // an empty container is a whole value
      }
      if (object && !member_key()) {
        return fail();
      }
      continue; // the first item or member value
    }
    case '"':
      if (!string_token()) {
        return fail();
      }
      break;
    // Three cases written out: one case through a table of the literals cost 2 % of the pass.
    case 't':
      if (!literal(p, end, "true")) {
        return fail();
      }
      push(TapeKind::kTrue, offset(start), offset(p));
      break;
    case 'f':
      if (!literal(p, end, "false")) {
        return fail();
      }
      push(TapeKind::kFalse, offset(start), offset(p));
      break;
    case 'n':
      if (!literal(p, end, "null")) {
        return fail();
      }
      push(TapeKind::kNull, offset(start), offset(p));
      break;
    default: {
      bool integer = false;
      const char *q = scan_number(p, end, integer);
      if (q == nullptr) {
        return fail();
      }
      push(TapeKind::kNumber, offset(p), offset(q)).integer = integer;
      p = q;
      break;
    }
    }
    // A value ended: close containers, or go on to the next item or member.
    for (;;) {
      if (depth == 0) {
        skip_space(); // part of the value's text, as for Boost.JSON's parser
        count_ = count;
        if (used != nullptr) {
          *used = offset(p);
          return true;
        }
        return p == end || fail();
      }
      if (p == end) {
        return fail();
      }
      const bool object = (open[depth - 1] & 1) != 0;
      const char c = *p;
      if (c == ',') {
        ++p;
        if (object && !member_key()) {
          return fail();
        }
        break; // the next item or member value
      }
      if (c == (object ? '}' : ']')) {
        close();
        continue;
      }
      if (!is_space(c)) {
        return fail();
      }
      skip_space();
    }
  }
}

TapeValue JsonTape::root() const { return count_ == 0 ? TapeValue() : TapeValue(this, 0); }

std::string_view TapeValue::string(std::string &scratch) const {
  if (!escaped()) {
    return raw();
  }
  unescape_json_string(raw(), scratch); // checked by index()
  return scratch;
}

namespace {

std::uint64_t key_hash(std::string_view k) {
  std::uint64_t h = k.size() * 0x9E3779B97F4A7C15ULL;
  if (k.size() >= 8) {
    std::uint64_t first = 0, last = 0;
    std::memcpy(&first, k.data(), 8);
    std::memcpy(&last, k.data() + k.size() - 8, 8);
    h ^= first * 0xC2B2AE3D27D4EB4FULL;
    h ^= (last ^ (h >> 31)) * 0x165667B19E3779F9ULL;
  } else {
    for (char c : k) {
      h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ULL;
    }
  }
  return h ^ (h >> 29);
}

constexpr std::size_t kDirectoryFrom = 16; // members: fewer are looked up one after the other

} // namespace

TapeValue JsonTape::find_in_root(std::string_view key) const {
  const TapeValue root(this, 0);
  if (!directory_built_) {
    directory_built_ = true;
    std::size_t members = 0;
    bool plain = true; // no key written with an escape
    root.for_each_member([&](const TapeValue &k, const TapeValue &) {
      ++members;
      plain = plain && !k.escaped();
    });
    if (members >= kDirectoryFrom && plain) {
      std::size_t size = 64;
      while (size < members * 2) {
        size *= 2;
      }
      directory_.assign(size, 0);
      for (std::uint32_t i = 1; i < tokens_[0].next; i = tokens_[i + 1].next) {
        const TapeValue k(this, i);
        for (std::size_t slot = key_hash(k.raw()) & (size - 1);; slot = (slot + 1) & (size - 1)) {
          if (directory_[slot] == 0) {
            directory_[slot] = i + 1;
            break;
          }
          if (TapeValue(this, directory_[slot] - 1).raw() == k.raw()) {
            break; // a repeated key: the first is found
          }
        }
      }
    }
  }
  if (directory_.empty()) {
    return root.find_linear(key);
  }
  const std::size_t mask = directory_.size() - 1;
  for (std::size_t slot = key_hash(key) & mask; directory_[slot] != 0; slot = (slot + 1) & mask) {
    const std::uint32_t k = directory_[slot] - 1;
    if (TapeValue(this, k).raw() == key) {
      return TapeValue(this, k + 1);
    }
  }
  return {};
}

TapeValue TapeValue::find(std::string_view key) const {
  if (index_ == 0 && is_object()) {
    return tape_->find_in_root(key);
  }
  return find_linear(key);
}

TapeValue TapeValue::find_linear(std::string_view key) const {
  if (!is_object()) {
    return {};
  }
  const auto *tokens = tape_->tokens_.get();
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

} // namespace wc
