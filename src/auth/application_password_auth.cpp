#include "auth/application_password_auth.hpp"

#include <cctype>

#include "auth/basic_auth.hpp"
#include "auth/crypto.hpp"
#include "core/error.hpp"
#include "core/redact.hpp"

namespace wc::auth {

std::string compact_application_password(std::string_view password) {
  std::string out;
  out.reserve(password.size());
  for (char c : password) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      out += c;
    }
  }
  return out;
}

ApplicationPasswordAuthenticator::ApplicationPasswordAuthenticator(
    std::string username, std::string application_password) {
  register_secret(application_password);
  const std::string password = compact_application_password(application_password);
  register_secret(password);
  if (username.empty() || password.empty()) {
    throw Error(FailureType::kConfig,
                "the user name and the application password must not be empty");
  }
  const std::string token = base64_encode(username + ":" + password);
  register_secret(token);
  header_value_ = "Basic " + token;
}

void ApplicationPasswordAuthenticator::apply(http::Request &request, const http::Origin &) const {
  set_authorization(request, header_value_);
}

} // namespace wc::auth
