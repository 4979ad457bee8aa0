#pragma once
// WooCommerce webhook signatures: X-WC-Webhook-Signature = base64(HMAC-SHA256(raw body, secret)),
// where WordPress first decodes HTML entities in the secret (wp_specialchars_decode, ENT_QUOTES).
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

} // namespace wc::webhook
