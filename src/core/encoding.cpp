#include "core/encoding.hpp"

#include <cstdint>
#include <cstring>

namespace wc {
namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string encode_except(std::string_view text, char keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (unreserved(c) || (keep != '\0' && ch == keep)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

} // namespace

std::string percent_encode(std::string_view text) { return encode_except(text, '\0'); }

std::string percent_encode_query_value(std::string_view text) { return encode_except(text, '/'); }

bool valid_utf8(std::string_view bytes) {
  const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
  const auto *const end = p + bytes.size();
  while (p < end) {
    // A run of ASCII: sixteen bytes at a time while none has its high bit set, then byte by byte
    // up to the next byte that has (fewer than sixteen away) or the end.
    while (end - p >= 16) {
      std::uint64_t a = 0, b = 0;
      std::memcpy(&a, p, 8);
      std::memcpy(&b, p + 8, 8);
      if (((a | b) & 0x8080808080808080ULL) != 0) {
        break;
      }
      p += 16;
    }
    while (p < end && *p < 0x80) {
      ++p;
    }
    if (p == end) {
      break;
    }
    const unsigned char c = *p;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF; // the second byte's range
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) {
        low = 0xA0; // overlong below
      } else if (c == 0xED) {
        high = 0x9F; // surrogates above
      }
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) {
        low = 0x90; // overlong below
      } else if (c == 0xF4) {
        high = 0x8F; // above U+10FFFF
      }
    } else {
      return false; // a continuation byte, an overlong lead (C0, C1) or F5 and above
    }
    if (static_cast<std::size_t>(end - p) < length || p[1] < low || p[1] > high) {
      return false;
    }
    for (std::size_t i = 2; i < length; ++i) {
      if ((p[i] & 0xC0) != 0x80) {
        return false;
      }
    }
    p += length;
  }
  return true;
}

std::string base64_encode(std::string_view bytes) {
  constexpr std::string_view kAlphabet = kBase64Alphabet;
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

} // namespace wc
