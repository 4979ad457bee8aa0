#pragma once
// OAuth 1.0a one-legged signing exactly as current WooCommerce verifies it
// (WC_REST_Authentication::check_oauth_signature + join_with_equals_sign):
//   base = METHOD "&" rawurlencode(base_url) "&" join("%26", rawurlencode(k "=" v))
// where base_url = scheme://host[:port unless default] + path (no query); the parameters are
// every query parameter plus the oauth_* ones (not oauth_signature), PHP-parsed (so "a[]" /
// "a[x]" become arrays), sorted by top-level key with strcmp; k and v are rawurlencoded first
// (so they end up encoded twice, as in generic OAuth 1.0a), array members use
// k = rawurlencode(name) "%5B" index "%5D";
// signature = base64(HMAC-SHA256(consumer_secret + "&", base)).
// (WooCommerce before ~3.x encoded scalar values only once; every maintained version encodes
// the joined pair again, which is what is implemented here.)
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "auth/authenticator.hpp"
#include "http/http_types.hpp"
#include "http/transport.hpp"

namespace wc::auth {

// scheme://host[:port]path, port left out when it is the scheme's default.
std::string oauth1_base_url(const http::Origin &origin, std::string_view path);
// The string WooCommerce signs. `params` must not hold oauth_signature.
std::string oauth1_base_string(std::string_view method, const http::Origin &origin,
                               std::string_view path, const http::Params &params);
// base64(HMAC-SHA256(consumer_secret + "&", base_string)).
std::string oauth1_signature(std::string_view consumer_secret, std::string_view base_string);

class OAuth1Authenticator final : public Authenticator {
public:
  using NonceSource = std::function<std::string()>;
  using TimeSource = std::function<std::int64_t()>; // Unix seconds
  // Empty sources mean: 32 random alphanumerics, and the system wall clock.
  OAuth1Authenticator(std::string consumer_key, std::string consumer_secret, NonceSource nonce = {},
                      TimeSource time = {});
  // Moves any query string found in request.path into params, adds oauth_consumer_key,
  // oauth_timestamp, oauth_nonce, oauth_signature_method=HMAC-SHA256 and oauth_signature.
  void apply(http::Request &request, const http::Origin &origin) const override;

private:
  std::string key_;
  std::string secret_;
  NonceSource nonce_;
  TimeSource time_;
};

} // namespace wc::auth
