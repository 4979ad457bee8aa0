#include "relational/json_text.hpp"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace wc::relational {
namespace json = boost::json;
namespace {} // namespace

bool needs_json_escape(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const char *p = text.data();
  std::size_t n = text.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t x = 0;
    std::memcpy(&x, p, 8);
    const std::uint64_t quote = x ^ (kOnes * '"');
    const std::uint64_t backslash = x ^ (kOnes * '\\');
    // a byte below 0x20, or a zero byte of quote/backslash (the classic "has less than" test;
    // bytes >= 0x80 are masked out by ~x and ~quote, ~backslash)
    const std::uint64_t hit =
        ((x - kOnes * 0x20) & ~x) | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash);
    if ((hit & kHigh) != 0) {
      return true;
    }
  }
  for (; n > 0; ++p, --n) {
    const auto c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c == '"' || c == '\\') {
      return true;
    }
  }
  return false;
}

namespace {

template <typename Int> void append_integer(std::string &out, Int n) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, r.ptr);
}

} // namespace

void append_json_string(std::string &out, std::string_view text) {
  if (needs_json_escape(text)) {
    out += json::serialize(json::string_view(text.data(), text.size()));
    return;
  }
  const std::size_t at = out.size();
  out.resize(at + text.size() + 2);
  char *p = out.data() + at;
  p[0] = '"';
  if (!text.empty()) { // an empty view's data() may be null, which memcpy may not be given
    std::memcpy(p + 1, text.data(), text.size());
  }
  p[text.size() + 1] = '"';
}

void append_json(std::string &out, const json::value &v) {
  switch (v.kind()) {
  case json::kind::null:
    out += "null";
    return;
  case json::kind::bool_:
    out += v.get_bool() ? "true" : "false";
    return;
  case json::kind::int64:
    append_integer(out, v.get_int64());
    return;
  case json::kind::uint64:
    append_integer(out, v.get_uint64());
    return;
  case json::kind::string:
    append_json_string(out, v.get_string());
    return;
  case json::kind::double_:
  case json::kind::array:
  case json::kind::object:
    out += json::serialize(v);
    return;
  }
}

} // namespace wc::relational
