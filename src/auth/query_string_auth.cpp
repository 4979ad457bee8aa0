#include "auth/query_string_auth.hpp"

#include "core/redact.hpp"

namespace wc::auth {

QueryStringAuthenticator::QueryStringAuthenticator(std::string consumer_key,
                                                   std::string consumer_secret)
    : key_(std::move(consumer_key)), secret_(std::move(consumer_secret)) {
  register_secret(key_);
  register_secret(secret_);
}

void QueryStringAuthenticator::apply(http::Request &request, const http::Origin &) const {
  std::erase_if(request.params, [](const auto &p) {
    return p.first == "consumer_key" || p.first == "consumer_secret";
  });
  request.params.emplace_back("consumer_key", key_);
  request.params.emplace_back("consumer_secret", secret_);
}

} // namespace wc::auth
