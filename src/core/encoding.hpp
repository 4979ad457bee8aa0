#pragma once
// Text encodings used in more than one place: the HTTP layer (query strings, OAuth 1.0a
// signatures, Basic auth), webhook signatures, and the secret filter, which looks for secrets in
// the forms they travel in.
#include <string>
#include <string_view>

namespace wc {

// The standard base64 alphabet (RFC 4648), in value order.
inline constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// RFC 3986 percent-encoding of everything but unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string percent_encode(std::string_view text);
// The same, but "/" is left as is: the form of a query-string value in a URL (RFC 3986 allows
// "/" in a query). Needed where the server looks at the raw request URI (WooCommerce 10.0 looks
// for "wp-json/wc/" in it, see woocommerce/api_client.hpp).
std::string percent_encode_query_value(std::string_view text);
// True when `bytes` is well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
// above U+10FFFF, no sequence cut short. Runs of ASCII are checked sixteen bytes at a time.
bool valid_utf8(std::string_view bytes);
// Standard base64 (RFC 4648) with padding.
std::string base64_encode(std::string_view bytes);
// The value of one hexadecimal digit (0-9, a-f, A-F), or -1 (percent-encoding, JSON's \uXXXX).
constexpr int hex_digit_value(char c) {
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

} // namespace wc
