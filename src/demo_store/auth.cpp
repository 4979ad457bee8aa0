#include "demo_store/auth.hpp"

#include "demo_store/list_query.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace wc::demo {
namespace {

ApiResponse auth_error(const std::string &message) {
  return ApiResponse::error(401, "woocommerce_rest_authentication_error", message);
}

std::string base64(const unsigned char *data, std::size_t n) {
  std::string out(4 * ((n + 2) / 3), '\0');
  const int len =
      EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()), data, static_cast<int>(n));
  out.resize(static_cast<std::size_t>(len));
  return out;
}

std::optional<std::string> base64_decode(const std::string &in) {
  if (in.empty() || in.size() % 4 != 0) {
    return std::nullopt;
  }
  std::string out(in.size() / 4 * 3, '\0');
  const int len = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                  reinterpret_cast<const unsigned char *>(in.data()),
                                  static_cast<int>(in.size()));
  if (len < 0) {
    return std::nullopt;
  }
  std::size_t pad = 0;
  for (auto it = in.rbegin(); it != in.rend() && *it == '='; ++it) {
    ++pad;
  }
  out.resize(static_cast<std::size_t>(len) - pad);
  return out;
}

std::string percent_decode(const std::string &s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::strtol(s.substr(i + 1, 2).c_str(), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool constant_time_equal(const std::string &a, const std::string &b) {
  if (a.size() != b.size()) {
    return false;
  }
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

// OAuth parameters from an "Authorization: OAuth k="v", ..." header.
std::vector<std::pair<std::string, std::string>> oauth_header_params(const std::string &h) {
  std::vector<std::pair<std::string, std::string>> out;
  if (h.rfind("OAuth ", 0) != 0) {
    return out;
  }
  std::string rest = h.substr(6);
  std::size_t pos = 0;
  while (pos < rest.size()) {
    auto eq = rest.find('=', pos);
    if (eq == std::string::npos) {
      break;
    }
    std::string k = rest.substr(pos, eq - pos);
    k.erase(0, k.find_first_not_of(" ,"));
    std::string v;
    std::size_t next;
    if (eq + 1 < rest.size() && rest[eq + 1] == '"') {
      auto close = rest.find('"', eq + 2);
      v = rest.substr(eq + 2, close - eq - 2);
      next = close == std::string::npos ? rest.size() : close + 1;
    } else {
      auto comma = rest.find(',', eq);
      v = rest.substr(eq + 1, comma - eq - 1);
      next = comma == std::string::npos ? rest.size() : comma;
    }
    if (k.rfind("oauth_", 0) == 0) {
      out.emplace_back(k, percent_decode(v));
    }
    pos = next + 1;
  }
  return out;
}

// What WordPress compares an application password as: preg_replace('/[^a-z\d]/i', '', $pw).
std::string letters_and_digits(const std::string &s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += c;
    }
  }
  return out;
}

// "user:password" from an "Authorization: Basic ..." header (PHP_AUTH_USER / PHP_AUTH_PW).
std::optional<std::pair<std::string, std::string>> basic_credentials(const std::string &h) {
  if (h.rfind("Basic ", 0) != 0) {
    return std::nullopt;
  }
  auto decoded = base64_decode(h.substr(6));
  if (!decoded) {
    return std::nullopt;
  }
  auto colon = decoded->find(':');
  if (colon == std::string::npos) {
    return std::nullopt;
  }
  return std::make_pair(decoded->substr(0, colon), decoded->substr(colon + 1));
}

} // namespace

Authenticator::Authenticator(std::vector<ApiKey> keys, std::vector<AppPasswordUser> users,
                             AuthSettings settings)
    : keys_(std::move(keys)), users_(std::move(users)), settings_(settings) {
  for (auto &u : users_) {
    u.password = letters_and_digits(u.password);
  }
}

const ApiKey *Authenticator::find(const std::string &key) const {
  for (const auto &k : keys_) {
    if (k.key == key) {
      return &k;
    }
  }
  return nullptr;
}

std::string Authenticator::hmac_base64(const std::string &algo, const std::string &key,
                                       const std::string &data) {
  const EVP_MD *md = algo == "HMAC-SHA256" ? EVP_sha256()
                     : algo == "HMAC-SHA1" ? EVP_sha1()
                                           : nullptr;
  if (!md) {
    return {};
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char *>(data.data()), data.size(), out, &len);
  return base64(out, len);
}

