#pragma once
// Adds credentials to a request, nothing else. Three WooCommerce API-key methods:
//  - basic: HTTP Basic (consumer key : secret) over TLS;
//  - query_string: consumer_key/consumer_secret as query parameters over TLS (hosts that strip
//    the Authorization header);
//  - oauth1: OAuth 1.0a one-legged, HMAC-SHA256, every query parameter signed (plain HTTP);
// and WordPress's own:
//  - application_password: HTTP Basic (WordPress user name : application password), checked by
//    WordPress core (5.6+) on every REST route, ?rest_route= included.
#include <memory>
#include <string>

#include "http/http_types.hpp"
#include "http/request_signer.hpp"
#include "http/transport.hpp"

namespace wc::auth {

enum class AuthMethod { kBasic, kQueryString, kOAuth1, kApplicationPassword };

// True for the three WooCommerce API-key methods (consumer key and secret).
bool uses_api_keys(AuthMethod method);
// The name used in the config (auth_method) and in messages: "basic", "application_password"...
const char *to_string(AuthMethod method);

// Every method is a request signer of the HTTP client (http/request_signer.hpp).
using Authenticator = http::RequestSigner;

// For the API-key methods: (consumer key, consumer secret). For kApplicationPassword:
// (WordPress user name, application password).
std::unique_ptr<Authenticator> make_authenticator(AuthMethod method, std::string consumer_key,
                                                  std::string consumer_secret);

} // namespace wc::auth
