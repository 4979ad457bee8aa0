#include "auth/basic_auth.hpp"

#include <algorithm>

#include "auth/crypto.hpp"
#include "core/redact.hpp"

namespace wc::auth {

BasicAuthenticator::BasicAuthenticator(std::string consumer_key, std::string consumer_secret) {
  register_secret(consumer_key);
  register_secret(consumer_secret);
  const std::string token = base64_encode(consumer_key + ":" + consumer_secret);
  register_secret(token);
  header_value_ = "Basic " + token;
}

void set_authorization(http::Request &request, const std::string &value) {
  std::erase_if(request.headers, [](const auto &h) {
    std::string name = h.first;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name == "authorization";
  });
  request.headers.emplace_back("Authorization", value);
}

void BasicAuthenticator::apply(http::Request &request, const http::Origin &) const {
  set_authorization(request, header_value_);
}

} // namespace wc::auth