std::string
Authenticator::signature_base(const std::string &method, const std::string &url,
                              const std::vector<std::pair<std::string, std::string>> &params) {
  // PHP turns k[]=a&k[]=b into an array under "k"; uksort(strcmp) sorts the top-level keys.
  struct Param {
    std::string base;
    std::string sub; // "" for scalars
    bool is_array = false;
    std::string value;
  };
  std::vector<Param> ps;
  std::map<std::string, int> auto_index;
  for (const auto &[k, v] : params) {
    if (k == "oauth_signature") {
      continue;
    }
    Param p;
    auto b = k.find('[');
    if (b != std::string::npos && k.back() == ']') {
      p.base = k.substr(0, b);
      p.sub = k.substr(b + 1, k.size() - b - 2);
      p.is_array = true;
      if (p.sub.empty()) {
        p.sub = std::to_string(auto_index[p.base]++);
      }
    } else {
      p.base = k;
    }
    p.value = v;
    // A later scalar with the same key replaces the earlier one (PHP $_GET semantics).
    if (!p.is_array) {
      ps.erase(
          std::remove_if(ps.begin(), ps.end(), [&](const Param &x) { return x.base == p.base; }),
          ps.end());
    }
    ps.push_back(p);
  }
  std::stable_sort(ps.begin(), ps.end(),
                   [](const Param &a, const Param &b) { return a.base < b.base; });
  std::string joined;
  for (const auto &p : ps) {
    std::string key = rawurlencode(p.base);
    if (p.is_array) {
      key += "%5B" + p.sub + "%5D";
    }
    if (!joined.empty()) {
      joined += "%26";
    }
    joined += rawurlencode(key + "=" + rawurlencode(p.value));
  }
  return method + "&" + rawurlencode(url) + "&" + joined;
}

bool Authenticator::woocommerce_authenticates(const ApiRequest &req) const {
  if (settings_.legacy_rest_route) {
    return req.request_uri.find("wp-json/wc/") != std::string::npos ||
           req.request_uri.find("wp-json/wc-") != std::string::npos;
  }
  return req.route.rfind("/wc/", 0) == 0 || req.route.rfind("/wc-", 0) == 0;
}

Authenticator::Result Authenticator::authenticate(const ApiRequest &req, std::int64_t now_unix) {
  // determine_current_user: WooCommerce's keys at priority 15, application passwords at 20.
  if (woocommerce_authenticates(req)) {
    Result keyed = api_key(req, now_unix);
    if (keyed.error || keyed.caller != Caller::kAnonymous) {
      return keyed;
    }
  }
  return application_password(req);
}

Authenticator::Result Authenticator::application_password(const ApiRequest &req) const {
  auto creds = basic_credentials(req.header("Authorization"));
  if (!creds || users_.empty()) { // no PHP_AUTH_USER, or no application password on the site
    return {};
  }
  const auto &[login, password] = *creds;
  if (login.rfind("ck_", 0) == 0) {
    // Simplification: a consumer key WooCommerce did not take stays anonymous (401
    // woocommerce_rest_cannot_view, as seen on a stock 10.0.2 store). On a real site where an
    // application password exists, WordPress would answer 401 invalid_username instead.
    return {};
  }
  const AppPasswordUser *user = nullptr;
  for (const auto &u : users_) {
    if (u.login == login) {
      user = &u;
    }
  }
  if (user == nullptr) {
    if (login.find('@') != std::string::npos) {
      return {Caller::kAnonymous,
              ApiResponse::error(401, "invalid_email",
                                 "<strong>Error:</strong> Unknown email address. Check again or "
                                 "try your username.")};
    }
    return {Caller::kAnonymous,
            ApiResponse::error(401, "invalid_username",
                               "<strong>Error:</strong> Unknown username. Check again or try your "
                               "email address.")};
  }
  if (!settings_.app_passwords_available || (!req.https && !settings_.local_environment)) {
    return {Caller::kAnonymous, ApiResponse::error(401, "application_passwords_disabled",
                                                   "Application passwords are not available.")};
  }
  if (!constant_time_equal(user->password, letters_and_digits(password))) {
    return {Caller::kAnonymous,
            ApiResponse::error(401, "incorrect_password",
                               "The provided password is an invalid application password.")};
  }
  return {user->role, std::nullopt};
}

