#pragma once
// HTTP Basic: "Authorization: Basic base64(consumer_key:consumer_secret)". WooCommerce accepts it
// only over HTTPS.
#include <string>

#include "auth/authenticator.hpp"

namespace wc::auth {

// Sets the request's one Authorization header to `value` (any earlier one, in any case, removed).
// Shared by the methods that send HTTP Basic (API keys, application passwords).
void set_authorization(http::Request &request, const std::string &value);

class BasicAuthenticator final : public Authenticator {
public:
  BasicAuthenticator(std::string consumer_key, std::string consumer_secret);
  void apply(http::Request &request, const http::Origin &origin) const override;

private:
  std::string header_value_;
};

} // namespace wc::auth
