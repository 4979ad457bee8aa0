#pragma once
// Adds credentials to a request, nothing else. Three WooCommerce methods:
//  - basic: HTTP Basic (consumer key : secret) over TLS;
//  - query_string: consumer_key/consumer_secret as query parameters over TLS (hosts that strip
//    the Authorization header);
//  - oauth1: OAuth 1.0a one-legged, HMAC-SHA256, every query parameter signed (plain HTTP).
#include <memory>
#include <string>

#include "http/http_types.hpp"
#include "http/transport.hpp"

namespace wc::auth {

enum class AuthMethod { kBasic, kQueryString, kOAuth1 };

class Authenticator {
public:
  virtual ~Authenticator() = default;
  // Called once per attempt (OAuth needs a fresh nonce and timestamp every time).
  virtual void apply(http::Request &request, const http::Origin &origin) const = 0;
};

std::unique_ptr<Authenticator> make_authenticator(AuthMethod method, std::string consumer_key,
                                                  std::string consumer_secret);

} // namespace wc::auth
