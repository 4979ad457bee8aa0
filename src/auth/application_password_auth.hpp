#pragma once
// WordPress Application Passwords (core since 5.6): "Authorization: Basic base64(user:password)".
// WordPress checks them itself (wp_validate_application_password, on determine_current_user) on
// every REST route, ?rest_route= included, and WooCommerce then applies that user's
// capabilities. WordPress shows the password as six groups of four characters separated by
// spaces and drops everything but letters and digits before comparing: both forms are accepted,
// the spaces are removed before sending. HTTPS is required unless the site allows otherwise.
//
// The user name is not a secret (it is not registered with the redactor: a short one such as
// "shop" would mask every occurrence of that word in the data); the password, its compact form
// and the header token are.
#include <string>
#include <string_view>

#include "auth/authenticator.hpp"

namespace wc::auth {

// The password as WordPress compares it: spaces (and any other whitespace) removed.
std::string compact_application_password(std::string_view password);

class ApplicationPasswordAuthenticator final : public Authenticator {
public:
  // Throws wc::Error(kConfig) when the user name or the password is empty.
  ApplicationPasswordAuthenticator(std::string username, std::string application_password);
  void apply(http::Request &request, const http::Origin &origin) const override;

private:
  std::string header_value_;
};

} // namespace wc::auth
