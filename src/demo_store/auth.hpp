#pragma once
// WooCommerce REST authentication as class-wc-rest-authentication.php does it:
// over HTTPS, consumer_key/consumer_secret query params or HTTP Basic; otherwise (or when
// those did not identify a key) OAuth 1.0a one-legged, HMAC-SHA1/HMAC-SHA256, key "secret&",
// timestamp within 15 minutes, nonces not reusable. Unknown keys fall through to anonymous.
// WooCommerce 10.0.x (legacy_rest_route) runs all of this only when the raw request URI holds
// "wp-json/wc/" (or "wp-json/wc-"); newer versions whenever the route is in a wc/ namespace.
//
// Then, when WooCommerce found no key, WordPress's application passwords
// (wp_authenticate_application_password): HTTP Basic user:password, on any route. Unknown user
// -> 401 invalid_username (invalid_email for an address); feature unavailable (disabled by a
// plugin, or plain HTTP outside a "local" environment) -> 401 application_passwords_disabled;
// wrong password -> 401 incorrect_password. WordPress drops every character but letters and
// digits from the password before comparing. (Simplification: a Basic user part that starts
// with "ck_" is never taken for a user name, so API keys keep WooCommerce's answers.)
#include "demo_store/router.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace wc::demo {

struct ApiKey {
  std::string key;
  std::string secret;
  Caller role = Caller::kManager;
};

// A WordPress user with one application password (as shown: groups of four, spaces optional).
struct AppPasswordUser {
  std::string login;
  std::string password;
  Caller role = Caller::kManager;
};

struct AuthSettings {
  bool legacy_rest_route = true;       // WooCommerce 10.0.x: keys only if the URI has wp-json/wc/
  bool app_passwords_available = true; // false: turned off (security plugin, filter)
  bool local_environment = false;      // WP_ENVIRONMENT_TYPE local: app passwords over HTTP too
};

class Authenticator {
public:
  explicit Authenticator(std::vector<ApiKey> keys, std::vector<AppPasswordUser> users = {},
                         AuthSettings settings = {});

  struct Result {
    Caller caller = Caller::kAnonymous;
    std::optional<ApiResponse> error; // 401 to send instead of handling the request
  };
  // req.https, req.all_query, req.headers (Authorization), req.scheme_host, req.path,
  // req.request_uri and req.route are used.
  Result authenticate(const ApiRequest &req, std::int64_t now_unix);

  // The OAuth 1.0a signature base string WooCommerce computes (exposed for tests and clients).
  static std::string signature_base(const std::string &method, const std::string &url,
                                    const std::vector<std::pair<std::string, std::string>> &params);
  // base64(HMAC(key, data)); algo "HMAC-SHA1" or "HMAC-SHA256". "" for an unknown algo.
  static std::string hmac_base64(const std::string &algo, const std::string &key,
                                 const std::string &data);

private:
  const ApiKey *find(const std::string &key) const;
  // WC_REST_Authentication::is_request_to_rest_api (10.0.x) or is_wc_namespace (newer).
  bool woocommerce_authenticates(const ApiRequest &req) const;
  Result api_key(const ApiRequest &req, std::int64_t now_unix);
  Result oauth(const ApiRequest &req, std::int64_t now_unix);
  Result application_password(const ApiRequest &req) const;

  std::vector<ApiKey> keys_;
  std::vector<AppPasswordUser> users_; // passwords stored as compared: letters and digits only
  AuthSettings settings_;
  std::mutex mu_;
  std::map<std::string, std::map<std::string, std::int64_t>> nonces_; // key -> nonce -> timestamp
};

} // namespace wc::demo
