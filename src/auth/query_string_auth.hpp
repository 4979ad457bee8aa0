#pragma once
// consumer_key / consumer_secret as query parameters (HTTPS only), for hosts that strip the
// Authorization header. The URL then carries the secret: never log it unredacted.
#include <string>

#include "auth/authenticator.hpp"

namespace wc::auth {

class QueryStringAuthenticator final : public Authenticator {
public:
  QueryStringAuthenticator(std::string consumer_key, std::string consumer_secret);
  void apply(http::Request &request, const http::Origin &origin) const override;

private:
  std::string key_;
  std::string secret_;
};

} // namespace wc::auth
