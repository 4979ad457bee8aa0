#include "auth/authenticator.hpp"

#include "auth/application_password_auth.hpp"
#include "auth/basic_auth.hpp"
#include "auth/oauth1.hpp"
#include "auth/query_string_auth.hpp"
#include "core/error.hpp"

namespace wc::auth {

bool uses_api_keys(AuthMethod method) { return method != AuthMethod::kApplicationPassword; }

const char *to_string(AuthMethod method) {
  switch (method) {
  case AuthMethod::kBasic:
    return "basic";
  case AuthMethod::kQueryString:
    return "query_string";
  case AuthMethod::kOAuth1:
    return "oauth1";
  case AuthMethod::kApplicationPassword:
    return "application_password";
  }
  return "unknown";
}

std::unique_ptr<Authenticator> make_authenticator(AuthMethod method, std::string consumer_key,
                                                  std::string consumer_secret) {
  if (method == AuthMethod::kApplicationPassword) {
    return std::make_unique<ApplicationPasswordAuthenticator>(std::move(consumer_key),
                                                              std::move(consumer_secret));
  }
  if (consumer_key.empty() || consumer_secret.empty()) {
    throw Error(FailureType::kConfig, "the consumer key and consumer secret must not be empty");
  }
  switch (method) {
  case AuthMethod::kBasic:
    return std::make_unique<BasicAuthenticator>(std::move(consumer_key),
                                                std::move(consumer_secret));
  case AuthMethod::kQueryString:
    return std::make_unique<QueryStringAuthenticator>(std::move(consumer_key),
                                                      std::move(consumer_secret));
  case AuthMethod::kOAuth1:
    return std::make_unique<OAuth1Authenticator>(std::move(consumer_key),
                                                 std::move(consumer_secret));
  case AuthMethod::kApplicationPassword:
    break;
  }
  throw Error(FailureType::kSystem, "unknown authentication method");
}

} // namespace wc::auth
