#include "woocommerce/auth_failure.hpp"

#include "woocommerce/api_client.hpp"

namespace wc::woo {
namespace {

std::string answer(int status, std::string_view code) {
  return "HTTP " + std::to_string(status) + " " + std::string(code);
}

constexpr const char *kUseApiKey = "an API key (auth_method basic with consumer_key and "
                                   "consumer_secret from WooCommerce → Settings → Advanced → "
                                   "REST API)";

std::optional<std::string> application_password_failure(const ConnectorConfig &cfg, int status,
                                                        std::string_view code) {
  const std::string user = "'" + cfg.username + "'";
  if (code == "incorrect_password") {
    return "WordPress rejected the application password of user " + user + " (" +
           answer(status, code) +
           "). Copy it again, or create a new one in WordPress → Users → Profile → Application "
           "Passwords (the spaces between the groups of four are optional); it must belong to "
           "this user on this site.";
  }
  if (code == "invalid_username" || code == "invalid_email") {
    return "WordPress has no user " + user + " (" + answer(status, code) +
           "). Set username to the login name (or e-mail address) of the user the application "
           "password belongs to.";
  }
  if (code == "application_passwords_disabled") {
    if (cfg.origin.scheme == "http") {
      return "WordPress refused the application password over plain http:// (" +
             answer(status, code) +
             "): WordPress accepts application passwords only over HTTPS, unless the site's "
             "environment type is 'local'. Use the store's https:// URL (or an API key with "
             "auth_method oauth1 if the store has no HTTPS).";
    }
    return "application passwords are disabled on this site (" + answer(status, code) +
           "): a security plugin (or the wp_is_application_passwords_available filter) turns "
           "them off, or WordPress does not see the request as HTTPS (a TLS-terminating proxy "
           "or CDN without X-Forwarded-Proto handling). Allow application passwords again, or "
           "use " +
           kUseApiKey + ".";
  }
  if (code == "application_passwords_disabled_for_user") {
    return "application passwords are disabled for user " + user + " (" + answer(status, code) +
           "): a plugin (or the wp_is_application_passwords_available_for_user filter) excludes "
           "this user. Use another user's application password, or " +
           kUseApiKey + ".";
  }
  if (code == "woocommerce_rest_cannot_view" && status == 403) {
    return "user " + user + " is logged in but may not read this data (" + answer(status, code) +
           "): give the user the Shop manager or Administrator role (taxes, shipping, payment "
           "gateways, system status and webhooks need manage_woocommerce).";
  }
  if (code == "woocommerce_rest_cannot_view") {
    return "WordPress treated the request as anonymous (" + answer(status, code) +
           "): the application password never reached it. Either the host strips the "
           "Authorization header (for Apache add `RewriteRule .* - "
           "[E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]` to .htaccess), or the site has no "
           "application password left (WordPress then skips the check: create one in Users → "
           "Profile → Application Passwords).";
  }
  return std::nullopt;
}

} // namespace

std::optional<std::string> explain_auth_failure(const ConnectorConfig &cfg, bool rest_route,
                                                int status, std::string_view code) {
  if (status != 401 && status != 403) {
    return std::nullopt;
  }
  if (cfg.auth_method == auth::AuthMethod::kApplicationPassword) {
    return application_password_failure(cfg, status, code);
  }
  // WooCommerce ignored the key (or did not know it); on a site where an application password
  // exists, WordPress then tries the Basic user part as a user name: 401 invalid_username.
  const bool wordpress_user_error = code == "invalid_username" || code == "invalid_email";
  if (rest_route && status == 401 &&
      (code == "woocommerce_rest_cannot_view" || wordpress_user_error)) {
    return "WooCommerce treated the API-key request as anonymous on a ?rest_route= URL (" +
           answer(status, code) +
           "). The store has plain permalinks (/wp-json/ answers 404), so the connector uses "
           "/?rest_route=/wc/v3/... URLs. WooCommerce 10.0 and older accept API keys there only "
           "when the URL contains /wp-json/wc/, which the connector's " +
           std::string(kRouteHintParam) +
           " parameter provides, and the store still did not accept the key: it is unknown "
           "(revoked, or from another store), or a plugin or the web server changes the URL. "
           "Use a WordPress application password instead (auth_method application_password "
           "with username and application_password: WordPress checks it on ?rest_route= URLs "
           "too), or enable pretty permalinks (WordPress → Settings → Permalinks, any setting "
           "but Plain).";
  }
  if (status == 401 && wordpress_user_error) {
    return "WooCommerce did not accept the consumer key, and WordPress then took it for an "
           "application-password user name (" +
           answer(status, code) +
           "): the key is unknown (revoked, or from another store: create a new key in "
           "WooCommerce → Settings → Advanced → REST API), or WordPress does not see the request "
           "as HTTPS (a TLS-terminating proxy without X-Forwarded-Proto handling: WooCommerce "
           "ignores Basic credentials then).";
  }
  return std::nullopt;
}

} // namespace wc::woo
