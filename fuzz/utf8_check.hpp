#pragma once
// Whether every string (and object key) in a JSON value is valid UTF-8: what the connector
// parses from its inputs may be echoed into stdout, which must be UTF-8 JSON.
#include <boost/json/value.hpp>
#include <cstddef>
#include <string_view>

namespace wc::fuzz {

inline bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned min = 0;
    unsigned cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, min = 0x10000, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

inline bool all_utf8(const boost::json::value &v, int depth = 0) {
  if (depth > 256) {
    return true;
  }
  if (v.is_string()) {
    return valid_utf8(v.get_string());
  }
  if (v.is_array()) {
    for (const auto &item : v.get_array()) {
      if (!all_utf8(item, depth + 1)) {
        return false;
      }
    }
  } else if (v.is_object()) {
    for (const auto &kv : v.get_object()) {
      if (!valid_utf8(kv.key()) || !all_utf8(kv.value(), depth + 1)) {
        return false;
      }
    }
  }
  return true;
}

} // namespace wc::fuzz