Authenticator::Result Authenticator::api_key(const ApiRequest &req, std::int64_t now_unix) {
  if (req.https) {
    std::optional<std::string> key, secret;
    for (const auto &[k, v] : req.all_query) {
      if (k == "consumer_key") {
        key = v;
      } else if (k == "consumer_secret") {
        secret = v;
      }
    }
    if (!key || !secret) {
      key.reset();
      secret.reset();
      const std::string h = req.header("Authorization");
      if (h.rfind("Basic ", 0) == 0) {
        if (auto decoded = base64_decode(h.substr(6))) {
          auto colon = decoded->find(':');
          if (colon != std::string::npos) {
            key = decoded->substr(0, colon);
            secret = decoded->substr(colon + 1);
          }
        }
      }
    }
    if (key && secret) {
      if (const ApiKey *k = find(*key)) {
        if (!constant_time_equal(k->secret, *secret)) {
          return {Caller::kAnonymous, auth_error("Consumer secret is invalid.")};
        }
        return {k->role, std::nullopt};
      }
    }
  }
  return oauth(req, now_unix);
}

Authenticator::Result Authenticator::oauth(const ApiRequest &req, std::int64_t now_unix) {
  std::vector<std::pair<std::string, std::string>> params = req.all_query;
  for (auto &p : oauth_header_params(req.header("Authorization"))) {
    params.push_back(std::move(p));
  }
  auto get = [&](const std::string &name) -> std::optional<std::string> {
    for (const auto &[k, v] : params) {
      if (k == name) {
        return v;
      }
    }
    return std::nullopt;
  };
  const char *required[] = {"oauth_consumer_key", "oauth_timestamp", "oauth_nonce",
                            "oauth_signature", "oauth_signature_method"};
  int present = 0;
  std::string missing;
  for (const char *r : required) {
    if (get(r)) {
      ++present;
    } else if (missing.empty()) {
      missing = r;
    }
  }
  if (present == 0) {
    return {};
  }
  if (present < 5) {
    return {Caller::kAnonymous,
            ApiResponse::error(401, "woocommerce_rest_authentication_missing_parameter",
                               "Missing OAuth parameter " + missing)};
  }
  const ApiKey *key = find(*get("oauth_consumer_key"));
  if (!key) {
    return {Caller::kAnonymous, auth_error("Consumer key is invalid.")};
  }
  const std::string algo = *get("oauth_signature_method");
  if (algo != "HMAC-SHA1" && algo != "HMAC-SHA256") {
    return {Caller::kAnonymous, auth_error("Invalid signature - signature method is invalid.")};
  }
  // Only the OAuth params from the header are signed together with the query (no body here).
  std::vector<std::pair<std::string, std::string>> signed_params;
  for (const auto &p : params) {
    signed_params.push_back(p);
  }
  const std::string url = req.scheme_host + req.path;
  const std::string base = signature_base(req.method, url, signed_params);
  std::string provided = *get("oauth_signature");
  std::replace(provided.begin(), provided.end(), ' ', '+');
  const std::string expected = hmac_base64(algo, key->secret + "&", base);
  if (!constant_time_equal(expected, provided)) {
    return {Caller::kAnonymous,
            auth_error("Invalid signature - provided signature does not match.")};
  }
  const std::int64_t ts = std::strtoll(get("oauth_timestamp")->c_str(), nullptr, 10);
  if (ts < now_unix - 900 || ts > now_unix + 900) {
    return {Caller::kAnonymous, auth_error("Invalid timestamp.")};
  }
  std::lock_guard lock(mu_);
  auto &used = nonces_[key->key];
  for (auto it = used.begin(); it != used.end();) {
    it = it->second < now_unix - 900 ? used.erase(it) : std::next(it);
  }
  const std::string nonce = *get("oauth_nonce");
  if (used.count(nonce)) {
    return {Caller::kAnonymous, auth_error("Invalid nonce - nonce has already been used.")};
  }
  used[nonce] = ts;
  return {key->role, std::nullopt};
}

} // namespace wc::demo
