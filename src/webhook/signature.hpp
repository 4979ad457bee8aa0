#pragma once
// WooCommerce webhook signatures: X-WC-Webhook-Signature = base64(HMAC-SHA256(raw body, secret)),
// where WordPress first decodes HTML entities in the secret (wp_specialchars_decode, ENT_QUOTES).
#include <array>
#include <string>
#include <string_view>

namespace wc::webhook {

// The secret as WordPress uses it: &amp; &lt; &gt; &quot; &#039; (and &#39;, &#x27;) decoded.
std::string decode_wp_secret(std::string_view secret);
// base64(HMAC-SHA256(body, decode_wp_secret(secret))), the header value WooCommerce sends.
std::string compute_signature(std::string_view raw_body, std::string_view secret);
// True when header_b64 is the signature of raw_body. Constant-time comparison of the decoded
// MAC (length checked first); an empty secret or header never verifies.
bool verify_signature(std::string_view raw_body, std::string_view header_b64,
                      std::string_view secret);

namespace detail {
// HMAC of body with key using OpenSSL's digest named digest_name (32-byte digests only). False,
// with out zeroed, when OpenSSL fails (unknown digest, key too long): callers never use an unset
// MAC.
bool hmac(std::string_view digest_name, std::string_view body, std::string_view key,
          std::array<unsigned char, 32> &out);
} // namespace detail

} // namespace wc::webhook
