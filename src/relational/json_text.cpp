#include "relational/json_text.hpp"

#include <boost/json/serialize.hpp>
#include <cstdint>
#include <cstring>

namespace wc::relational {
namespace json = boost::json;
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

} // namespace wc::relational
