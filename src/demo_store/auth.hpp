#pragma once
// WooCommerce REST authentication as class-wc-rest-authentication.php does it:
// over HTTPS, consumer_key/consumer_secret query params or HTTP Basic; otherwise (or when
// those did not identify a key) OAuth 1.0a one-legged, HMAC-SHA1/HMAC-SHA256, key "secret&",
// timestamp within 15 minutes, nonces not reusable. Unknown keys fall through to anonymous.
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

class Authenticator {
public:
  explicit Authenticator(std::vector<ApiKey> keys);

  struct Result {
    Caller caller = Caller::kAnonymous;
    std::optional<ApiResponse> error; // 401 to send instead of handling the request
  };
  // req.https, req.all_query, req.headers (Authorization), req.scheme_host and req.path are used.
  Result authenticate(const ApiRequest &req, std::int64_t now_unix);

  // The OAuth 1.0a signature base string WooCommerce computes (exposed for tests and clients).
  static std::string signature_base(const std::string &method, const std::string &url,
                                    const std::vector<std::pair<std::string, std::string>> &params);
  // base64(HMAC(key, data)); algo "HMAC-SHA1" or "HMAC-SHA256". "" for an unknown algo.
  static std::string hmac_base64(const std::string &algo, const std::string &key,
                                 const std::string &data);

private:
  const ApiKey *find(const std::string &key) const;
  Result oauth(const ApiRequest &req, std::int64_t now_unix);

  std::vector<ApiKey> keys_;
  std::mutex mu_;
  std::map<std::string, std::map<std::string, std::int64_t>> nonces_; // key -> nonce -> timestamp
};

} // namespace wc::demo
